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

"""/v1/clusters/{cluster}/nodegroups (from microversion 1.9)."""

from oslo_log import log
from oslo_utils import uuidutils
from pecan import rest

from magnum_lite.api import drivers
from magnum_lite.api import method
from magnum_lite.api import patching
from magnum_lite.api.schemas.v1 import nodegroup as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.api import validation_resources
from magnum_lite.api import versions
from magnum_lite.api.views import nodegroup as view
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import states

LOG = log.getLogger(__name__)

PATCH_RULES = patching.PatchRules(
    internal=('/cluster_id', '/docker_volume_size', '/labels', '/flavor_id',
              '/image_id', '/node_addresses', '/node_count', '/role',
              '/is_default', '/stack_id', '/status', '/status_reason',
              '/version', '/merge_labels', '/name'),
    literal_fields=('/node_labels', '/node_taints', '/labels'))

# Kubernetes reserves these label namespaces; a kubelet may only set the
# allow-listed keys (anything else there is refused at node start).
RESERVED_LABEL_DOMAINS = ('kubernetes.io', 'k8s.io')
KUBELET_ALLOWED_LABELS = (
    'kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os',
    'beta.kubernetes.io/arch', 'beta.kubernetes.io/os',
    'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type',
    'failure-domain.beta.kubernetes.io/region',
    'failure-domain.beta.kubernetes.io/zone',
    'topology.kubernetes.io/region', 'topology.kubernetes.io/zone')
KUBELET_ALLOWED_PREFIXES = ('kubelet.kubernetes.io/', 'node.kubernetes.io/')

# A nodegroup busy with another operation answers 409.
NOT_BUSY = tuple(s for s in states.ALL if s not in states.IN_PROGRESS)


def _clusters():
    from magnum_lite.api.controllers.v1 import clusters
    return clusters


def check_node_labels(name, labels):
    for key in labels or {}:
        prefix = key.split('/', 1)[0] if '/' in key else ''
        reserved = any(prefix == d or prefix.endswith('.' + d)
                       for d in RESERVED_LABEL_DOMAINS)
        if reserved and key not in KUBELET_ALLOWED_LABELS and not any(
                key.startswith(p) for p in KUBELET_ALLOWED_PREFIXES):
            raise exception.NodeGroupInvalidInput(
                attr='node_labels', nodegroup=name,
                expl='label %s is in a namespace reserved by Kubernetes'
                     % key)


def check_taints(name, role, taints):
    if taints and role == states.NODEGROUP_ROLE_MASTER:
        raise exception.NodeGroupInvalidInput(
            attr='node_taints', nodegroup=name,
            expl='taints are not allowed on master nodegroups')


def check_counts(name, node_count, low, high):
    low = low or 0
    if high is not None and low > high:
        raise exception.NodeGroupInvalidInput(
            attr='min_node_count', nodegroup=name,
            expl='min_node_count (%s) is greater than max_node_count (%s)'
                 % (low, high))
    if node_count is not None and node_count < low:
        raise exception.NodeGroupInvalidInput(
            attr='node_count', nodegroup=name,
            expl='node_count (%s) is less than min_node_count (%s)'
                 % (node_count, low))
    if node_count is not None and high is not None and node_count > high:
        raise exception.NodeGroupInvalidInput(
            attr='node_count', nodegroup=name,
            expl='node_count (%s) is greater than max_node_count (%s)'
                 % (node_count, high))


class NodeGroupsController(rest.RestController):
    """Nodegroups of one cluster; the cluster ident comes first."""

    def _cluster(self, cluster_ident, all_projects_rule):
        versions.require(method.api_version(), versions.NODEGROUPS,
                         'nodegroups')
        return _clusters().find_cluster(cluster_ident, all_projects_rule)

    def _format(self, row, cluster, detail=True):
        return view.format(row, method.api_version(), detail,
                           cluster.labels)

    @method.expose()
    def get_all(self, cluster_ident):
        """GET: the cluster's nodegroups, optionally of one role."""
        ctx = utils.context()
        cluster = self._cluster(cluster_ident,
                                'nodegroup:get_all_all_projects')
        policy.authorize(ctx, 'nodegroup:get_all', utils.target_of(cluster))
        params = utils.query()
        paging = utils.Paging(params)
        filters = {}
        if params.get('role'):
            filters['role'] = params['role']
        rows = utils.dbapi().list_cluster_nodegroups(
            ctx, cluster.uuid, filters=filters, **paging.db_kwargs())
        return utils.collection(
            'nodegroups',
            [self._format(r, cluster, detail=False) for r in rows],
            paging, 'clusters/%s/nodegroups' % cluster.uuid, rows,
            extra={'role': params['role']} if params.get('role') else None)

    @method.expose()
    def get_one(self, cluster_ident, ident):
        """GET one nodegroup by UUID, name or id."""
        ctx = utils.context()
        cluster = self._cluster(cluster_ident,
                                'nodegroup:get_one_all_projects')
        policy.authorize(ctx, 'nodegroup:get', utils.target_of(cluster))
        row = self._find(cluster, ident)
        return self._format(row, cluster)

    @staticmethod
    def _find(cluster, ident):
        if ident.isdigit():
            return utils.dbapi().get_nodegroup_by_id(
                utils.context(), cluster.uuid, int(ident))
        return utils.get_by_ident('nodegroup', ident, cluster.uuid)

    @method.expose(202)
    def post(self, cluster_ident):
        """POST: add a worker nodegroup; 202 with the nodegroup."""
        ctx = utils.context()
        version = method.api_version()
        cluster = self._cluster(cluster_ident, None)
        policy.authorize(ctx, 'nodegroup:create', utils.target_of(cluster))
        body = validation.checked(schema.create(version), method.json_body())
        role = body.get('role', states.NODEGROUP_ROLE_WORKER)
        if role in schema.ROLES_NOT_CREATABLE:
            raise exception.CreateMasterNodeGroup()
        if not cluster.api_address:
            raise exception.ClusterAPIAddressUnavailable()
        name = body['name']
        node_count = body.get('node_count', 1)
        check_counts(name, node_count, body.get('min_node_count', 0),
                     body.get('max_node_count'))
        check_node_labels(name, body.get('node_labels'))
        check_taints(name, role, body.get('node_taints'))
        labels = body.get('labels')
        if labels is None:
            labels = dict(cluster.labels or {})
        elif body.get('merge_labels'):
            labels = dict(cluster.labels or {}, **labels)
        template = utils.dbapi().get_cluster_template_by_uuid(
            ctx, cluster.cluster_template_id)
        if body.get('flavor_id') is not None:
            validation_resources.Checker(ctx).cluster(
                drivers.driver_for(template), {},
                {'flavor_id': body['flavor_id']})
        values = {
            'uuid': uuidutils.generate_uuid(), 'name': name,
            'cluster_id': cluster.uuid, 'project_id': cluster.project_id,
            'role': role, 'node_count': node_count,
            'min_node_count': body.get('min_node_count', 0),
            'max_node_count': body.get('max_node_count'),
            'flavor_id': body.get('flavor_id') or cluster.flavor_id,
            'image_id': body.get('image_id') or template.image_id,
            'docker_volume_size': body.get('docker_volume_size',
                                           cluster.docker_volume_size),
            'labels': labels, 'is_default': False,
            'status': states.CREATE_IN_PROGRESS,
            'node_labels': body.get('node_labels', {}),
            'node_taints': body.get('node_taints', []),
        }
        row = utils.dbapi().create_nodegroup(values)
        self._cast(cluster, row, states.CREATE_FAILED,
                   utils.rpcapi().create_nodegroup)
        return self._format(row, cluster)

    @staticmethod
    def _cast(cluster, row, failed_status, cast):
        try:
            cast(utils.context(), cluster.uuid, row.uuid)
        except Exception as exc:
            LOG.exception('Could not reach the conductor for nodegroup %s',
                          row.uuid)
            utils.dbapi().update_nodegroup(cluster.uuid, row.uuid, {
                'status': failed_status,
                'status_reason': 'The conductor could not be reached: %s'
                                 % exc})
            raise exception.ConductorUnavailable(reason=str(exc))

    @method.expose(202)
    def patch(self, cluster_ident, ident):
        """PATCH: min/max node count, node labels, node taints; 202."""
        ctx = utils.context()
        version = method.api_version()
        cluster = self._cluster(cluster_ident, None)
        policy.authorize(ctx, 'nodegroup:update', utils.target_of(cluster))
        row = self._find(cluster, ident)
        before = view.document(row)
        after = patching.apply(before, method.json_body(), PATCH_RULES)
        after = validation.coerce(schema.update(version), after)
        validation.validate(schema.update(version), after)
        if (version < versions.NODE_LABELS and
                (after['node_labels'] != before['node_labels'] or
                 after['node_taints'] != before['node_taints'])):
            versions.require(version, versions.NODE_LABELS,
                             'node_labels and node_taints')
        changes = {k: v for k, v in after.items() if before.get(k) != v}
        merged = dict(before, **changes)
        check_counts(row.name, row.node_count, merged['min_node_count'],
                     merged['max_node_count'])
        check_node_labels(row.name, merged['node_labels'])
        check_taints(row.name, row.role, merged['node_taints'])
        if not changes:
            return self._format(row, cluster)
        changes.update(status=states.UPDATE_IN_PROGRESS, status_reason=None)
        row = utils.dbapi().update_nodegroup(
            cluster.uuid, row.uuid, changes, expected_status=NOT_BUSY)
        self._cast(cluster, row, states.UPDATE_FAILED,
                   utils.rpcapi().update_nodegroup)
        return self._format(row, cluster)

    @method.expose(204)
    def delete(self, cluster_ident, ident):
        """DELETE: remove a non-default nodegroup; 204."""
        ctx = utils.context()
        cluster = self._cluster(cluster_ident, None)
        policy.authorize(ctx, 'nodegroup:delete', utils.target_of(cluster))
        row = self._find(cluster, ident)
        if row.is_default:
            raise exception.DeletingDefaultNGNotSupported()
        utils.dbapi().update_nodegroup(
            cluster.uuid, row.uuid, {'status': states.DELETE_IN_PROGRESS,
                                     'status_reason': None},
            expected_status=states.DELETE_ALLOWED_FROM)
        self._cast(cluster, row, states.DELETE_FAILED,
                   utils.rpcapi().delete_nodegroup)
