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

"""The status sync resumes a create whose conductor stopped too early.

Such a cluster is CREATE_IN_PROGRESS without a backend id; the sync of
its owner runs the create again once the row was left alone for
[conductor] create_resume_after seconds.
"""

import datetime

from oslo_utils import timeutils
import pytest

from magnum_lite.common import states
from magnum_lite.common import trusts
from magnum_lite.conductor import periodics
from magnum_lite import conf as ml_conf
from tests.harness import cluster_rows
from tests.harness.fakes import driver as fake_driver

CONF = ml_conf.CONF


@pytest.fixture
def template(database):
    return cluster_rows.make_template(database)


@pytest.fixture
def keystone_trusts():
    CONF.set_override('auth_strategy', 'keystone', group='api')
    CONF.set_override('enabled', True, group='trust')
    yield
    CONF.clear_override('auth_strategy', group='api')
    CONF.clear_override('enabled', group='trust')


def _stalled(database, template, seconds_ago, **values):
    """A cluster as a conductor that died after the CAs leaves it."""
    cluster = cluster_rows.make_cluster(database, template, **values)
    then = timeutils.utcnow() - datetime.timedelta(seconds=seconds_ago)
    database.update_cluster(cluster.uuid, {'created_at': then,
                                           'updated_at': then})
    return cluster


def _creates(cluster_uuid):
    return [call for call in fake_driver.FakeDriver.calls
            if call[:2] == ('create_cluster', cluster_uuid)]


def _row(database, admin_context, cluster_uuid):
    return database.get_cluster_by_uuid(admin_context, cluster_uuid)


def test_a_stalled_create_is_resumed_then_completes(
        manager, database, template, admin_context, caplog):
    cluster = _stalled(database, template, seconds_ago=120)
    caplog.set_level('INFO', logger='magnum_lite.conductor.periodics')
    assert periodics.sync_cluster_status(manager) == [cluster.uuid]
    assert manager.wait_for_operations(timeout=30)
    assert 'Cluster %s: resuming its create' % cluster.uuid in caplog.text
    assert len(_creates(cluster.uuid)) == 1
    # The default timeout of the cluster, not one of the lost cast.
    assert _creates(cluster.uuid)[0][2]['timeout'] == 60
    row = _row(database, admin_context, cluster.uuid)
    assert row.stack_id == 'fake-' + cluster.uuid
    assert row.status == states.CREATE_IN_PROGRESS
    assert timeutils.utcnow() - row.updated_at < datetime.timedelta(
        seconds=30)

    periodics.sync_cluster_status(manager)
    assert _row(database, admin_context, cluster.uuid).status == \
        states.CREATE_COMPLETE
    assert len(_creates(cluster.uuid)) == 1


def test_a_recent_create_is_left_alone(manager, database, template,
                                       admin_context):
    cluster = _stalled(database, template, seconds_ago=30)
    assert periodics.sync_cluster_status(manager) == []
    assert manager.wait_for_operations(timeout=30)
    assert _creates(cluster.uuid) == []
    assert _row(database, admin_context, cluster.uuid).stack_id is None


def test_create_resume_after_is_the_threshold(manager, database, template,
                                              admin_context):
    CONF.set_override('create_resume_after', 10, group='conductor')
    try:
        cluster = _stalled(database, template, seconds_ago=30)
        assert periodics.sync_cluster_status(manager) == [cluster.uuid]
        assert manager.wait_for_operations(timeout=30)
    finally:
        CONF.clear_override('create_resume_after', group='conductor')
    assert len(_creates(cluster.uuid)) == 1


def test_a_create_running_here_is_not_resumed(manager, database, template,
                                              admin_context):
    cluster = _stalled(database, template, seconds_ago=120)
    assert manager.locks.acquire(cluster.uuid)
    try:
        assert periodics.sync_cluster_status(manager) == []
    finally:
        manager.locks.release(cluster.uuid)
    assert _creates(cluster.uuid) == []
    row = _row(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_IN_PROGRESS
    assert row.stack_id is None


def test_two_passes_resume_once(manager, database, template, monkeypatch):
    cluster = _stalled(database, template, seconds_ago=120)
    resumed = []
    monkeypatch.setattr(manager, 'resume_create', resumed.append)
    periodics.sync_cluster_status(manager)
    periodics.sync_cluster_status(manager)
    assert resumed == [cluster.uuid]


def test_keystone_without_a_trust_fails(manager, database, template,
                                        admin_context, keystone_trusts,
                                        monkeypatch):
    made = []
    monkeypatch.setattr(trusts, 'create_trust',
                        lambda *args: made.append(args))
    cluster = _stalled(database, template, seconds_ago=120)
    assert periodics.sync_cluster_status(manager) == [cluster.uuid]
    assert manager.wait_for_operations(timeout=30)
    row = _row(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_FAILED
    assert 'trust' in row.status_reason
    assert 'create it again' in row.status_reason
    assert _creates(cluster.uuid) == [] and made == []


def test_keystone_with_its_trust_resumes(manager, database, template,
                                         admin_context, keystone_trusts):
    cluster = _stalled(database, template, seconds_ago=120,
                       trust_id='trust-1', trustee_user_id='trustee-1',
                       trustee_username='trustee-name')
    assert periodics.sync_cluster_status(manager) == [cluster.uuid]
    assert manager.wait_for_operations(timeout=30)
    assert len(_creates(cluster.uuid)) == 1
    assert _row(database, admin_context, cluster.uuid).trust_id == 'trust-1'


def test_a_failing_resume_ends_in_create_failed(manager, database, template,
                                                admin_context):
    cluster = _stalled(database, template, seconds_ago=120,
                       labels={'fake_raise': 'create'})
    periodics.sync_cluster_status(manager)
    assert manager.wait_for_operations(timeout=30)
    row = _row(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_FAILED
    assert row.status_reason.startswith('Cluster create failed: ')


def test_past_the_create_timeout_it_fails_instead(manager, database,
                                                  template, admin_context):
    cluster = _stalled(database, template, seconds_ago=180,
                       create_timeout=1)
    periodics.sync_cluster_status(manager)
    assert manager.wait_for_operations(timeout=30)
    row = _row(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_FAILED
    assert 'never started' in row.status_reason
    assert _creates(cluster.uuid) == []


def test_a_create_with_its_backend_is_not_resumed(manager, database,
                                                  template):
    cluster = _stalled(database, template, seconds_ago=120,
                       stack_id='fake-x')
    periodics.sync_cluster_status(manager)
    assert manager.wait_for_operations(timeout=30)
    assert _creates(cluster.uuid) == []


def test_resumes_do_not_postpone_the_create_timeout(
        manager, database, template, admin_context, monkeypatch):
    # Created two hours ago with a 60-minute timeout, resumed a moment
    # ago (which touched updated_at): it has timed out all the same.
    cluster = _stalled(database, template, seconds_ago=5)
    database.update_cluster(cluster.uuid, {
        'created_at': timeutils.utcnow() - datetime.timedelta(hours=2)})
    resumed = []
    monkeypatch.setattr(manager, 'resume_create', resumed.append)
    assert periodics.sync_cluster_status(manager) == [cluster.uuid]
    row = _row(database, admin_context, cluster.uuid)
    assert row.status == states.CREATE_FAILED
    assert resumed == []
