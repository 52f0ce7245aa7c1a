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

"""ConductorManager with the fake driver on a real SQLite database."""

import collections
import datetime
import threading
import time

from cryptography import x509 as crypto_x509
from oslo_utils import uuidutils
import pytest

from magnum_lite.certificates import x509
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import locking
from magnum_lite.conductor import manager as conductor_manager
from magnum_lite.conductor import periodics
from tests.harness import cluster_rows
from tests.harness.fakes import driver as fake_driver


def _run(manager, method, *args, **kwargs):
    getattr(manager, method)(*args, **kwargs)
    assert manager.wait_for_operations(timeout=30)


def _cluster(database, admin_context, uuid):
    return database.get_cluster_by_uuid(admin_context, uuid)


@pytest.fixture
def template(database):
    return cluster_rows.make_template(database)


def test_create_then_sync_completes(manager, database, template, context,
                                    admin_context):
    cluster = cluster_rows.make_cluster(database, template)
    _run(manager, 'create_cluster', context, cluster.uuid, 30)

    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_IN_PROGRESS
    assert row.stack_id == 'fake-' + cluster.uuid
    assert all(ng.stack_id == row.stack_id for ng in row.nodegroups)
    assert fake_driver.FakeDriver.calls[0][:2] == ('create_cluster',
                                                   cluster.uuid)
    assert fake_driver.FakeDriver.calls[0][2]['timeout'] == 30
    for ca_type in x509.CA_TYPES:
        assert database.get_certificate(cluster.uuid, ca_type).certificate

    assert periodics.sync_cluster_status(manager) == [cluster.uuid]
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_COMPLETE
    assert row.status_reason is None
    assert row.backend_status == 'CREATE_COMPLETE'
    assert row.api_address == 'https://192.0.2.1:6443'
    assert row.coe_version == 'v1.30.0'
    assert row.master_addresses == ['192.0.2.10']
    assert row.node_addresses == ['198.51.100.10', '198.51.100.11']
    assert {ng.status for ng in row.nodegroups} == {states.CREATE_COMPLETE}
    # Nothing left to do: a second pass writes nothing.
    assert periodics.sync_cluster_status(manager) == []


def test_backend_failure_reason_reaches_the_cluster(
        manager, database, template, context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        labels={'fake_fail': 'create'})
    _run(manager, 'create_cluster', context, cluster.uuid)
    periodics.sync_cluster_status(manager)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_FAILED
    assert 'node fake-node-0 did not boot' in row.status_reason
    assert row.faults == {'fake-node-0': 'did not boot'}
    assert {ng.status for ng in row.nodegroups} == {states.CREATE_FAILED}


@pytest.mark.parametrize('labels, template_values, expected', [
    ({'fake_raise': 'create'}, {}, 'The fake backend refused to create'),
    ({'fake_delay': 'soon'}, {}, "Invalid labels: fake_delay: 'soon'"),
    ({}, {'coe': 'mesos'}, 'Cluster type (vm, fedora-coreos, mesos) not '
                           'supported'),
    ({}, {'driver': 'nonexistent'}, 'Cluster driver (nonexistent) not '
                                    'supported'),
])
def test_create_failures_end_in_create_failed(
        manager, database, context, admin_context, labels, template_values,
        expected):
    template = cluster_rows.make_template(database, **template_values)
    cluster = cluster_rows.make_cluster(database, template, labels=labels,
                                        driver=None)
    _run(manager, 'create_cluster', context, cluster.uuid)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_FAILED
    assert row.status_reason.startswith('Cluster create failed: ')
    assert expected in row.status_reason
    assert 'Traceback' not in row.status_reason


def test_update_of_a_busy_cluster_is_refused(manager, database, template,
                                             context, admin_context):
    cluster = cluster_rows.make_cluster(database, template)
    with pytest.raises(exception.OperationInProgress) as raised:
        manager.update_cluster(context, cluster.uuid, node_count=5)
    assert raised.value.code == 409
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_IN_PROGRESS
    assert row.node_count == 2
    assert fake_driver.FakeDriver.calls == []


def test_cast_waits_for_the_lock_then_gives_up(manager, database, template,
                                               context):
    conductor_manager.CONF.set_override('cluster_lock_timeout', 1,
                                        group='conductor')
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE)
    assert manager.locks.acquire(cluster.uuid)
    try:
        started = time.monotonic()
        with pytest.raises(exception.OperationInProgress):
            manager.update_cluster(context, cluster.uuid, node_count=3)
        # [conductor] cluster_lock_timeout, not its default of a minute.
        assert 0.9 < time.monotonic() - started < 30
    finally:
        manager.locks.release(cluster.uuid)
        conductor_manager.CONF.clear_override('cluster_lock_timeout',
                                              group='conductor')
    assert fake_driver.FakeDriver.calls == []


def test_sync_skips_a_cluster_whose_operation_runs(manager, database,
                                                   template, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.UPDATE_IN_PROGRESS,
                                        stack_id='fake-x')
    manager.locks.acquire(cluster.uuid)
    try:
        assert periodics.sync_cluster_status(manager) == []
    finally:
        manager.locks.release(cluster.uuid)
    assert periodics.sync_cluster_status(manager) == [cluster.uuid]
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_COMPLETE


def test_sync_drops_a_report_asked_before_an_operation_started(
        manager, database, template, admin_context, monkeypatch):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.UPDATE_IN_PROGRESS,
                                        stack_id='fake-x')
    reported = fake_driver.FakeDriver.get_status

    def operation_starts_meanwhile(driver, context, clusters):
        reports = reported(driver, context, clusters)
        # The update the API accepted reaches this conductor now: the
        # report above tells of the backend before it.
        manager.locks.operation_started(cluster.uuid)
        return reports

    monkeypatch.setattr(fake_driver.FakeDriver, 'get_status',
                        operation_starts_meanwhile)
    assert periodics.sync_cluster_status(manager) == []
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_IN_PROGRESS
    monkeypatch.setattr(fake_driver.FakeDriver, 'get_status', reported)
    assert periodics.sync_cluster_status(manager) == [cluster.uuid]
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_COMPLETE


def test_update_applies_node_count(manager, database, template, context,
                                   admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x')
    _run(manager, 'update_cluster', context, cluster.uuid, node_count=4)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.UPDATE_IN_PROGRESS
    assert row.node_count == 4
    periodics.sync_cluster_status(manager)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.UPDATE_COMPLETE
    assert len(row.node_addresses) == 4


def test_resize_passes_nodes_to_remove(manager, database, template, context,
                                       admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x', node_count=3)
    worker = cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
    _run(manager, 'resize_cluster', context, cluster.uuid, worker.uuid, 1,
         ['198.51.100.11', '198.51.100.12'])
    method, uuid, kwargs = fake_driver.FakeDriver.calls[-1]
    assert (method, uuid) == ('resize_cluster', cluster.uuid)
    assert kwargs == {'nodegroup': worker.uuid, 'node_count': 1,
                      'nodes_to_remove': ['198.51.100.11', '198.51.100.12']}
    periodics.sync_cluster_status(manager)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.UPDATE_COMPLETE
    assert row.node_count == 1


def test_failed_resize_restores_the_node_count(manager, database, template,
                                               context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.UPDATE_FAILED,
                                        stack_id='fake-x', node_count=3,
                                        labels={'fake_raise': 'update'})
    worker = cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
    _run(manager, 'resize_cluster', context, cluster.uuid, worker.uuid, 5)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.UPDATE_FAILED
    assert row.status_reason.startswith('Cluster resize failed: ')
    assert row.node_count == 3


def test_upgrade_moves_the_cluster_to_the_new_template(
        manager, database, template, context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x')
    newer = cluster_rows.make_template(database, name='k8s-newer',
                                       labels={'kube_tag': 'v1.31.0'})
    _run(manager, 'upgrade_cluster', context, cluster.uuid, newer.uuid, 2)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.cluster_template_id == newer.uuid
    assert row.status == states.UPDATE_IN_PROGRESS
    assert fake_driver.FakeDriver.calls[-1][2]['max_batch_size'] == 2


def _nodegroup_statuses(database, admin_context, cluster_uuid):
    cluster = _cluster(database, admin_context, cluster_uuid)
    return {ng.name: ng.status for ng in cluster.nodegroups}


@pytest.mark.parametrize('operation', ['update', 'resize', 'upgrade'])
def test_default_nodegroups_follow_a_cluster_update(
        manager, database, template, context, admin_context, operation):
    # They share the cluster's backend: its update is theirs (Magnum shows
    # them UPDATE_COMPLETE afterwards); another nodegroup is left alone.
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x')
    _add_nodegroup(database, cluster, states.CREATE_COMPLETE)
    worker = cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
    if operation == 'update':
        _run(manager, 'update_cluster', context, cluster.uuid, node_count=3)
    elif operation == 'resize':
        _run(manager, 'resize_cluster', context, cluster.uuid, worker.uuid, 3)
    else:
        newer = cluster_rows.make_template(database, name='k8s-newer')
        _run(manager, 'upgrade_cluster', context, cluster.uuid, newer.uuid)
    assert _nodegroup_statuses(database, admin_context, cluster.uuid) == {
        'default-master': states.UPDATE_IN_PROGRESS,
        'default-worker': states.UPDATE_IN_PROGRESS,
        'extra': states.CREATE_COMPLETE}
    periodics.sync_cluster_status(manager)
    assert _nodegroup_statuses(database, admin_context, cluster.uuid) == {
        'default-master': states.UPDATE_COMPLETE,
        'default-worker': states.UPDATE_COMPLETE,
        'extra': states.CREATE_COMPLETE}


def test_resize_of_another_nodegroup_moves_only_it(
        manager, database, template, context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x')
    extra = _add_nodegroup(database, cluster, states.CREATE_COMPLETE)
    _run(manager, 'resize_cluster', context, cluster.uuid, extra.uuid, 3)
    periodics.sync_cluster_status(manager)
    assert _nodegroup_statuses(database, admin_context, cluster.uuid) == {
        'default-master': states.CREATE_COMPLETE,
        'default-worker': states.CREATE_COMPLETE,
        'extra': states.UPDATE_COMPLETE}


def test_failed_update_fails_the_default_nodegroups(
        manager, database, template, context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x',
                                        labels={'fake_raise': 'update'})
    _run(manager, 'update_cluster', context, cluster.uuid, node_count=3)
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_FAILED
    assert _nodegroup_statuses(database, admin_context, cluster.uuid) == {
        'default-master': states.UPDATE_FAILED,
        'default-worker': states.UPDATE_FAILED}


def test_delete_removes_rows_and_certificates(manager, database, template,
                                              context, admin_context):
    cluster = cluster_rows.make_cluster(database, template)
    _run(manager, 'create_cluster', context, cluster.uuid)
    periodics.sync_cluster_status(manager)
    database.update_cluster(cluster.uuid,
                            {'status': states.DELETE_IN_PROGRESS})
    _run(manager, 'delete_cluster', context, cluster.uuid)
    assert fake_driver.FakeDriver.calls[-1][:2] == ('delete_cluster',
                                                    cluster.uuid)
    # The backend is still going: the rows stay until the sync says so.
    assert _cluster(database, admin_context, cluster.uuid)

    periodics.sync_cluster_status(manager)
    with pytest.raises(exception.ClusterNotFound):
        _cluster(database, admin_context, cluster.uuid)
    assert database.list_cluster_nodegroups(admin_context, cluster.uuid) == []
    with pytest.raises(exception.CertificateNotFound):
        database.get_certificate(cluster.uuid, x509.KUBERNETES)


def test_delete_of_a_cluster_without_backend_is_immediate(
        manager, database, template, context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_FAILED)
    _run(manager, 'delete_cluster', context, cluster.uuid)
    with pytest.raises(exception.ClusterNotFound):
        _cluster(database, admin_context, cluster.uuid)
    assert fake_driver.FakeDriver.calls == []


def test_failed_delete(manager, database, template, context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x',
                                        labels={'fake_fail': 'delete'})
    _run(manager, 'delete_cluster', context, cluster.uuid)
    periodics.sync_cluster_status(manager)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.DELETE_FAILED
    assert 'failed to delete' in row.status_reason


def _add_nodegroup(database, cluster, status):
    return database.create_nodegroup({
        'uuid': 'a7d4ce5f-9c1c-4a7e-8a5d-000000000001',
        'name': 'extra', 'cluster_id': cluster.uuid,
        'project_id': cluster.project_id, 'role': 'worker',
        'node_count': 2, 'min_node_count': 0, 'is_default': False,
        'status': status})


def test_nodegroup_create_then_delete(manager, database, template, context,
                                      admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x')
    nodegroup = _add_nodegroup(database, cluster, states.CREATE_IN_PROGRESS)
    _run(manager, 'create_nodegroup', context, cluster.uuid, nodegroup.uuid)
    ng = database.get_nodegroup_by_uuid(admin_context, cluster.uuid,
                                        nodegroup.uuid)
    assert ng.stack_id == 'fake-ng-' + nodegroup.uuid
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_IN_PROGRESS
    periodics.sync_cluster_status(manager)
    ng = database.get_nodegroup_by_uuid(admin_context, cluster.uuid,
                                        nodegroup.uuid)
    assert ng.status == states.CREATE_COMPLETE
    assert len(ng.node_addresses) == 2
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_COMPLETE

    _run(manager, 'delete_nodegroup', context, cluster.uuid, nodegroup.uuid)
    periodics.sync_cluster_status(manager)
    with pytest.raises(exception.NodeGroupNotFound):
        database.get_nodegroup_by_uuid(admin_context, cluster.uuid,
                                       nodegroup.uuid)
    assert len(_cluster(database, admin_context, cluster.uuid).nodegroups) \
        == 2


def test_nodegroup_failure_marks_nodegroup_and_cluster(
        manager, database, template, context, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE,
                                        stack_id='fake-x',
                                        labels={'fake_raise': 'create'})
    nodegroup = _add_nodegroup(database, cluster, states.CREATE_IN_PROGRESS)
    _run(manager, 'create_nodegroup', context, cluster.uuid, nodegroup.uuid)
    ng = database.get_nodegroup_by_uuid(admin_context, cluster.uuid,
                                        nodegroup.uuid)
    assert ng.status == states.CREATE_FAILED
    assert ng.status_reason.startswith('Nodegroup create failed: ')
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.UPDATE_FAILED


def test_sign_certificate_with_the_cluster_ca(manager, database, template,
                                              context):
    cluster = cluster_rows.make_cluster(database, template)
    _run(manager, 'create_cluster', context, cluster.uuid)
    csr, _key = x509.make_csr('system:node:worker-0', 'system:nodes')
    signed = manager.sign_certificate(context, cluster.uuid, csr.decode(),
                                      'kubelet')
    ca_pem = manager.get_ca_certificate(context, cluster.uuid)
    certificate = crypto_x509.load_pem_x509_certificate(signed.encode())
    ca = crypto_x509.load_pem_x509_certificate(ca_pem.encode())
    certificate.verify_directly_issued_by(ca)
    etcd_ca = manager.get_ca_certificate(context, cluster.uuid, 'etcd')
    assert etcd_ca != ca_pem


def test_another_project_cannot_reach_the_ca(manager, database, template,
                                             context):
    from tests.harness.contexts import make_context
    cluster = cluster_rows.make_cluster(database, template)
    _run(manager, 'create_cluster', context, cluster.uuid)
    with pytest.raises(exception.ClusterNotFound):
        manager.get_ca_certificate(make_context(project_id='project-b'),
                                   cluster.uuid)
    # An admin the API let through sees it.
    admin_of_b = make_context(project_id='project-b', roles=['admin'],
                              is_admin=True)
    assert manager.get_ca_certificate(admin_of_b, cluster.uuid).startswith(
        '-----BEGIN CERTIFICATE-----')


def test_rotate_ca_certificate(manager, database, template, context,
                               admin_context):
    cluster = cluster_rows.make_cluster(database, template)
    _run(manager, 'create_cluster', context, cluster.uuid)
    periodics.sync_cluster_status(manager)
    before = manager.get_ca_certificate(context, cluster.uuid)
    manager.rotate_ca_certificate(context, cluster.uuid)
    assert manager.wait_for_operations(timeout=30)
    assert manager.get_ca_certificate(context, cluster.uuid) != before
    assert fake_driver.FakeDriver.calls[-1][0] == 'rotate_ca_certificate'
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_IN_PROGRESS
    periodics.sync_cluster_status(manager)
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.UPDATE_COMPLETE


def test_rotate_ca_not_supported_changes_nothing(manager, database, context,
                                                 admin_context):
    template = cluster_rows.make_template(database, driver='fake_basic')
    cluster = cluster_rows.make_cluster(database, template)
    _run(manager, 'create_cluster', context, cluster.uuid)
    periodics.sync_cluster_status(manager)
    before = manager.get_ca_certificate(context, cluster.uuid)
    with pytest.raises(exception.NotSupported) as raised:
        manager.rotate_ca_certificate(context, cluster.uuid)
    assert raised.value.code == 400
    assert manager.get_ca_certificate(context, cluster.uuid) == before
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.CREATE_COMPLETE


def test_rotate_credential_not_supported(manager, database, template,
                                         context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE)
    with pytest.raises(exception.NotSupported) as raised:
        manager.rotate_credential(context, cluster.uuid)
    assert raised.value.code == 400


def test_federation_not_supported(manager, database, template, context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE)
    federation = database.create_federation({
        'name': 'fed', 'project_id': 'project-a',
        'hostcluster_id': cluster.uuid, 'member_ids': [],
        'status': states.CREATE_IN_PROGRESS})
    with pytest.raises(exception.NotSupported) as raised:
        manager.create_federation(context, federation.uuid)
    assert 'cannot federate' in str(raised.value)


def test_heartbeat_and_stop_mark_the_service(manager, database):
    service = database.get_service_by_host_and_binary(
        'conductor-1', 'magnum-conductor')
    assert not service.forced_down
    count = service.report_count
    manager.heartbeat()
    service = database.get_service_by_host_and_binary(
        'conductor-1', 'magnum-conductor')
    assert service.report_count == count + 1
    assert locking.live_conductor_hosts(database, 60) == ['conductor-1']

    manager.stop()
    service = database.get_service_by_host_and_binary(
        'conductor-1', 'magnum-conductor')
    assert service.forced_down
    assert locking.live_conductor_hosts(database, 60) == []
    with pytest.raises(exception.ConductorUnavailable):
        manager.create_cluster(None, 'any-uuid')


def test_graceful_stop_waits_for_running_operations(
        manager, database, template, context, admin_context, monkeypatch):
    started = threading.Event()
    original = fake_driver.FakeDriver.create_cluster

    def slow_create(self, *args, **kwargs):
        started.set()
        time.sleep(0.5)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(fake_driver.FakeDriver, 'create_cluster',
                        slow_create)
    cluster = cluster_rows.make_cluster(database, template)
    manager.create_cluster(context, cluster.uuid)
    assert started.wait(10)
    manager.stop(graceful=True)
    assert _cluster(database, admin_context, cluster.uuid).stack_id


def test_sync_only_touches_owned_clusters(manager, database, template,
                                          admin_context):
    database.service_heartbeat('conductor-2', 'magnum-conductor')
    hosts = ['conductor-1', 'conductor-2']
    uuids = [cluster_rows.make_cluster(database, template, name='c%d' % i,
                                       status=states.UPDATE_IN_PROGRESS,
                                       stack_id='fake-%d' % i).uuid
             for i in range(12)]
    mine = {u for u in uuids if locking.owner(u, hosts) == 'conductor-1'}
    assert 0 < len(mine) < len(uuids)
    assert set(periodics.sync_cluster_status(manager)) == mine
    for uuid in uuids:
        expected = states.UPDATE_COMPLETE if uuid in mine \
            else states.UPDATE_IN_PROGRESS
        assert _cluster(database, admin_context, uuid).status == expected


def test_create_never_started_fails_after_its_timeout(
        manager, database, template, admin_context):
    cluster = cluster_rows.make_cluster(database, template, create_timeout=1)
    periodics.sync_cluster_status(manager)
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.CREATE_IN_PROGRESS
    long_ago = datetime.datetime.utcnow() - datetime.timedelta(minutes=5)
    database.update_cluster(cluster.uuid, {'created_at': long_ago,
                                           'updated_at': long_ago})
    periodics.sync_cluster_status(manager)
    row = _cluster(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_FAILED
    assert 'never started' in row.status_reason


def test_a_stale_sync_does_not_overwrite_a_newer_status(
        manager, database, template, admin_context):
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.UPDATE_IN_PROGRESS,
                                        stack_id='fake-x')
    stale = _cluster(database, admin_context, cluster.uuid)
    database.update_cluster(cluster.uuid,
                            {'status': states.DELETE_IN_PROGRESS})
    report = fake_driver.FakeDriver()._report(stale)
    assert periodics.apply_report(manager, stale, report) is False
    assert _cluster(database, admin_context, cluster.uuid).status == \
        states.DELETE_IN_PROGRESS


def test_clusters_of_a_stopped_conductor_are_finished_by_another(
        manager, database, template, admin_context):
    # conductor-0 started these operations, then stopped.
    database.service_heartbeat('conductor-0', 'magnum-conductor')
    hosts = ['conductor-0', 'conductor-1']
    # Random UUIDs, but some owned by each host: eight random ones all
    # land on one host once in 128 runs.
    owners = collections.defaultdict(list)
    while min(len(owners['conductor-0']), len(owners['conductor-1'])) < 3:
        candidate = uuidutils.generate_uuid()
        owners[locking.owner(candidate, hosts)].append(candidate)
    uuids = [cluster_rows.make_cluster(database, template, name='c%d' % i,
                                       status=states.UPDATE_IN_PROGRESS,
                                       stack_id='fake-%d' % i, uuid=u).uuid
             for i, u in enumerate(owners['conductor-0'][:3] +
                                   owners['conductor-1'][:3])]
    theirs = {u for u in uuids if locking.owner(u, hosts) == 'conductor-0'}
    assert len(theirs) == 3
    assert not theirs & set(periodics.sync_cluster_status(manager))

    stopped = database.get_service_by_host_and_binary('conductor-0',
                                                      'magnum-conductor')
    database.update_service(stopped.id, {'forced_down': True})
    assert set(periodics.sync_cluster_status(manager)) == theirs
    assert {_cluster(database, admin_context, u).status
            for u in uuids} == {states.UPDATE_COMPLETE}
