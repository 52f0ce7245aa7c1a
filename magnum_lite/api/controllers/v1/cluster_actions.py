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

"""/v1/clusters/{ident}/actions/{resize,upgrade}."""

from pecan import rest

from magnum_lite.api import drivers
from magnum_lite.api import method
from magnum_lite.api.schemas.v1 import cluster as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.api import versions
from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import states


def _clusters():
    # clusters imports this module to mount it.
    from magnum_lite.api.controllers.v1 import clusters
    return clusters


def nodegroup_of(cluster, ident, default_role=states.NODEGROUP_ROLE_WORKER):
    """The named nodegroup of a cluster, or its default one of a role."""
    if ident:
        return utils.get_by_ident('nodegroup', ident, cluster.uuid)
    for ng in cluster.nodegroups or []:
        if ng.is_default and ng.role == default_role:
            return ng
    raise exception.NodeGroupNotFound(nodegroup='default ' + default_role)


def check_upgrade(cluster, template, nodegroup):
    """400 unless the cluster's driver can move it to `template`.

    The template must be of the cluster's COE and driver; the driver then
    judges the versions (a k8s_heat cluster needs a kube_tag that is not
    older, a swarm_heat cluster is never upgraded in place).
    """
    current = utils.dbapi().get_cluster_template_by_uuid(
        ml_context.make_admin_context(), cluster.cluster_template_id)
    driver_name = cluster.driver or drivers.driver_name_for(current)
    try:
        new_driver_name = drivers.driver_name_for(template)
    except exception.NotSupported:
        new_driver_name = None
    if template.coe != current.coe or new_driver_name != driver_name:
        raise exception.InvalidParameterValue(
            err='Cluster template %s is for %s clusters of driver %s; '
                'cluster %s is a %s cluster of driver %s: an upgrade keeps '
                'the COE and the driver.' % (
                    template.name, template.coe, new_driver_name,
                    cluster.name, current.coe, driver_name))
    check = getattr(drivers.driver_for(current), 'check_upgrade', None)
    if check is not None:
        check(cluster, current, template,
              None if nodegroup.is_default else nodegroup)


class ActionsController(rest.RestController):

    _custom_actions = {'resize': ['POST'], 'upgrade': ['POST']}

    @method.expose(202)
    def resize(self, cluster_ident):
        """POST resize: set a nodegroup's node count; 202 {"uuid"}."""
        version = method.api_version()
        versions.require(version, versions.RESIZE, 'cluster resize')
        ctx = utils.context()
        cluster = _clusters().find_cluster(cluster_ident,
                                           'cluster:update_all_projects')
        policy.authorize(ctx, 'cluster:resize', utils.target_of(cluster))
        body = validation.checked(schema.resize(version), method.json_body())
        nodegroup = nodegroup_of(cluster, body.get('nodegroup'))
        if nodegroup.role == states.NODEGROUP_ROLE_MASTER:
            raise exception.MasterNGResizeNotSupported()
        node_count = body['node_count']
        low = nodegroup.min_node_count or 0
        high = nodegroup.max_node_count
        if node_count < low or (high is not None and node_count > high):
            raise exception.NGResizeOutBounds(
                nodegroup=nodegroup.name, min_nc=low, max_nc=high)
        utils.dbapi().update_cluster(
            cluster.uuid, {'status': states.UPDATE_IN_PROGRESS,
                           'status_reason': None},
            expected_status=states.RESIZE_ALLOWED_FROM)
        _clusters().cast_or_fail(
            cluster.uuid, states.UPDATE_FAILED,
            utils.rpcapi().resize_cluster, cluster.uuid, nodegroup.uuid,
            node_count, body.get('nodes_to_remove', []))
        return {'uuid': cluster.uuid}

    @method.expose(202)
    def upgrade(self, cluster_ident):
        """POST upgrade: move to another template's version; 202."""
        version = method.api_version()
        versions.require(version, versions.UPGRADE_ROUTE, 'cluster upgrade')
        if version < versions.UPGRADE:
            raise exception.NotSupported(
                operation='Cluster upgrade at microversion %s' % str(version))
        ctx = utils.context()
        cluster = _clusters().find_cluster(cluster_ident,
                                           'cluster:upgrade_all_projects')
        policy.authorize(ctx, 'cluster:upgrade', utils.target_of(cluster))
        body = validation.checked(schema.UPGRADE, method.json_body())
        template = utils.get_by_ident('cluster_template',
                                      body['cluster_template'])
        nodegroup = nodegroup_of(cluster, body.get('nodegroup'))
        if (not nodegroup.is_default and
                template.uuid != cluster.cluster_template_id):
            raise exception.InvalidClusterTemplateForUpgrade(
                reason='a non-default nodegroup can only be upgraded to '
                       'the cluster template of its cluster')
        check_upgrade(cluster, template, nodegroup)
        utils.dbapi().update_cluster(
            cluster.uuid, {'status': states.UPDATE_IN_PROGRESS,
                           'status_reason': None},
            expected_status=states.UPDATE_ALLOWED_FROM)
        _clusters().cast_or_fail(
            cluster.uuid, states.UPDATE_FAILED,
            utils.rpcapi().upgrade_cluster, cluster.uuid, template.uuid,
            body.get('max_batch_size', 1),
            None if nodegroup.is_default and not body.get('nodegroup')
            else nodegroup.uuid)
        return {'uuid': cluster.uuid}
