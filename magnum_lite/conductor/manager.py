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

"""The conductor's RPC endpoint: one method per RPC of ConductorAPI.

Each method checks its arguments and the cluster's status, takes the
cluster's lock (see magnum_lite.conductor.locking) and hands the long part
to a worker thread (magnum_lite.conductor.clusters), so the RPC thread
returns at once. Whatever a worker raises ends the operation in *_FAILED
with a reason the user can act on.
"""

import threading

import futurist
from futurist import waiters
from oslo_log import log as logging
import oslo_messaging as messaging

from magnum_lite.certificates import store
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import clusters
from magnum_lite.conductor import containers
from magnum_lite.conductor import locking
from magnum_lite.conductor import periodics
from magnum_lite.conductor import rpcapi
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import base as driver_base
from magnum_lite.drivers import loader

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

# _spawn's default lock wait: the configured one (None there means no wait).
_CONFIGURED_LOCK_WAIT = object()


def _lock_wait():
    """Seconds a cast waits for the cluster's lock before it gives up."""
    return CONF.conductor.cluster_lock_timeout


class ConductorManager:
    """RPC endpoint and owner of the worker pool of one conductor."""

    target = messaging.Target(version=rpcapi.RPC_API_VERSION)
    # What a message may call: the RPC API, not the life cycle methods.
    RPC_METHODS = rpcapi.METHODS

    def __init__(self, host=None, dbapi=None):
        self.host = host or CONF.host
        if dbapi is None:
            from magnum_lite.db import api as db_api
            dbapi = db_api.get_instance()
        self.dbapi = dbapi
        self.locks = locking.ClusterLocks()
        self._executor = None
        self._accepting = False
        self._running = set()
        self._futures = set()
        self._running_guard = threading.Lock()
        self._periodics = None
        self.service_id = None

    # Life cycle ---------------------------------------------------------

    def start(self, run_periodics=True):
        """Get ready for work, then tell the other services (both steps)."""
        self.prepare()
        self.announce(run_periodics)

    def prepare(self):
        """Load the drivers and start the worker pool; accept RPCs."""
        loader.load_drivers(clusters.DriverServices(self.dbapi))
        self._executor = futurist.ThreadPoolExecutor(
            max_workers=CONF.conductor.workers)
        self._accepting = True

    def announce(self, run_periodics=True):
        """Heart-beat and start the periodic jobs.

        Only once the RPC server listens: the first heartbeat makes this
        conductor the owner of clusters, and casts sent to it before its
        queue exists would be lost.
        """
        self.heartbeat()
        service = self.dbapi.get_service_by_host_and_binary(
            self.host, locking.CONDUCTOR_BINARY)
        self.service_id = service.id
        if service.forced_down:
            self.dbapi.update_service(service.id, {'forced_down': False})
        if run_periodics and CONF.periodic_enable:
            self._periodics = periodics.start(self)
        LOG.info('Conductor %s started', self.host)

    def stop(self, graceful=True):
        """Stop taking work, let running operations finish, mark down.

        Running operations get [conductor] graceful_shutdown_timeout
        seconds; those still running after that are abandoned in their
        *_IN_PROGRESS status, which the status sync of the conductor that
        owns the cluster next finishes.
        """
        self._accepting = False
        if self._periodics is not None:
            self._periodics.stop()
            self._periodics.wait()
            self._periodics = None
        if self._executor is not None:
            timeout = CONF.conductor.graceful_shutdown_timeout if graceful \
                else 0
            if not self.wait_for_operations(timeout):
                LOG.warning('Conductor %s stopped with operations still '
                            'running on clusters %s', self.host,
                            ', '.join(sorted(self.running_operations())))
            self._executor.shutdown(wait=False)
        if self.service_id is not None:
            try:
                # Marked down at once, rather than after service_down_time,
                # so the other conductors take over its clusters now.
                self.dbapi.update_service(self.service_id,
                                          {'forced_down': True})
            except Exception:
                LOG.exception('Could not mark conductor %s down', self.host)
        LOG.info('Conductor %s stopped', self.host)

    def heartbeat(self):
        self.dbapi.service_heartbeat(self.host, locking.CONDUCTOR_BINARY)

    def running_operations(self):
        with self._running_guard:
            return set(self._running)

    def wait_for_operations(self, timeout=None):
        """Wait for the operations running now; True when all ended."""
        with self._running_guard:
            futures = set(self._futures)
        done, not_done = waiters.wait_for_all(futures, timeout)
        return not not_done

    # Workers ------------------------------------------------------------

    def _spawn(self, cluster_uuid, operation, failure, work, *args,
               lock_timeout=_CONFIGURED_LOCK_WAIT):
        """Run `work` in a worker holding the cluster lock.

        `failure` is a callable (cluster_uuid, reason) that records the
        failed status. The lock is taken here, in the RPC thread, so two
        casts for one cluster queue rather than interleave; a
        `lock_timeout` of None does not wait for it.
        """
        self._check_accepting()
        if lock_timeout is _CONFIGURED_LOCK_WAIT:
            lock_timeout = _lock_wait()
        if not self.locks.acquire(cluster_uuid, timeout=lock_timeout):
            raise exception.OperationInProgress(
                resource='Cluster', name=cluster_uuid,
                status='locked by conductor %s' % self.host)
        self.locks.operation_started(cluster_uuid)
        with self._running_guard:
            self._running.add(cluster_uuid)
        try:
            future = self._executor.submit(self._run, cluster_uuid,
                                           operation, failure, work, *args)
        except Exception:
            self._finished(cluster_uuid)
            raise
        with self._running_guard:
            self._futures.add(future)
        future.add_done_callback(
            lambda done: self._finished(cluster_uuid, done))
        return future

    def _check_accepting(self):
        if not self._accepting:
            raise exception.ConductorUnavailable(
                reason='conductor %s is stopping' % self.host)

    def _finished(self, cluster_uuid, future=None):
        with self._running_guard:
            self._running.discard(cluster_uuid)
            self._futures.discard(future)
        self.locks.release(cluster_uuid)

    def _run(self, cluster_uuid, operation, failure, work, *args):
        try:
            work(self.dbapi, *args)
        except Exception as exc:
            LOG.exception('%s of cluster %s failed', operation, cluster_uuid)
            try:
                failure(cluster_uuid, clusters.user_reason(operation, exc))
            except Exception:
                LOG.exception('Could not record the failure of %s on '
                              'cluster %s', operation, cluster_uuid)

    def _cluster_failure(self, in_progress, failed):
        def record(cluster_uuid, reason):
            try:
                self.dbapi.update_cluster(
                    cluster_uuid, {'status': failed, 'status_reason': reason},
                    expected_status=(in_progress,))
            except (exception.OperationInProgress,
                    exception.ClusterNotFound):
                # Another operation (a delete) took over meanwhile; its
                # status stands.
                LOG.info('Cluster %s moved on; not marking it %s',
                         cluster_uuid, failed)
        return record

    def _nodegroup_failure(self, nodegroup_uuids, in_progress, failed):
        cluster_record = self._cluster_failure(states.UPDATE_IN_PROGRESS,
                                               states.UPDATE_FAILED)

        def record(cluster_uuid, reason):
            for nodegroup_uuid in nodegroup_uuids:
                try:
                    self.dbapi.update_nodegroup(
                        cluster_uuid, nodegroup_uuid,
                        {'status': failed, 'status_reason': reason},
                        expected_status=(in_progress,))
                except (exception.OperationInProgress,
                        exception.NodeGroupNotFound):
                    pass
            cluster_record(cluster_uuid, reason)
        return record

    def _update_nodegroups(self, cluster_uuid, nodegroup_uuid=None):
        """Move the nodegroups a cluster update works on to in progress.

        The default nodegroups share the cluster's own backend (one Heat
        stack, as in Magnum): an update, a resize or an upgrade of the
        cluster or of a default nodegroup is theirs too, and only a status
        of their own in progress lets the status sync move them on with
        the cluster. Another nodegroup has a backend of its own. Returns
        the failure recorder for the cluster and those nodegroups.
        """
        cluster = clusters.get_cluster(self.dbapi, cluster_uuid)
        chosen = [ng for ng in cluster.nodegroups if ng.uuid == nodegroup_uuid]
        if not chosen or chosen[0].is_default:
            chosen = [ng for ng in cluster.nodegroups if ng.is_default]
        for nodegroup in chosen:
            self.dbapi.update_nodegroup(cluster_uuid, nodegroup.uuid,
                                        {'status': states.UPDATE_IN_PROGRESS,
                                         'status_reason': None})
        return self._nodegroup_failure([ng.uuid for ng in chosen],
                                       states.UPDATE_IN_PROGRESS,
                                       states.UPDATE_FAILED)

    def _claim(self, cluster_uuid, in_progress, allowed_from):
        """Check (or move) the cluster into `in_progress` atomically.

        The API normally did the compare-and-swap before casting; doing it
        again here is harmless and makes a cast that arrives for a cluster
        that moved on (e.g. deleted meanwhile) fail fast.
        """
        self._check_accepting()
        return self.dbapi.update_cluster(
            cluster_uuid, {'status': in_progress, 'status_reason': None},
            expected_status=tuple(allowed_from) + (in_progress,))

    def _cast_guard(self, operation, cluster_uuid, in_progress, failed,
                    allowed_from=()):
        # Counted as soon as the cast arrives: what it changes before its
        # worker starts (nodegroup counts) already outdates a sync report.
        self.locks.operation_started(cluster_uuid)
        try:
            self._claim(cluster_uuid, in_progress, allowed_from)
        except exception.OperationInProgress as exc:
            LOG.warning('%s of cluster %s refused: %s', operation,
                        cluster_uuid, exc)
            raise
        return self._cluster_failure(in_progress, failed)

    # Cluster RPCs --------------------------------------------------------

    def create_cluster(self, context, cluster_uuid, create_timeout=None):
        failure = self._cast_guard('Create', cluster_uuid,
                                   states.CREATE_IN_PROGRESS,
                                   states.CREATE_FAILED)
        self._spawn(cluster_uuid, 'Cluster create', failure, clusters.create,
                    context, cluster_uuid, create_timeout)

    def resume_create(self, cluster_uuid):
        """Run again a create whose conductor stopped before its backend.

        Not an RPC: the status sync calls it (see
        magnum_lite.conductor.periodics) for a cluster still in
        CREATE_IN_PROGRESS without a backend id. It runs like a cast's
        create, with an admin context, and fails at once with
        OperationInProgress when the cluster's lock is busy.
        """
        self._spawn(cluster_uuid, 'Cluster create',
                    self._cluster_failure(states.CREATE_IN_PROGRESS,
                                          states.CREATE_FAILED),
                    clusters.create, clusters.admin_context(), cluster_uuid,
                    None, lock_timeout=None)

    def update_cluster(self, context, cluster_uuid, node_count=None,
                       rollback=False):
        if node_count is not None and node_count < 0:
            raise exception.InvalidParameterValue(
                err='node_count must be 0 or more')
        failure = self._cast_guard('Update', cluster_uuid,
                                   states.UPDATE_IN_PROGRESS,
                                   states.UPDATE_FAILED,
                                   states.UPDATE_ALLOWED_FROM)
        failure = self._update_nodegroups(cluster_uuid)
        self._spawn(cluster_uuid, 'Cluster update', failure, clusters.update,
                    context, cluster_uuid, node_count, rollback)

    def resize_cluster(self, context, cluster_uuid, nodegroup_uuid,
                       node_count, nodes_to_remove=None):
        if node_count is None or node_count < 0:
            raise exception.InvalidParameterValue(
                err='node_count must be 0 or more')
        failure = self._cast_guard('Resize', cluster_uuid,
                                   states.UPDATE_IN_PROGRESS,
                                   states.UPDATE_FAILED,
                                   states.RESIZE_ALLOWED_FROM)
        failure = self._update_nodegroups(cluster_uuid, nodegroup_uuid)
        self._spawn(cluster_uuid, 'Cluster resize', failure, clusters.resize,
                    context, cluster_uuid, nodegroup_uuid, node_count,
                    nodes_to_remove or [])

    def upgrade_cluster(self, context, cluster_uuid, cluster_template_uuid,
                        max_batch_size=1, nodegroup_uuid=None):
        if max_batch_size is not None and max_batch_size < 1:
            raise exception.InvalidParameterValue(
                err='max_batch_size must be 1 or more')
        failure = self._cast_guard('Upgrade', cluster_uuid,
                                   states.UPDATE_IN_PROGRESS,
                                   states.UPDATE_FAILED,
                                   states.UPDATE_ALLOWED_FROM)
        failure = self._update_nodegroups(cluster_uuid, nodegroup_uuid)
        self._spawn(cluster_uuid, 'Cluster upgrade', failure,
                    clusters.upgrade, context, cluster_uuid,
                    cluster_template_uuid, max_batch_size, nodegroup_uuid)

    def delete_cluster(self, context, cluster_uuid):
        failure = self._cast_guard('Delete', cluster_uuid,
                                   states.DELETE_IN_PROGRESS,
                                   states.DELETE_FAILED,
                                   states.DELETE_ALLOWED_FROM)
        self._spawn(cluster_uuid, 'Cluster delete', failure, clusters.delete,
                    context, cluster_uuid)

    # Nodegroup RPCs ------------------------------------------------------

    def _nodegroup_cast(self, operation, work, context, cluster_uuid,
                        nodegroup_uuid, in_progress, failed):
        self._claim(cluster_uuid, states.UPDATE_IN_PROGRESS,
                    states.UPDATE_ALLOWED_FROM + (states.UPDATE_FAILED,))
        # Recorded here too so the status sync follows the nodegroup even
        # when the caller did not move it.
        self.dbapi.update_nodegroup(cluster_uuid, nodegroup_uuid,
                                    {'status': in_progress,
                                     'status_reason': None})
        failure = self._nodegroup_failure([nodegroup_uuid], in_progress,
                                          failed)
        self._spawn(cluster_uuid, operation, failure, work, context,
                    cluster_uuid, nodegroup_uuid)

    def create_nodegroup(self, context, cluster_uuid, nodegroup_uuid):
        self._nodegroup_cast('Nodegroup create', clusters.create_nodegroup,
                             context, cluster_uuid, nodegroup_uuid,
                             states.CREATE_IN_PROGRESS, states.CREATE_FAILED)

    def update_nodegroup(self, context, cluster_uuid, nodegroup_uuid):
        self._nodegroup_cast('Nodegroup update', clusters.update_nodegroup,
                             context, cluster_uuid, nodegroup_uuid,
                             states.UPDATE_IN_PROGRESS, states.UPDATE_FAILED)

    def delete_nodegroup(self, context, cluster_uuid, nodegroup_uuid):
        self._nodegroup_cast('Nodegroup delete', clusters.delete_nodegroup,
                             context, cluster_uuid, nodegroup_uuid,
                             states.DELETE_IN_PROGRESS, states.DELETE_FAILED)

    # Certificate and credential RPCs (calls) ---------------------------

    def _visible_cluster(self, context, cluster_uuid):
        """The cluster, if the caller may see it.

        The API has authorized the request already (including an admin's
        view of other projects); this only keeps a project member from
        reaching another project's CA with a guessed UUID.
        """
        cluster = clusters.get_cluster(self.dbapi, cluster_uuid)
        if context is not None and not (context.is_admin or
                                        context.all_tenants) and \
                cluster.project_id != context.project_id:
            raise exception.ClusterNotFound(cluster=cluster_uuid)
        return cluster

    def get_ca_certificate(self, context, cluster_uuid, ca_cert_type=None):
        cluster = self._visible_cluster(context, cluster_uuid)
        return store.get_ca_certificate(self.dbapi, cluster.uuid,
                                        ca_cert_type)

    def sign_certificate(self, context, cluster_uuid, csr,
                         ca_cert_type=None):
        cluster = self._visible_cluster(context, cluster_uuid)
        return store.sign_certificate(self.dbapi, cluster.uuid, csr,
                                      ca_cert_type)

    def rotate_ca_certificate(self, context, cluster_uuid):
        cluster = self._visible_cluster(context, cluster_uuid)
        driver = clusters.driver_for(self.dbapi, cluster)
        if not _overrides(driver, 'rotate_ca_certificate'):
            # Checked before anything changes: new CAs the nodes never get
            # would break every certificate signed from now on.
            raise exception.NotSupported(
                operation='Rotating the CA certificate of cluster %s (its '
                          'driver cannot redeploy a CA)' % cluster.name)
        failure = self._cast_guard('CA rotation', cluster_uuid,
                                   states.UPDATE_IN_PROGRESS,
                                   states.UPDATE_FAILED,
                                   states.UPDATE_ALLOWED_FROM)
        if not self.locks.acquire(cluster_uuid, timeout=_lock_wait()):
            failure(cluster_uuid, 'CA rotation failed: cluster is locked')
            raise exception.OperationInProgress(
                resource='Cluster', name=cluster.name,
                status=states.UPDATE_IN_PROGRESS)
        try:
            store.rotate_cluster_cas(self.dbapi, cluster)
        except Exception as exc:
            failure(cluster_uuid, clusters.user_reason('CA rotation', exc))
            raise
        finally:
            self.locks.release(cluster_uuid)
        self._spawn(cluster_uuid, 'CA rotation', failure,
                    clusters.rotate_ca_certificate, context, cluster_uuid)

    def rotate_credential(self, context, cluster_uuid):
        cluster = self._visible_cluster(context, cluster_uuid)
        driver = clusters.driver_for(self.dbapi, cluster)
        with self.locks.held(cluster_uuid, timeout=_lock_wait(),
                             name=cluster.name):
            driver.rotate_credential(context, cluster)

    # Federation RPCs (calls) --------------------------------------------

    def _federation_driver(self, context, federation_uuid):
        federation = self.dbapi.get_federation_by_uuid(context,
                                                       federation_uuid)
        host = self.dbapi.get_cluster_by_uuid(context,
                                              federation.hostcluster_id)
        driver = clusters.driver_for(self.dbapi, host)
        if not driver.supports_federation:
            raise exception.NotSupported(
                operation='Federation with host cluster %s (its driver '
                          'cannot federate clusters)' % host.name)
        return driver, federation

    def create_federation(self, context, federation_uuid):
        driver, federation = self._federation_driver(context, federation_uuid)
        driver.create_federation(context, federation)

    def update_federation(self, context, federation_uuid):
        driver, federation = self._federation_driver(context, federation_uuid)
        driver.update_federation(context, federation)

    def delete_federation(self, context, federation_uuid):
        driver, federation = self._federation_driver(context, federation_uuid)
        driver.delete_federation(context, federation)

    # Container RPCs (1.1) -------------------------------------------------

    def _visible_container(self, context, container_uuid):
        """The container row, if the caller's project may see it."""
        scoped = context is not None and not (context.is_admin or
                                              context.all_tenants)
        return self.dbapi.get_container_by_uuid(
            context if scoped else None, container_uuid)

    def create_container(self, context, container_uuid):
        self._check_accepting()

        def failure(_key, reason):
            containers.create_failed(self.dbapi, container_uuid, reason)

        # Keyed by container: placement has its own per-cluster lock, and
        # a long image copy must not hold up the cluster's operations.
        self._spawn('container:' + container_uuid, 'Container create',
                    failure, containers.create, container_uuid)

    def delete_container(self, context, container_uuid):
        row = self._visible_container(context, container_uuid)
        containers.delete(self.dbapi, row)

    def action_container(self, context, container_uuid, action):
        if action not in containers.ACTIONS:
            raise exception.InvalidParameterValue(
                err='Unknown container action %r' % action)
        row = self._visible_container(context, container_uuid)
        return containers.action(self.dbapi, row, action).status

    def get_container_logs(self, context, container_uuid):
        row = self._visible_container(context, container_uuid)
        return containers.logs(self.dbapi, row)

    def execute_container(self, context, container_uuid, command):
        row = self._visible_container(context, container_uuid)
        code, output = containers.execute(self.dbapi, row, command)
        return {'output': output, 'exit_code': code}

    def refresh_containers(self, context, container_uuids):
        rows = []
        for container_uuid in container_uuids:
            try:
                rows.append(self._visible_container(context,
                                                    container_uuid))
            except exception.ContainerNotFound:
                continue
        containers.refresh(self.dbapi, rows)


def _overrides(driver, method):
    return (getattr(type(driver), method) is not
            getattr(driver_base.ClusterDriver, method))
