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

"""The conductor's periodic jobs: heartbeat and cluster status sync.

The sync looks only at clusters in *_IN_PROGRESS that this conductor owns
(magnum_lite.conductor.locking.owner), asks each driver once for all of
its clusters (ClusterDriver.get_status), maps the answers with the pure
functions of magnum_lite.conductor.status and writes only what changed,
each write a compare-and-swap from the status it read. A restarted or new
conductor thus picks up every unfinished operation it owns; a create that
never got its backend id ([conductor] create_resume_after seconds without
a change) it runs again, and fails only past the create timeout.
"""

import collections
import datetime
import threading

import futurist
from futurist import periodics
from oslo_log import log as logging
from oslo_utils import timeutils

from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import clusters
from magnum_lite.conductor import locking
from magnum_lite.conductor import status
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

_PAGE = 500


class Runner:
    """A PeriodicWorker running in a thread of its own."""

    def __init__(self, worker):
        self._worker = worker
        self._thread = threading.Thread(target=worker.start,
                                        name='conductor-periodics',
                                        daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._worker.stop()

    def wait(self):
        self._worker.wait()
        self._thread.join()


def start(manager):
    @periodics.periodic(CONF.conductor.heartbeat_interval)
    def heartbeat():
        manager.heartbeat()

    @periodics.periodic(CONF.conductor.sync_interval, run_immediately=True)
    def sync():
        sync_cluster_status(manager)

    @periodics.periodic(CONF.conductor.health_interval)
    def check_health():
        sync_cluster_health(manager)

    worker = periodics.PeriodicWorker(
        [(heartbeat, None, None), (sync, None, None),
         (check_health, None, None)],
        # Two threads: a slow backend must not delay the heartbeat until
        # the other conductors think this one is dead.
        executor_factory=lambda: futurist.ThreadPoolExecutor(max_workers=2))
    return Runner(worker).start()


def _clusters_in(dbapi, statuses):
    """Every cluster in one of `statuses`, read a page at a time."""
    context = clusters.admin_context()
    marker = None
    while True:
        page = dbapi.get_cluster_list(
            context, filters={'status': list(statuses)},
            limit=_PAGE, marker=marker, sort_key='id', sort_dir='asc')
        yield from page
        if len(page) < _PAGE:
            return
        marker = page[-1].uuid


def _owned(manager, cluster_list):
    hosts = set(locking.live_conductor_hosts(manager.dbapi,
                                             CONF.service_down_time))
    # This conductor counts itself live even before its first heartbeat
    # is visible to it.
    hosts.add(manager.host)
    return [c for c in cluster_list
            if locking.owner(c.uuid, hosts) == manager.host]


def _backendless_create(cluster):
    return cluster.status == states.CREATE_IN_PROGRESS and not cluster.stack_id


def _older_than(moment, now, age):
    return moment is not None and now - moment > age


def _never_started(cluster, now):
    """A create whose backend was never started, past its timeout.

    Counted from the create itself: each resume touches updated_at, which
    must not postpone the timeout.
    """
    minutes = cluster.create_timeout or CONF.cluster.create_timeout
    return (bool(minutes) and _backendless_create(cluster) and
            _older_than(cluster.created_at, now,
                        datetime.timedelta(minutes=minutes)))


def _stalled_create(cluster, now):
    """A create without a backend id, left alone past create_resume_after.

    Its conductor stopped after the API's cast and before the backend id
    was stored (maybe after the backend was started: the driver adopts a
    backend it finds).
    """
    return _backendless_create(cluster) and _older_than(
        cluster.updated_at or cluster.created_at, now,
        datetime.timedelta(seconds=CONF.conductor.create_resume_after))


def _resume_create(manager, cluster, now):
    """Run a stalled create again in this conductor's worker.

    True when the cluster was written (touched and resumed, or failed).
    """
    if clusters.needs_trust(cluster):
        return _write_cluster(manager, cluster, {
            'status': states.CREATE_FAILED,
            'status_reason': 'Cluster create failed: the conductor stopped '
                             'before the cluster\'s trust was made, and '
                             'making it needs the user\'s token; delete the '
                             'cluster and create it again.'})
    # Touched first, so the next pass waits create_resume_after again.
    if not _write_cluster(manager, cluster, {'updated_at': now}):
        return False
    LOG.info('Cluster %s: resuming its create (its conductor stopped '
             'before the backend id was stored)', cluster.uuid)
    try:
        manager.resume_create(cluster.uuid)
    except (exception.OperationInProgress,
            exception.ConductorUnavailable) as exc:
        LOG.info('Cluster %s: create not resumed now: %s', cluster.uuid,
                 exc)
    return True


def _driver_lookup(dbapi):
    """clusters.driver_for, asked once per template in one sync pass.

    A driver depends only on the cluster's template, and thousands of
    clusters share a handful of templates.
    """
    found = {}

    def lookup(cluster):
        key = cluster.cluster_template_id
        if key not in found:
            try:
                found[key] = clusters.driver_for(dbapi, cluster)
            except exception.MagnumLiteException as exc:
                found[key] = exc
        if isinstance(found[key], Exception):
            raise found[key]
        return found[key]
    return lookup


def sync_cluster_status(manager):
    """One pass of the status sync; returns the UUIDs it changed."""
    dbapi = manager.dbapi
    now = timeutils.utcnow()
    by_driver = collections.defaultdict(list)
    changed = []
    driver_for = _driver_lookup(dbapi)
    for cluster in _owned(manager, _clusters_in(dbapi, states.IN_PROGRESS)):
        if manager.locks.is_held(cluster.uuid):
            continue    # its operation is still running here
        if _never_started(cluster, now):
            _write_cluster(manager, cluster, {
                'status': states.CREATE_FAILED,
                'status_reason': 'Cluster create failed: the backend was '
                                 'never started (the conductor stopped '
                                 'during the create); delete the cluster '
                                 'and create it again.'})
            changed.append(cluster.uuid)
            continue
        if _stalled_create(cluster, now):
            if _resume_create(manager, cluster, now):
                changed.append(cluster.uuid)
            continue
        if not cluster.stack_id and cluster.status != \
                states.DELETE_IN_PROGRESS:
            continue    # the operation has not reached the backend yet
        try:
            driver = driver_for(cluster)
        except exception.MagnumLiteException as exc:
            LOG.warning('Cluster %s: no driver to sync it: %s', cluster.uuid,
                        exc)
            continue
        by_driver[id(driver)].append(
            (driver, cluster, manager.locks.operations_started(cluster.uuid)))
    for entries in by_driver.values():
        driver = entries[0][0]
        cluster_list = [cluster for _d, cluster, _seen in entries]
        seen = {cluster.uuid: count for _d, cluster, count in entries}
        try:
            reports = driver.get_status(clusters.admin_context(),
                                        cluster_list)
        except Exception:
            LOG.exception('Status sync of %d clusters failed in driver %s',
                          len(cluster_list), type(driver).__name__)
            continue
        for cluster in cluster_list:
            report = reports.get(cluster.uuid)
            if report is not None and apply_report(
                    manager, cluster, report, seen[cluster.uuid]):
                changed.append(cluster.uuid)
    return changed


def apply_report(manager, cluster, report, operations_seen=None):
    """Write what a report changes; True when something was written.

    `operations_seen` is the conductor's count of operations started on
    the cluster when the cluster was read for this report; if one started
    since, the report may predate it and is dropped (the next pass asks
    again).
    """
    if not manager.locks.acquire(cluster.uuid):
        return False
    try:
        if operations_seen is not None and \
                manager.locks.operations_started(cluster.uuid) != \
                operations_seen:
            return False
        changes = status.cluster_changes(cluster, report)
        if changes.get('status') == states.DELETE_COMPLETE:
            clusters.destroy(manager.dbapi, cluster.uuid)
            manager.locks.forget(cluster.uuid)
            return True
        nodegroup_changes = _nodegroup_changes(cluster, report)
        if nodegroup_changes:
            # Nodegroups before the cluster, so nobody sees a finished
            # cluster without its addresses; but only while the cluster is
            # still in the status the report is about (the cluster write
            # below is the atomic check).
            if _current_status(manager, cluster) != cluster.status:
                return False
            _write_nodegroups(manager, cluster, nodegroup_changes)
        if changes:
            return _write_cluster(manager, cluster, changes) or \
                bool(nodegroup_changes)
        return bool(nodegroup_changes)
    finally:
        manager.locks.release(cluster.uuid)


def _current_status(manager, cluster):
    try:
        return clusters.get_cluster(manager.dbapi, cluster.uuid).status
    except exception.ClusterNotFound:
        return None


def _write_cluster(manager, cluster, changes):
    try:
        manager.dbapi.update_cluster(cluster.uuid, changes,
                                     expected_status=(cluster.status,))
    except (exception.OperationInProgress, exception.ClusterNotFound):
        LOG.debug('Cluster %s changed during the sync; skipped', cluster.uuid)
        return False
    if 'status' in changes:
        LOG.info('Cluster %s: %s → %s', cluster.uuid, cluster.status,
                 changes['status'])
    return True


def _nodegroup_changes(cluster, report):
    changed = []
    for nodegroup in cluster.nodegroups:
        ng_report = report.nodegroups.get(nodegroup.uuid)
        if ng_report is None:
            continue
        changes = status.nodegroup_changes(nodegroup, ng_report)
        if changes:
            changed.append((nodegroup, changes))
    return changed


def _write_nodegroups(manager, cluster, nodegroup_changes):
    for nodegroup, changes in nodegroup_changes:
        try:
            if changes.get('status') == states.DELETE_COMPLETE:
                manager.dbapi.destroy_nodegroup(cluster.uuid, nodegroup.uuid)
            else:
                expected = (nodegroup.status,) if 'status' in changes \
                    else None
                manager.dbapi.update_nodegroup(cluster.uuid, nodegroup.uuid,
                                               changes,
                                               expected_status=expected)
        except (exception.OperationInProgress, exception.NodeGroupNotFound):
            LOG.debug('Nodegroup %s changed during the sync; skipped',
                      nodegroup.uuid)


def sync_cluster_health(manager):
    """Ask each driver about its finished clusters; write what changed.

    Only health_status and health_status_reason are written, and only for
    clusters this conductor owns, so it never races an operation's status.
    """
    dbapi = manager.dbapi
    by_driver = collections.defaultdict(list)
    driver_for = _driver_lookup(dbapi)
    for cluster in _owned(manager, _clusters_in(dbapi, states.UPDATE_ALLOWED_FROM)):
        try:
            driver = driver_for(cluster)
        except exception.MagnumLiteException:
            continue
        by_driver[type(driver)].append((driver, cluster))
    changed = []
    for entries in by_driver.values():
        driver = entries[0][0]
        try:
            answers = driver.get_health(clusters.admin_context(),
                                        [cluster for _d, cluster in entries])
        except Exception:
            LOG.exception('Health check failed in driver %s',
                          type(driver).__name__)
            continue
        for _driver, cluster in entries:
            answer = answers.get(cluster.uuid)
            if answer is None:
                continue
            health_status, reason = answer
            if (cluster.health_status, cluster.health_status_reason) == (
                    health_status, reason):
                continue
            try:
                dbapi.update_cluster(cluster.uuid, {
                    'health_status': health_status,
                    'health_status_reason': reason},
                    expected_status=(cluster.status,))
            except (exception.OperationInProgress, exception.ClusterNotFound):
                continue  # an operation started meanwhile: next round
            if cluster.health_status != health_status:
                LOG.info('Cluster %s health: %s → %s (%s)', cluster.uuid,
                         cluster.health_status, health_status, reason)
            changed.append(cluster.uuid)
    return changed
