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

"""The conductor against a real Heat API and engine.

Heat runs as its own process (magnum_lite.aio.heat_runner); the conductor
runs in this one with the Heat driver whose nodes are Heat's own test
resources. Every status change comes from the real status sync.
"""

import datetime
import re

from oslo_utils import timeutils
from oslo_utils import uuidutils
import pytest

from magnum_lite.certificates import store
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import clusters
from magnum_lite.conductor import manager as conductor_manager
from magnum_lite import conf as ml_conf
from magnum_lite.db import api as db_api
from magnum_lite.drivers import loader
from tests.harness import cluster_rows
from tests.harness import contexts
from tests.harness import database as db_fixture
from tests.harness import entrypoints
from tests.harness import keys
from tests.harness import lifecycle

CONF = ml_conf.CONF

certificate_config = keys.certificate_config


DRIVERS = {'heat_test':
           'tests.harness.fakes.heat_driver:TestResourceHeatDriver'}


@pytest.fixture(scope='module')
def heat(tmp_path_factory):
    with lifecycle.embedded_heat(tmp_path_factory.mktemp('heat'),
                                 plugin_dirs=[]) as service:
        yield service


@pytest.fixture
def conductor(heat, tmp_path, certificate_config):
    db_fixture.fresh_sqlite_database(str(tmp_path))
    entrypoints.install(entrypoints.write_distribution(
        str(tmp_path / 'drivers'), DRIVERS))
    loader.reset()
    CONF.set_override('endpoint_override', heat.endpoint,
                      group='heat_client')
    manager = conductor_manager.ConductorManager(host='test-conductor')
    manager.start(run_periodics=False)
    yield manager
    manager.stop(graceful=False)
    CONF.clear_override('endpoint_override', group='heat_client')
    loader.reset()
    entrypoints.uninstall(str(tmp_path / 'drivers'))
    db_fixture.release()


def _new_cluster(dbapi, labels=None, workers=2, template_labels=None):
    template = cluster_rows.make_template(
        dbapi, cluster_distro='heat-test', driver='heat_test',
        labels=template_labels or {'version': 'v1'})
    return cluster_rows.make_cluster(dbapi, template, node_count=workers,
                                     labels=labels or {},
                                     uuid=uuidutils.generate_uuid())


def test_create_resize_nodegroup_upgrade_delete(conductor):
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, workers=2)
    conductor.create_cluster(contexts.make_context(), cluster.uuid, 10)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.CREATE_COMPLETE)
    assert cluster.api_address == 'tcp://192.0.2.10:2376'
    assert cluster.master_addresses == ['master-0']
    assert sorted(cluster.node_addresses) == ['worker-0', 'worker-1']
    assert cluster.backend_status == 'CREATE_COMPLETE'
    assert all(ng.status == states.CREATE_COMPLETE
               for ng in cluster.nodegroups)

    # Grow to 3 workers, then shrink to 2 removing worker-0 by name.
    conductor.resize_cluster(contexts.make_context(), cluster.uuid,
                             lifecycle.default_workers(cluster).uuid, 3)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.UPDATE_COMPLETE)
    assert sorted(cluster.node_addresses) == ['worker-0', 'worker-1',
                                              'worker-2']
    conductor.resize_cluster(contexts.make_context(), cluster.uuid,
                             lifecycle.default_workers(cluster).uuid, 2, ['0'])
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.UPDATE_COMPLETE)
    assert sorted(cluster.node_addresses) == ['worker-1', 'worker-2']

    # A nodegroup of its own stack.
    nodegroup = dbapi.create_nodegroup({
        'name': 'extra', 'cluster_id': cluster.uuid, 'role': 'worker',
        'node_count': 1, 'project_id': cluster.project_id,
        'status': states.CREATE_IN_PROGRESS})
    conductor.create_nodegroup(contexts.make_context(), cluster.uuid, nodegroup.uuid)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.UPDATE_COMPLETE)
    extra = dbapi.get_nodegroup_by_uuid(contexts.admin_context(), cluster.uuid,
                                        nodegroup.uuid)
    assert extra.status == states.CREATE_COMPLETE
    assert extra.node_addresses == ['extra-0']
    assert extra.stack_id and extra.stack_id != cluster.stack_id

    # Upgrade to a template carrying another version.
    newer = cluster_rows.make_template(
        dbapi, name='newer', cluster_distro='heat-test', driver='heat_test',
        labels={'version': 'v2'})
    conductor.upgrade_cluster(contexts.make_context(), cluster.uuid, newer.uuid, 1)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.UPDATE_COMPLETE)
    assert cluster.cluster_template_id == newer.uuid
    # The nodegroup of its own stack follows the cluster's template.
    assert _outputs(_heat(), extra.stack_id)['versions'] == ['v1']
    conductor.upgrade_cluster(contexts.make_context(), cluster.uuid, newer.uuid, 1,
                              extra.uuid)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.UPDATE_COMPLETE)
    assert _outputs(_heat(), extra.stack_id)['versions'] == ['v2']
    assert dbapi.get_nodegroup_by_uuid(
        contexts.admin_context(), cluster.uuid, extra.uuid).status == states.UPDATE_COMPLETE

    # Delete removes every stack and then the rows.
    stack_ids = {cluster.stack_id, extra.stack_id}
    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None
    from magnum_lite.drivers.heat import client as heat_client
    remaining = {s.id for s in heat_client.get_client().stacks.list()}
    assert not stack_ids & remaining


def test_a_failure_deep_in_a_nested_stack_is_named(conductor):
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, labels={'fail_workers': 'true'},
                           workers=1)
    conductor.create_cluster(contexts.make_context(), cluster.uuid, 10)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.CREATE_FAILED)
    assert len(cluster.faults) == 1, cluster.faults
    (path, reason), = cluster.faults.items()
    # The worker's own resource, two nested stacks down, not its group.
    assert re.fullmatch(r'workers\.\d+\.node', path), path
    assert reason.startswith('CREATE_FAILED: ')
    assert 'Test Resource failed' in reason
    assert path in cluster.status_reason
    workers = lifecycle.default_workers(cluster)
    assert workers.status == states.CREATE_FAILED
    # Deleting a failed cluster still cleans up.
    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None


def test_busy_cluster_refuses_a_second_operation(conductor):
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, workers=1)
    conductor.create_cluster(contexts.make_context(), cluster.uuid, 10)
    with pytest.raises(exception.OperationInProgress):
        conductor.resize_cluster(contexts.make_context(), cluster.uuid,
                                 lifecycle.default_workers(cluster).uuid, 2)
    lifecycle.sync_until(conductor, cluster.uuid, states.CREATE_COMPLETE)
    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None


def _heat():
    from magnum_lite.drivers.heat import client as heat_client
    return heat_client.get_client()


def _stalled_create(dbapi, cluster_uuid):
    """Age the row, as a create whose conductor died long enough ago."""
    dbapi.update_cluster(cluster_uuid, {
        'updated_at': timeutils.utcnow() - datetime.timedelta(
            seconds=CONF.conductor.create_resume_after + 60)})


def _stacks_of(cluster_uuid):
    return list(_heat().stacks.list(tags='cluster=%s' % cluster_uuid))


def test_a_create_that_died_before_its_stack_is_resumed(conductor):
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, workers=1)
    # The cast was taken and the CAs made; the conductor died before Heat.
    store.generate_cluster_cas(dbapi, cluster)
    _stalled_create(dbapi, cluster.uuid)
    assert _stacks_of(cluster.uuid) == []

    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.CREATE_COMPLETE)
    # Node names depend on what earlier tests did in this module's Heat.
    assert len(cluster.master_addresses) == len(cluster.node_addresses) == 1
    assert [s.id for s in _stacks_of(cluster.uuid)] == [cluster.stack_id]
    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None


def test_a_stack_whose_id_was_never_stored_is_adopted(conductor):
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, workers=1)
    store.generate_cluster_cas(dbapi, cluster)
    # Heat accepted the stack; the conductor died before storing its id.
    driver = clusters.driver_for(dbapi, cluster)
    orphan = driver.create_cluster(contexts.make_context(), cluster,
                                   list(cluster.nodegroups), 10)
    assert dbapi.get_cluster_by_uuid(contexts.admin_context(), cluster.uuid).stack_id is None
    _stalled_create(dbapi, cluster.uuid)

    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.CREATE_COMPLETE)
    assert cluster.stack_id == orphan
    assert all(ng.stack_id == orphan for ng in cluster.nodegroups)
    assert [s.id for s in _stacks_of(cluster.uuid)] == [orphan]
    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None
    assert _stacks_of(cluster.uuid) == []


def _member_updates(heat, stack_id, group):
    """[(member, start, end, status)] of a ResourceGroup's members' upgrades.

    From the events of each member's nested stack: its agent's
    UPDATE_IN_PROGRESS, then UPDATE_COMPLETE or UPDATE_FAILED. (Every
    batch of a rolling update touches each member's nested stack; only
    the members of the batch change their agent.)
    """
    nested = heat.resources.get(stack_id, group).physical_resource_id
    updates = []
    for member in heat.resources.list(nested):
        started = None
        for event in heat.events.list(member.physical_resource_id,
                                      sort_dir='asc'):
            if event.resource_name != 'agent':
                continue
            when = timeutils.parse_isotime(event.event_time)
            if event.resource_status == 'UPDATE_IN_PROGRESS':
                started = when
            elif event.resource_status in ('UPDATE_COMPLETE',
                                           'UPDATE_FAILED'):
                updates.append((member.resource_name, started, when,
                                event.resource_status))
                started = None
        assert started is None, (member.resource_name, started)
    return updates


def _most_at_once(updates):
    """How many updates ran at once at most (an end frees its slot first).

    Event times are whole seconds; rounding down keeps each update's
    order against the others, so a batch that starts as the previous one
    ends does not count as overlapping it.
    """
    marks = sorted([(end, 0) for _m, _s, end, _r in updates] +
                   [(start, 1) for _m, start, _e, _r in updates])
    running = most = 0
    for _when, is_start in marks:
        running += 1 if is_start else -1
        most = max(most, running)
    return most


def _outputs(heat, stack_id):
    stack = heat.stacks.get(stack_id, resolve_outputs=True)
    return {o['output_key']: o.get('output_value')
            for o in stack.to_dict().get('outputs') or []}


def _cluster_to_upgrade(conductor, name, seconds, **new_labels):
    """A finished cluster of 3 workers, and a template `name` of v2.

    Each node's upgrade takes `seconds`.
    """
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, workers=3, template_labels={
        'version': 'v1', 'upgrade_secs': str(seconds)})
    conductor.create_cluster(contexts.make_context(), cluster.uuid, 10)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.CREATE_COMPLETE)
    template = cluster_rows.make_template(
        dbapi, name=name, cluster_distro='heat-test', driver='heat_test',
        labels=dict(new_labels, version='v2', upgrade_secs=str(seconds)))
    return cluster, template


@pytest.mark.parametrize('batch', [1, 2])
def test_upgrade_rolls_through_the_nodes_in_batches(conductor, batch):
    """Masters first, then at most `batch` workers updating at once."""
    cluster, newer = _cluster_to_upgrade(conductor, 'newer', seconds=3)
    conductor.upgrade_cluster(contexts.make_context(), cluster.uuid, newer.uuid, batch)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.UPDATE_COMPLETE,
        timeout=180)
    assert cluster.cluster_template_id == newer.uuid

    heat = _heat()
    workers = _member_updates(heat, cluster.stack_id, 'workers')
    masters = _member_updates(heat, cluster.stack_id, 'masters')
    # Every node was upgraded once, none replaced or made anew. (Member
    # names need not start at 0: this Heat serves every test of the
    # module, and an earlier resize removed a member 0.)
    assert len({m for m, _s, _e, _r in workers}) == len(workers) == 3
    assert len(masters) == 1
    assert {r for _m, _s, _e, r in workers + masters} == {'UPDATE_COMPLETE'}
    assert _most_at_once(workers) == batch, workers
    # The control plane before any kubelet.
    assert max(end for _m, _s, end, _r in masters) <= min(
        start for _m, start, _e, _r in workers)
    # Each member's update took its 3 s: Heat waited for every node.
    assert all((end - start).total_seconds() >= 3
               for _m, start, end, _r in workers + masters)
    outputs = _outputs(heat, cluster.stack_id)
    assert outputs['master_versions'] == ['v2']
    assert outputs['worker_versions'] == ['v2', 'v2', 'v2']
    assert len(cluster.node_addresses) == 3

    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None


def test_a_failed_node_upgrade_is_named_in_the_faults(conductor):
    cluster, broken = _cluster_to_upgrade(conductor, 'broken', seconds=2,
                                          fail_node='worker-1')
    conductor.upgrade_cluster(contexts.make_context(), cluster.uuid, broken.uuid, 1)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.UPDATE_FAILED,
        timeout=180)
    (path, reason), = cluster.faults.items()
    # The node whose name is worker-1, its agent two nested stacks down.
    assert re.fullmatch(r'workers\.\d+\.agent', path), path
    member = path.split('.')[1]
    assert reason.startswith('UPDATE_FAILED: ')
    assert 'Test Resource failed' in reason
    assert path in cluster.status_reason
    # Only worker 1 failed, and no batch ran past its failure at once.
    updated = _member_updates(_heat(), cluster.stack_id, 'workers')
    assert [m for m, _s, _e, status in updated
            if status == 'UPDATE_FAILED'] == [member], updated
    assert _most_at_once(updated) == 1

    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None
