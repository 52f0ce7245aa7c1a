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

"""A cluster followed through the real status sync of a conductor here.

For tests that run a ConductorManager in their own process, without its
periodic thread: each step waits for the manager's operations, then runs
the sync itself.
"""

import contextlib
import time

import pytest

from magnum_lite.aio import heat as heat_service
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import periodics
from magnum_lite.db import api as db_api
from tests.harness import contexts


@contextlib.contextmanager
def embedded_heat(directory, **kwargs):
    """The all-in-one's Heat API and engine in a child process.

    A Heat that cannot start fails the test that needs it, saying why.
    """
    service = heat_service.HeatService(str(directory), **kwargs)
    try:
        service.start()
    except RuntimeError as exc:
        pytest.fail('Heat could not start: %s' % exc, pytrace=False)
    try:
        yield service
    finally:
        service.stop()


def sync_until(manager, cluster_uuid, wanted, timeout=90):
    """Run the real status sync until the cluster reaches `wanted`.

    `wanted` None waits until the row is gone.
    """
    dbapi = db_api.get_instance()
    deadline = time.monotonic() + timeout
    cluster = None
    while time.monotonic() < deadline:
        assert manager.wait_for_operations(30)
        periodics.sync_cluster_status(manager)
        try:
            cluster = dbapi.get_cluster_by_uuid(contexts.admin_context(),
                                                cluster_uuid)
        except exception.ClusterNotFound:
            if wanted is None:
                return None
            raise
        if cluster.status == wanted:
            return cluster
        assert not cluster.status.endswith('_FAILED') or \
            wanted.endswith('_FAILED'), (cluster.status,
                                         cluster.status_reason)
        time.sleep(0.5)
    pytest.fail('cluster %s stayed %s (%s), wanted %s' % (
        cluster_uuid, cluster and cluster.status,
        cluster and cluster.status_reason, wanted))


def default_workers(cluster):
    """The cluster's default worker nodegroup."""
    return cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
