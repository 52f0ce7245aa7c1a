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

"""/v1/clusters: the cluster lifecycle.

Every change begins in the database: create writes the cluster and its
default nodegroups in CREATE_IN_PROGRESS, update and delete move the
status with an atomic compare-and-swap (a busy cluster answers 409), and
only then is the conductor told, by UUID. So a GET right after a 202
finds the cluster, and two concurrent operations cannot both start.
"""

from oslo_config import cfg
from oslo_log import log
from oslo_utils import uuidutils
from pecan import rest

from magnum_lite.api.controllers.v1 import cluster_actions
from magnum_lite.api.controllers.v1 import nodegroups
from magnum_lite.api import drivers
from magnum_lite.api import method
from magnum_lite.api import names
from magnum_lite.api import patching
from magnum_lite.api.schemas.v1 import cluster as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.api import validation_resources
from magnum_lite.api import versions
from magnum_lite.api.views import cluster as view
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import states

CONF = cfg.CONF
LOG = log.getLogger(__name__)

PATCH_RULES = patching.PatchRules(
    internal=('/api_address', '/node_addresses', '/master_addresses',
              '/stack_id', '/cluster_id', '/ca_cert_ref', '/magnum_cert_ref',
              '/etcd_ca_cert_ref', '/front_proxy_ca_cert_ref', '/trust_id',
              '/trustee_user_id', '/trustee_username', '/trustee_password',
              '/faults', '/status', '/status_reason'),
    literal_fields=('/labels', '/health_status_reason'))

# Members inherited from the template when the request does not set them.
FROM_TEMPLATE = {
    'keypair': 'keypair_id',
    'docker_volume_size': 'docker_volume_size',
    'master_flavor_id': 'master_flavor_id',
    'flavor_id': 'flavor_id',
    'fixed_network': 'fixed_network',
    'fixed_subnet': 'fixed_subnet',
    'floating_ip_enabled': 'floating_ip_enabled',
    'master_lb_enabled': 'master_lb_enabled',
}


def cast_or_fail(cluster_uuid, failed_status, cast, *args):
    """Cast to the conductor; if that is impossible, record why.

    The row already exists, so a lost cast would leave it in progress
    forever; instead it is marked failed and the client gets a 503.
    """
    try:
        cast(utils.context(), *args)
    except Exception as exc:
        LOG.exception('Could not reach the conductor for cluster %s',
                      cluster_uuid)
        utils.dbapi().update_cluster(cluster_uuid, {
            'status': failed_status,
            'status_reason': 'The conductor could not be reached: %s' % exc})
        raise exception.ConductorUnavailable(reason=str(exc))


def check_quota(ctx):
    """403 when the project already has as many clusters as it may."""
    dbapi = utils.dbapi()
    try:
        limit = dbapi.get_quota_by_project_id_resource(
            ctx.project_id, 'Cluster').hard_limit
    except exception.QuotaNotFound:
        limit = CONF.quotas.max_clusters_per_project
    count = dbapi.get_cluster_count(ctx, ctx.project_id)
    if count >= limit:
        raise exception.ResourceLimitExceeded(
            msg='You have reached the maximum clusters per project, %d. '
                'You may delete a cluster to make room for a new one.'
                % limit)


def merged_labels(template_labels, labels, merge):
    if labels is None:
        return dict(template_labels or {})
    if merge:
        return dict(template_labels or {}, **labels)
    return dict(labels)


def default_nodegroups(ctx, cluster, template, master_count, node_count):
    """The default-master and default-worker rows of a new cluster."""
    labels = cluster['labels']

    def group(name, role, count, flavor, **extra):
        values = {
            'uuid': uuidutils.generate_uuid(), 'name': name,
            'cluster_id': cluster['uuid'], 'project_id': ctx.project_id,
            'role': role, 'node_count': count, 'flavor_id': flavor,
            'image_id': template.image_id, 'is_default': True,
            'docker_volume_size': cluster.get('docker_volume_size'),
            'labels': dict(labels), 'status': states.CREATE_IN_PROGRESS,
            'min_node_count': 0, 'max_node_count': None,
            'node_labels': {}, 'node_taints': [],
        }
        values.update(extra)
        return values

    worker_bounds = {}
    for bound in ('min_node_count', 'max_node_count'):
        if labels.get(bound) not in (None, ''):
            try:
                worker_bounds[bound] = int(labels[bound])
            except (TypeError, ValueError):
                raise exception.InvalidLabels(
                    reason='%s must be an integer' % bound)
    return [
        group(states.DEFAULT_MASTER_NODEGROUP, states.NODEGROUP_ROLE_MASTER,
              master_count, cluster.get('master_flavor_id')),
        group(states.DEFAULT_WORKER_NODEGROUP, states.NODEGROUP_ROLE_WORKER,
              node_count, cluster.get('flavor_id'), **worker_bounds),
    ]


class ClustersController(rest.RestController):
    """Clusters by UUID or name; nodegroups and actions below each."""

    _custom_actions = {'detail': ['GET']}

    nodegroups = nodegroups.NodeGroupsController()
    actions = cluster_actions.ActionsController()

    resource = 'clusters'
    collection_key = 'clusters'

    # Bays rename a few members; clusters use them as they are.
    def format(self, row, detail=False, template_labels=None):
        return view.format(row, method.api_version(), detail,
                           template_labels)

    def to_values(self, body):
        return body

    def create_schema(self, version):
        return schema.create(version)

    def _template_labels(self, row, cache):
        if getattr(row, 'template_labels', None) is not None:
            return row.template_labels
        key = row.cluster_template_id
        if key not in cache:
            try:
                cache[key] = utils.dbapi().get_cluster_template_by_uuid(
                    utils.context(), key).labels
            except exception.NotFound:
                cache[key] = {}
        return cache[key]

    def _list(self, rule, all_projects_rule, detail):
        ctx = utils.context()
        policy.authorize(ctx, rule)
        utils.scope_all_projects(all_projects_rule)
        paging = utils.Paging(utils.query())
        rows = utils.dbapi().get_cluster_list(ctx, **paging.db_kwargs())
        cache = {}
        items = [self.format(r, detail, self._template_labels(r, cache)
                             if detail else None) for r in rows]
        return utils.collection(self.collection_key, items, paging,
                                self.resource, rows)

    @method.expose()
    def get_all(self):
        """GET: the project's clusters, summarised."""
        return self._list('cluster:get_all', 'cluster:get_all_all_projects',
                          detail=False)

    @method.expose()
    def detail(self):
        """GET detail: the project's clusters with every member."""
        return self._list('cluster:detail', 'cluster:detail_all_projects',
                          detail=True)

    @method.expose()
    def get_one(self, ident):
        """GET one cluster, with its faults when it failed."""
        ctx = utils.context()
        row = find_cluster(ident, 'cluster:get_one_all_projects')
        policy.authorize(ctx, 'cluster:get', utils.target_of(row))
        return self.format(row, True, self._template_labels(row, {}))

    def _find_template(self, ident, version):
        try:
            return utils.get_by_ident('cluster_template', ident)
        except exception.ClusterTemplateNotFound as exc:
            if version >= versions.TEMPLATE_404:
                raise
            raise exception.InvalidParameterValue(err=str(exc))

    @method.expose(202)
    def post(self):
        """POST: create a cluster; 202 {"uuid"} once its row exists."""
        ctx = utils.context()
        version = method.api_version()
        policy.authorize(ctx, 'cluster:create')
        body = self.to_values(method.json_body())
        body = validation.checked(self.create_schema(version), body)
        check_quota(ctx)
        template = self._find_template(body['cluster_template_id'], version)
        if template.hidden and template.project_id != ctx.project_id and \
                not ctx.is_admin:
            raise exception.NotAuthorized(
                'Cluster template %s is hidden.' % template.uuid)
        cluster = self._values(ctx, body, template)
        master_count = body.get('master_count', 1)
        node_count = body.get('node_count', 1)
        if master_count > 1 and not cluster['master_lb_enabled']:
            raise exception.InvalidParameterValue(
                err='master_count must be 1 when master_lb_enabled is False')
        driver = drivers.driver_for(template)
        drivers.check_labels(driver, cluster['labels'])
        validation_resources.Checker(ctx).cluster(driver, cluster, body)
        cluster['driver'] = drivers.driver_name_for(template)
        groups = default_nodegroups(ctx, cluster, template, master_count,
                                    node_count)
        row = utils.dbapi().create_cluster(cluster, groups)
        cast_or_fail(row.uuid, states.CREATE_FAILED,
                     utils.rpcapi().create_cluster, row.uuid,
                     cluster['create_timeout'])
        if version < versions.ASYNC and self.sync_before_1_2:
            method.answer_with(201)
            return self.format(utils.dbapi().get_cluster_by_uuid(
                ctx, row.uuid), True, template.labels)
        return {'uuid': row.uuid}

    # Only bays answered create and update synchronously at 1.1.
    sync_before_1_2 = False

    def _values(self, ctx, body, template):
        cluster = {
            'uuid': uuidutils.generate_uuid(),
            'name': body.get('name') or names.generate('cluster'),
            'project_id': ctx.project_id,
            'user_id': ctx.user_id,
            'cluster_template_id': template.uuid,
            'create_timeout': body.get('create_timeout',
                                       CONF.cluster.create_timeout),
            'discovery_url': body.get('discovery_url'),
            'status': states.CREATE_IN_PROGRESS,
            'labels': merged_labels(template.labels, body.get('labels'),
                                    body.get('merge_labels', False)),
        }
        for member, template_member in FROM_TEMPLATE.items():
            value = body.get(member)
            cluster[member] = (value if value is not None
                               else getattr(template, template_member, None))
        if cluster['floating_ip_enabled'] is None:
            cluster['floating_ip_enabled'] = True
        cluster['master_lb_enabled'] = bool(cluster['master_lb_enabled'])
        return cluster

    @method.expose(202)
    def patch(self, ident):
        """PATCH: change node_count or the health status; 202 {"uuid"}."""
        ctx = utils.context()
        version = method.api_version()
        row = find_cluster(ident, 'cluster:update_all_projects')
        patch = method.json_body()
        patching.check_patch(patch, PATCH_RULES)
        changed = patching.changed_roots(patch)
        refused = changed - set(schema.UPDATABLE)
        if refused:
            raise exception.InvalidParameterValue(
                err='cannot change cluster property(ies) %s.'
                    % ', '.join(sorted(refused)))
        health_only = not changed & {'node_count'}
        policy.authorize(ctx, 'cluster:update_health_status' if health_only
                         else 'cluster:update', utils.target_of(row))
        before = {'node_count': row.node_count,
                  'health_status': row.health_status,
                  'health_status_reason': row.health_status_reason}
        after = patching.apply(before, patch, PATCH_RULES)
        after = validation.coerce(schema.update(version), after)
        validation.validate(schema.update(version), after)
        rollback = self._rollback(version)
        dbapi = utils.dbapi()
        if health_only:
            dbapi.update_cluster(row.uuid, {
                'health_status': after['health_status'],
                'health_status_reason': after['health_status_reason']})
        else:
            dbapi.update_cluster(
                row.uuid, {'status': states.UPDATE_IN_PROGRESS,
                           'status_reason': None},
                expected_status=states.UPDATE_ALLOWED_FROM)
            cast_or_fail(row.uuid, states.UPDATE_FAILED,
                         utils.rpcapi().update_cluster, row.uuid,
                         after['node_count'], rollback)
        if version < versions.ASYNC and self.sync_before_1_2:
            method.answer_with(200)
            return self.format(dbapi.get_cluster_by_uuid(ctx, row.uuid),
                               True, self._template_labels(row, {}))
        return {'uuid': row.uuid}

    @staticmethod
    def _rollback(version):
        value = utils.query().get('rollback')
        if value is None or version < versions.ROLLBACK:
            return False
        return utils.parse_bool(value, 'rollback')

    @method.expose(204)
    def delete(self, ident):
        """DELETE: start deleting the cluster; 204."""
        ctx = utils.context()
        row = find_cluster(ident, 'cluster:delete_all_projects')
        policy.authorize(ctx, 'cluster:delete', utils.target_of(row))
        utils.dbapi().update_cluster(
            row.uuid, {'status': states.DELETE_IN_PROGRESS,
                       'status_reason': None},
            expected_status=states.DELETE_ALLOWED_FROM)
        cast_or_fail(row.uuid, states.DELETE_FAILED,
                     utils.rpcapi().delete_cluster, row.uuid)


def find_cluster(ident, all_projects_rule=None):
    """A cluster by UUID or name, within the caller's visibility."""
    if all_projects_rule:
        utils.scope_all_projects(all_projects_rule)
    return utils.get_by_ident('cluster', ident)


def require_version(minimum, what):
    versions.require(method.api_version(), minimum, what)
