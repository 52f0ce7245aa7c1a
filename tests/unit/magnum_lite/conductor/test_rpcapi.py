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

"""ConductorAPI against a conductor in this process (fake:// transport)."""

import oslo_messaging as messaging
import pytest

from magnum_lite.certificates import x509
from magnum_lite.common import exception
from magnum_lite.common import rpc
from magnum_lite.common import states
from magnum_lite.conductor import locking
from magnum_lite.conductor import manager as conductor_manager
from magnum_lite.conductor import rpcapi
from magnum_lite import conf as ml_conf
from tests.harness import cluster_rows
from tests.unit.magnum_lite.conductor import in_process_rpc

CONF = ml_conf.CONF

conductor = in_process_rpc.conductor
api = in_process_rpc.api
_wait_for = in_process_rpc.wait_for


def test_cast_reaches_the_in_process_conductor(api, database, context,
                                               admin_context):
    # Another conductor's recent row must not pull the cast away from the
    # only conductor in-process messaging can reach.
    database.service_heartbeat('conductor-elsewhere', 'magnum-conductor')
    template = cluster_rows.make_template(database)
    cluster = cluster_rows.make_cluster(database, template)
    assert api._owner(cluster.uuid) is None
    api.create_cluster(context, cluster.uuid, create_timeout=10)
    row = _wait_for(lambda: database.get_cluster_by_uuid(
        admin_context, cluster.uuid).stack_id)
    assert row == 'fake-' + cluster.uuid


def test_remote_exceptions_come_back_as_our_types(api, context):
    with pytest.raises(exception.ClusterNotFound) as raised:
        api.get_ca_certificate(context, 'no-such-cluster')
    # The very type, with the message only: no conductor traceback for
    # the API to show users.
    assert type(raised.value) is exception.ClusterNotFound
    assert str(raised.value) == 'Cluster no-such-cluster could not be found.'
    assert raised.value.code == 404


def test_sign_certificate_over_rpc(api, database, context):
    template = cluster_rows.make_template(database)
    cluster = cluster_rows.make_cluster(database, template)
    api.create_cluster(context, cluster.uuid)
    _wait_for(lambda: database.get_cluster_by_uuid(
        context, cluster.uuid).stack_id)
    csr, _key = x509.make_csr('admin', 'system:masters')
    pem = api.sign_certificate(context, cluster.uuid, csr.decode())
    assert pem.startswith('-----BEGIN CERTIFICATE-----')
    with pytest.raises(exception.InvalidCsr) as raised:
        api.sign_certificate(context, cluster.uuid, 'garbage')
    assert raised.value.code == 400


def test_version_cap_below_a_method_refuses_to_send(conductor, database,
                                                    context):
    CONF.set_override('rpc_version_cap', '0.9', group='conductor')
    api = rpcapi.ConductorAPI(dbapi=database)
    with pytest.raises(exception.ConductorRPCVersionTooOld) as raised:
        api.get_ca_certificate(context, 'x')
    assert 'needs 1.0' in str(raised.value)


def test_no_conductor_answering_is_unavailable(conductor, database, context):
    CONF.set_override('rpc_response_timeout', 1)
    api = rpcapi.ConductorAPI(topic='nobody-listens', dbapi=database)
    with pytest.raises(exception.ConductorUnavailable):
        api.get_ca_certificate(context, 'x')


def test_owner_follows_live_conductors(api, database):
    database.service_heartbeat('conductor-2', 'magnum-conductor')
    api._route_by_owner = True
    api._hosts = None
    uuid = 'c0ffee00-0000-4000-8000-000000000000'
    assert api._owner(uuid) == locking.owner(uuid, ['conductor-1',
                                                    'conductor-2'])


def test_stopped_conductor_takes_no_more_casts(conductor, database,
                                               admin_context):
    conductor.stop()
    service_row = database.get_service_by_host_and_binary(
        'conductor-1', 'magnum-conductor')
    assert service_row.forced_down
    template = cluster_rows.make_template(database)
    cluster = cluster_rows.make_cluster(database, template)
    assert database.get_cluster_by_uuid(
        admin_context, cluster.uuid).status == states.CREATE_IN_PROGRESS


def test_every_method_the_api_sends_is_declared(api, context, monkeypatch):
    sent = []

    class Recorder:
        def cast(self, _context, method, **kwargs):
            sent.append(method)

        def call(self, _context, method, **kwargs):
            sent.append(method)

    monkeypatch.setattr(api, '_prepare', lambda *a, **k: Recorder())
    public = [name for name in dir(rpcapi.ConductorAPI)
              if not name.startswith('_')]
    for name in public:
        method = getattr(api, name)
        if not callable(method):
            continue
        code = method.__code__
        # Every argument after the context by name: values are irrelevant.
        arguments = code.co_varnames[2:code.co_argcount]
        method(context, *['x'] * len(arguments))
    assert set(sent) == rpcapi.METHODS
    for name in rpcapi.METHODS:
        assert callable(getattr(conductor_manager.ConductorManager, name))


@pytest.mark.parametrize('method', ['stop', 'heartbeat', 'resume_create',
                                    'wait_for_operations', 'prepare'])
def test_life_cycle_methods_cannot_be_called_over_rpc(conductor, database,
                                                      context, method):
    # A hand-made message, as a client outside the API could send.
    CONF.set_override('rpc_response_timeout', 5)
    client = rpc.get_client(messaging.Target(topic=CONF.conductor.topic))
    with pytest.raises(messaging.NoSuchMethod) as raised:
        client.prepare(version='1.0').call(context, method)
    assert raised.value.method == method
    # Still serving: the refused message ran nothing.
    api = rpcapi.ConductorAPI(dbapi=database)
    with pytest.raises(exception.ClusterNotFound):
        api.get_ca_certificate(context, 'c0ffee00-0000-4000-8000-00000000000f')
