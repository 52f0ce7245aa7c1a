# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""/v1/certificates: a cluster's CA, CSR signing and CA rotation."""

from pecan import rest

from magnum_lite.api import method
from magnum_lite.api.schemas.v1 import certificate as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import states

DEFAULT_CA_CERT_TYPE = 'kubernetes'


def _clusters():
    from magnum_lite.api.controllers.v1 import clusters
    return clusters


def ca_cert_type(value):
    if value is None:
        return DEFAULT_CA_CERT_TYPE
    if value not in schema.CA_CERT_TYPES:
        raise exception.InvalidParameterValue(
            err='ca_cert_type must be one of %s, not %r.'
            % (', '.join(schema.CA_CERT_TYPES), value))
    # Magnum accepts both spellings of the front proxy CA.
    return value.replace('-', '_')


def pem_of(answer):
    """The PEM text of a conductor answer (a string or a dict with it)."""
    if isinstance(answer, dict):
        return answer.get('pem')
    if isinstance(answer, bytes):
        return answer.decode('ascii')
    return answer


class CertificatesController(rest.RestController):

    @method.expose()
    def get_one(self, cluster_ident):
        """GET: the PEM of the cluster's CA certificate."""
        ctx = utils.context()
        cluster = _clusters().find_cluster(cluster_ident,
                                           'cluster:get_one_all_projects')
        policy.authorize(ctx, 'certificate:get', utils.target_of(cluster))
        params = utils.query()
        cert_type = ca_cert_type(params.get('ca_cert_type'))
        pem = pem_of(utils.rpcapi().get_ca_certificate(
            ctx, cluster.uuid, cert_type))
        result = {'cluster_uuid': cluster.uuid, 'pem': pem,
                  'links': utils.links('certificates', cluster.uuid)}
        if params.get('ca_cert_type'):
            result['ca_cert_type'] = params['ca_cert_type']
        return result

    @method.expose(201)
    def post(self):
        """POST: sign a CSR with the cluster's CA; 201 with the PEM."""
        ctx = utils.context()
        body = validation.checked(schema.SIGN, method.json_body())
        ident = body.get('cluster_uuid') or body.get('bay_uuid')
        if not ident:
            raise exception.InvalidParameterValue(
                err='cluster_uuid is required.')
        try:
            cluster = _clusters().find_cluster(
                ident, 'cluster:get_one_all_projects')
        except exception.ClusterNotFound as exc:
            # Magnum answers a bad cluster reference in a body with 400.
            raise exception.InvalidParameterValue(err=str(exc))
        policy.authorize(ctx, 'certificate:create', utils.target_of(cluster))
        cert_type = ca_cert_type(body.get('ca_cert_type'))
        pem = pem_of(utils.rpcapi().sign_certificate(
            ctx, cluster.uuid, body['csr'], cert_type))
        result = {'cluster_uuid': cluster.uuid, 'csr': body['csr'],
                  'pem': pem,
                  'links': utils.links('certificates', cluster.uuid)}
        if 'bay_uuid' in body:
            result['bay_uuid'] = cluster.uuid
        return result

    @method.expose(202)
    def patch(self, cluster_ident):
        """PATCH (no body): rotate the cluster's CA; 202 {"uuid"}."""
        ctx = utils.context()
        cluster = _clusters().find_cluster(cluster_ident,
                                           'cluster:update_all_projects')
        policy.authorize(ctx, 'certificate:rotate_ca',
                         utils.target_of(cluster))
        template = utils.dbapi().get_cluster_template_by_uuid(
            ctx, cluster.cluster_template_id)
        if template.tls_disabled:
            raise exception.NotSupported(
                operation='Rotating the CA of a cluster with TLS disabled')
        if cluster.status not in states.UPDATE_ALLOWED_FROM:
            raise exception.OperationInProgress(
                resource='Cluster', name=cluster.name, status=cluster.status)
        utils.rpcapi().rotate_ca_certificate(ctx, cluster.uuid)
        return {'uuid': cluster.uuid}
