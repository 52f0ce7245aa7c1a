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

"""The long part of each cluster operation, run in a conductor worker.

Each function is handed UUIDs, reads the rows itself, calls the driver
and records what the conductor owns (backend ids, node counts). Failures
are turned into *_FAILED by the caller (ConductorManager._run).
"""

from oslo_log import log as logging

from magnum_lite.certificates import store
from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.common import trusts
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import base as driver_base
from magnum_lite.drivers import loader

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)


def admin_context():
    return ml_context.make_admin_context(all_tenants=True)


def get_cluster(dbapi, cluster_uuid):
    return dbapi.get_cluster_by_uuid(admin_context(), cluster_uuid)


def get_template(dbapi, cluster):
    return dbapi.get_cluster_template_by_uuid(admin_context(),
                                              cluster.cluster_template_id)


def get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid):
    return dbapi.get_nodegroup_by_uuid(admin_context(), cluster_uuid,
                                       nodegroup_uuid)


class DriverServices(driver_base.ClusterServices):
    """What this conductor lends its drivers, from its database."""

    def __init__(self, dbapi):
        self.dbapi = dbapi

    def cluster_template(self, cluster):
        return get_template(self.dbapi, cluster)

    def ca_certificate(self, cluster_uuid, ca_type=None):
        return store.get_ca_certificate(self.dbapi, cluster_uuid, ca_type)

    def ca_key_pair(self, cluster_uuid, ca_type=None):
        return store.get_ca_key_pair(self.dbapi, cluster_uuid, ca_type)

    def sign(self, cluster_uuid, csr, ca_type=None):
        return store.sign_certificate(self.dbapi, cluster_uuid, csr, ca_type)


def driver_for(dbapi, cluster):
    return loader.get_driver_for_cluster(admin_context(), cluster,
                                         get_template(dbapi, cluster))


def container_host(dbapi, cluster):
    """The ContainerHost of the cluster's driver (NotSupported if none)."""
    host = driver_for(dbapi, cluster).container_host()
    if host is None:
        raise exception.NotSupported(
            operation='Running containers on cluster %s (its driver has no '
                      'container host)' % (cluster.name or cluster.uuid))
    return host


def needs_trust(cluster):
    """Whether the cluster still lacks the trust its create makes.

    Only with Keystone ([api] auth_strategy) and [trust] enabled; making
    it takes the user's token, which only the create request carries.
    """
    return (CONF.api.auth_strategy == 'keystone' and CONF.trust.enabled
            and not cluster.trust_id)


def _create_trust(dbapi, context, cluster):
    """The cluster's trust, made while the user's token is still valid.

    A cluster whose create is retried keeps the trust it has.
    """
    if not needs_trust(cluster):
        return cluster
    dbapi.update_cluster(cluster.uuid,
                         trusts.create_trust(context, cluster.uuid))
    return get_cluster(dbapi, cluster.uuid)


def create(dbapi, context, cluster_uuid, create_timeout):
    """Start the cluster's backend and record its id.

    Safe to run again for a create that stopped half-way (see
    magnum_lite.conductor.periodics): the trust and CAs made already are
    kept and a driver adopts a backend made already.
    """
    cluster = get_cluster(dbapi, cluster_uuid)
    driver = driver_for(dbapi, cluster)
    driver.validate_labels(cluster.labels)
    cluster = _create_trust(dbapi, context, cluster)
    store.generate_cluster_cas(dbapi, cluster)
    timeout = create_timeout if create_timeout is not None \
        else cluster.create_timeout
    backend_id = driver.create_cluster(context, cluster,
                                       list(cluster.nodegroups), timeout)
    # Recorded whatever the status is now: a delete that started meanwhile
    # needs the id to remove the backend.
    dbapi.update_cluster(cluster_uuid, {'stack_id': backend_id})
    for nodegroup in cluster.nodegroups:
        if nodegroup.is_default and not nodegroup.stack_id:
            dbapi.update_nodegroup(cluster_uuid, nodegroup.uuid,
                                   {'stack_id': backend_id})
    LOG.info('Cluster %s: backend %s is being created', cluster_uuid,
             backend_id)


def _set_node_count(dbapi, cluster_uuid, nodegroup, node_count):
    """Record the wanted count; returns the previous one."""
    previous = nodegroup.node_count
    if node_count is not None and node_count != previous:
        dbapi.update_nodegroup(cluster_uuid, nodegroup.uuid,
                               {'node_count': node_count})
    return previous


def update(dbapi, context, cluster_uuid, node_count, rollback):
    cluster = get_cluster(dbapi, cluster_uuid)
    driver = driver_for(dbapi, cluster)
    worker = cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
    if worker is None:
        raise exception.NodeGroupNotFound(nodegroup='default-worker')
    previous = _set_node_count(dbapi, cluster_uuid, worker, node_count)
    try:
        cluster = get_cluster(dbapi, cluster_uuid)
        driver.update_cluster(context, cluster, list(cluster.nodegroups),
                              rollback=rollback)
    except Exception:
        _set_node_count(dbapi, cluster_uuid,
                        get_nodegroup(dbapi, cluster_uuid, worker.uuid),
                        previous)
        raise


def resize(dbapi, context, cluster_uuid, nodegroup_uuid, node_count,
           nodes_to_remove):
    cluster = get_cluster(dbapi, cluster_uuid)
    driver = driver_for(dbapi, cluster)
    nodegroup = get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid)
    previous = _set_node_count(dbapi, cluster_uuid, nodegroup, node_count)
    try:
        cluster = get_cluster(dbapi, cluster_uuid)
        nodegroup = get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid)
        driver.resize_cluster(context, cluster, nodegroup, node_count,
                              list(nodes_to_remove or []))
    except Exception:
        _set_node_count(dbapi, cluster_uuid,
                        get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid),
                        previous)
        raise


def _upgraded_labels(labels, template, names):
    """Own labels naming a version, moved to the template's value.

    A cluster (or nodegroup) that set its own kube_tag would otherwise
    keep rendering the old version into later stacks and updates.
    """
    new = dict(labels or {})
    for name in names:
        if name in new and name in (template.labels or {}):
            new[name] = template.labels[name]
    return new if new != (labels or {}) else None


def upgrade(dbapi, context, cluster_uuid, cluster_template_uuid,
            max_batch_size, nodegroup_uuid):
    cluster = get_cluster(dbapi, cluster_uuid)
    driver = driver_for(dbapi, cluster)
    template = dbapi.get_cluster_template_by_uuid(admin_context(),
                                                  cluster_template_uuid)
    nodegroup = None
    if nodegroup_uuid:
        nodegroup = get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid)
    driver.upgrade_cluster(context, cluster, template, max_batch_size,
                           nodegroup)
    names = getattr(driver, 'version_labels', ())
    # The whole cluster (or its default nodegroups) now follows the new
    # template; a non-default nodegroup upgrade leaves the cluster's.
    if nodegroup is None or nodegroup.is_default:
        values = {'cluster_template_id': template.uuid}
        labels = _upgraded_labels(cluster.labels, template, names)
        if labels is not None:
            values['labels'] = labels
        dbapi.update_cluster(cluster_uuid, values)
        groups = [ng for ng in cluster.nodegroups if ng.is_default]
    else:
        groups = [nodegroup]
    for group in groups:
        labels = _upgraded_labels(group.labels, template, names)
        if labels is not None:
            dbapi.update_nodegroup(cluster_uuid, group.uuid,
                                   {'labels': labels})


def delete(dbapi, context, cluster_uuid):
    """Delete the backend; a cluster that never got one goes at once."""
    cluster = get_cluster(dbapi, cluster_uuid)
    if not cluster.stack_id:
        destroy(dbapi, cluster_uuid)
        return
    driver = driver_for(dbapi, cluster)
    driver.delete_cluster(context, cluster)


def _container_host_or_none(dbapi, cluster):
    """The cluster's ContainerHost, None if it has none or no driver."""
    try:
        return driver_for(dbapi, cluster).container_host()
    except exception.MagnumLiteException as exc:
        # A disabled or removed driver must not keep the rows.
        LOG.warning('Cluster %s: no driver to forget its container '
                    'clients: %s', cluster.uuid, exc)
        return None


def destroy(dbapi, cluster_uuid):
    """Remove the cluster, its nodegroups, certificates and trust."""
    cluster = get_cluster(dbapi, cluster_uuid)
    host = _container_host_or_none(dbapi, cluster)
    # The trust outlives nothing it was made for; delete_trust logs
    # Keystone errors rather than keep the row.
    trusts.delete_trust(cluster)
    dbapi.destroy_cluster_certificates(cluster_uuid)
    dbapi.destroy_cluster(cluster_uuid)
    if host is not None:
        host.forget(cluster_uuid)
    LOG.info('Cluster %s deleted', cluster_uuid)


def create_nodegroup(dbapi, context, cluster_uuid, nodegroup_uuid):
    cluster = get_cluster(dbapi, cluster_uuid)
    driver = driver_for(dbapi, cluster)
    nodegroup = get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid)
    driver.validate_labels(nodegroup.labels)
    backend_id = driver.create_nodegroup(context, cluster, nodegroup)
    if backend_id:
        dbapi.update_nodegroup(cluster_uuid, nodegroup_uuid,
                               {'stack_id': backend_id})


def update_nodegroup(dbapi, context, cluster_uuid, nodegroup_uuid):
    cluster = get_cluster(dbapi, cluster_uuid)
    driver = driver_for(dbapi, cluster)
    nodegroup = get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid)
    driver.update_nodegroup(context, cluster, nodegroup)


def delete_nodegroup(dbapi, context, cluster_uuid, nodegroup_uuid):
    cluster = get_cluster(dbapi, cluster_uuid)
    driver = driver_for(dbapi, cluster)
    nodegroup = get_nodegroup(dbapi, cluster_uuid, nodegroup_uuid)
    driver.delete_nodegroup(context, cluster, nodegroup)


def rotate_ca_certificate(dbapi, context, cluster_uuid):
    cluster = get_cluster(dbapi, cluster_uuid)
    driver_for(dbapi, cluster).rotate_ca_certificate(context, cluster)


def user_reason(operation, exc):
    """A status_reason the user can act on, without a traceback."""
    if isinstance(exc, exception.MagnumLiteException):
        detail = exc.format_message()
    else:
        detail = '%s: %s' % (type(exc).__name__, exc)
    return '%s failed: %s' % (operation, detail)
