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

"""The conductor's use of trusts: made at create, removed with the cluster.

Keystone itself is in tests/functional/keystone; here the trusts module is
replaced by recorders so the conductor's decisions are checked alone.
"""

import pytest

from magnum_lite.common import trusts
from magnum_lite.conductor import periodics
from magnum_lite import conf as ml_conf
from tests.harness import cluster_rows

CONF = ml_conf.CONF
COLUMNS = {'trust_id': 'trust-1', 'trustee_user_id': 'trustee-1',
           'trustee_username': 'trustee-name'}


@pytest.fixture
def recorded(monkeypatch):
    calls = []

    def create_trust(context, cluster_uuid):
        calls.append(('create', cluster_uuid, context.user_id))
        return dict(COLUMNS)

    def delete_trust(cluster):
        calls.append(('delete', cluster.uuid, cluster.trust_id))

    monkeypatch.setattr(trusts, 'create_trust', create_trust)
    monkeypatch.setattr(trusts, 'delete_trust', delete_trust)
    return calls


@pytest.fixture
def keystone_mode():
    def configure(auth_strategy, enabled):
        CONF.set_override('auth_strategy', auth_strategy, group='api')
        CONF.set_override('enabled', enabled, group='trust')
    yield configure
    CONF.clear_override('auth_strategy', group='api')
    CONF.clear_override('enabled', group='trust')


def _create(manager, database, context):
    cluster = cluster_rows.make_cluster(database, cluster_rows.make_template(database))
    manager.create_cluster(context, cluster.uuid, 30)
    assert manager.wait_for_operations(timeout=30)
    return cluster.uuid


def _delete(manager, database, context, uuid):
    manager.delete_cluster(context, uuid)
    assert manager.wait_for_operations(timeout=30)
    periodics.sync_cluster_status(manager)


def test_keystone_with_trusts_creates_and_deletes_the_trust(
        manager, database, context, admin_context, recorded, keystone_mode):
    keystone_mode('keystone', True)
    uuid = _create(manager, database, context)
    row = database.get_cluster_by_uuid(admin_context, uuid)
    assert {k: getattr(row, k) for k in COLUMNS} == COLUMNS
    assert recorded == [('create', uuid, context.user_id)]

    periodics.sync_cluster_status(manager)
    _delete(manager, database, context, uuid)
    assert recorded[1:] == [('delete', uuid, 'trust-1')]


@pytest.mark.parametrize('auth_strategy,enabled', [
    ('keystone', False), ('noauth', True)])
def test_no_trust_without_keystone_and_trusts(
        manager, database, context, admin_context, recorded, keystone_mode,
        auth_strategy, enabled):
    keystone_mode(auth_strategy, enabled)
    uuid = _create(manager, database, context)
    assert database.get_cluster_by_uuid(admin_context, uuid).trust_id is None
    assert recorded == []
