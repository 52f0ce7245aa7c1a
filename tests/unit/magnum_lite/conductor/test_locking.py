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

"""Cluster ownership and the per-process cluster locks."""

import datetime
import threading
import types
import uuid

import pytest

from magnum_lite.common import exception
from magnum_lite.conductor import locking

NOW = datetime.datetime(2026, 1, 1, 12, 0, 0)


def test_owner_is_stable_and_spreads_clusters():
    hosts = ['c1', 'c2', 'c3']
    uuids = [str(uuid.UUID(int=i)) for i in range(300)]
    owners = [locking.owner(u, hosts) for u in uuids]
    assert owners == [locking.owner(u, list(reversed(hosts))) for u in uuids]
    counts = {h: owners.count(h) for h in hosts}
    assert all(60 < count < 140 for count in counts.values()), counts


def test_only_the_clusters_of_a_lost_conductor_move():
    uuids = [str(uuid.UUID(int=i)) for i in range(300)]
    before = {u: locking.owner(u, ['c1', 'c2', 'c3']) for u in uuids}
    after = {u: locking.owner(u, ['c1', 'c3']) for u in uuids}
    moved = {u for u in uuids if before[u] != after[u]}
    assert moved == {u for u in uuids if before[u] == 'c2'}


def test_no_owner_without_hosts():
    assert locking.owner('x', []) is None


def _service(**values):
    row = dict(forced_down=False, disabled=False, last_seen_up=NOW,
               updated_at=None, created_at=None)
    row.update(values)
    return types.SimpleNamespace(**row)


@pytest.mark.parametrize('values, up', [
    ({}, True),
    ({'last_seen_up': NOW - datetime.timedelta(seconds=59)}, True),
    ({'last_seen_up': NOW - datetime.timedelta(seconds=61)}, False),
    ({'forced_down': True}, False),
    ({'disabled': True}, False),
    ({'last_seen_up': None}, False),
    ({'last_seen_up': None, 'updated_at': NOW}, True),
])
def test_is_up(values, up):
    assert locking.is_up(_service(**values), 60, now=NOW) is up


def test_cluster_locks_exclude_each_other():
    locks = locking.ClusterLocks()
    assert locks.acquire('a')
    assert not locks.acquire('a')
    assert locks.acquire('b')
    assert locks.is_held('a')
    with pytest.raises(exception.OperationInProgress):
        with locks.held('a', timeout=0.05):
            pass
    locks.release('a')
    with locks.held('a', timeout=0.05):
        assert locks.is_held('a')
    assert not locks.is_held('a')


def test_waiting_acquire_gets_the_lock_when_released():
    locks = locking.ClusterLocks()
    locks.acquire('a')
    timer = threading.Timer(0.1, locks.release, args=('a',))
    timer.start()
    assert locks.acquire('a', timeout=5)
    timer.join()
