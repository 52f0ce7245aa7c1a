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

"""How conductors keep out of each other's way on a cluster.

Three layers, from the outside in:

1. The status is the lock between operations, across every process. The
   API (or the conductor, for calls) moves a cluster to *_IN_PROGRESS
   with an atomic compare-and-swap on the status column; a second
   operation finds the cluster busy and gets 409. Every status the
   conductor writes later is again a compare-and-swap from the status it
   read, so a stale writer fails instead of overwriting newer state.
2. Each cluster has one owning conductor at a time: the live conductor
   that wins a rendezvous hash of the cluster UUID (`owner`). Casts are
   sent to the owner and only the owner syncs the cluster, so the worker
   thread and the status sync of a cluster run in the same process. When a
   conductor stops heart-beating, its clusters move to the others.
3. Inside a conductor, `ClusterLocks` lets one thread at a time work on a
   cluster: the sync skips a cluster whose operation is still running.

No lock is held in the database, so a conductor that dies leaves nothing
to clean up; its in-progress clusters are finished by their new owner's
sync.
"""

import contextlib
import datetime
import hashlib
import threading

from oslo_utils import timeutils

from magnum_lite.common import exception

CONDUCTOR_BINARY = 'magnum-conductor'


def _weight(cluster_uuid, host):
    digest = hashlib.sha256(('%s/%s' % (cluster_uuid, host)).encode())
    return digest.digest()


def owner(cluster_uuid, hosts):
    """The host owning a cluster among the live hosts (None if none)."""
    if not hosts:
        return None
    return max(sorted(hosts), key=lambda host: _weight(cluster_uuid, host))


def is_up(service, down_time, now=None):
    """Whether a service row shows a live conductor."""
    if service.forced_down or service.disabled:
        return False
    last = service.last_seen_up or service.updated_at or service.created_at
    if last is None:
        return False
    now = now or timeutils.utcnow()
    return now - last <= datetime.timedelta(seconds=down_time)


def live_conductor_hosts(dbapi, down_time):
    services = dbapi.get_service_list(filters={'binary': CONDUCTOR_BINARY})
    return sorted({s.host for s in services if is_up(s, down_time)})


class ClusterLocks:
    """Per-cluster mutexes of one conductor process."""

    def __init__(self):
        self._guard = threading.Lock()
        self._held = {}
        self._started = {}

    def operation_started(self, cluster_uuid):
        """Count an operation of this conductor starting on the cluster."""
        with self._guard:
            self._started[cluster_uuid] = self._started.get(
                cluster_uuid, 0) + 1

    def operations_started(self, cluster_uuid):
        """How many operations this conductor started on the cluster.

        The status sync reads it with a cluster and again before writing a
        report: a change means an operation ran in between, and the
        report, asked before it, may tell of the backend before it.
        """
        with self._guard:
            return self._started.get(cluster_uuid, 0)

    def acquire(self, cluster_uuid, timeout=None):
        """Take the cluster's lock; False when it stays busy past timeout."""
        with self._guard:
            lock = self._held.setdefault(cluster_uuid, threading.Lock())
        if timeout is None:
            return lock.acquire(blocking=False)
        return lock.acquire(timeout=timeout)

    def release(self, cluster_uuid):
        with self._guard:
            lock = self._held.get(cluster_uuid)
        if lock is not None and lock.locked():
            lock.release()

    def is_held(self, cluster_uuid):
        with self._guard:
            lock = self._held.get(cluster_uuid)
        return lock is not None and lock.locked()

    def forget(self, cluster_uuid):
        """Drop the mutex of a deleted cluster (the lock must be free)."""
        with self._guard:
            lock = self._held.get(cluster_uuid)
            if lock is not None and not lock.locked():
                del self._held[cluster_uuid]
                self._started.pop(cluster_uuid, None)

    @contextlib.contextmanager
    def held(self, cluster_uuid, timeout=None, name=None):
        """Hold the lock for a block; OperationInProgress when busy."""
        if not self.acquire(cluster_uuid, timeout):
            raise exception.OperationInProgress(
                resource='Cluster', name=name or cluster_uuid,
                status='locked by this conductor')
        try:
            yield
        finally:
            self.release(cluster_uuid)
