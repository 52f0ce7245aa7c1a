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

"""Container RPCs through ConductorAPI and in-process messaging.

Only what needs no Docker: refusals, visibility, failures recorded on the
row, nodes that cannot be reached (a loopback port nothing listens on).
The functional test drives the same RPCs against real nodes.
"""

import socket

import docker
import pytest

from magnum_lite.certificates import store
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import rpcapi
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import docker_nodes
from tests.harness import cluster_rows
from tests.harness import contexts
from tests.unit.magnum_lite.conductor import in_process_rpc

CONF = ml_conf.CONF
conductor = in_process_rpc.conductor
api = in_process_rpc.api


def _container(database, cluster, **values):
    return database.create_container(dict({
        'name': 'web', 'project_id': cluster.project_id, 'image': 'busybox',
        'cluster_uuid': cluster.uuid,
        'status': states.CONTAINER_CREATING}, **values))


@pytest.fixture
def cluster(database):
    template = cluster_rows.make_template(database, coe='swarm-mode')
    # No node addresses: nothing can be placed.
    return cluster_rows.make_cluster(database, template,
                                     status=states.CREATE_COMPLETE)


def test_a_create_that_cannot_place_ends_in_error(api, database, cluster,
                                                  context):
    row = _container(database, cluster)
    api.create_container(context, row.uuid)

    def settled():
        current = database.get_container_by_uuid(None, row.uuid)
        return current if current.status != 'Creating' else None

    row = in_process_rpc.wait_for(settled)
    assert row.status == 'Error'
    assert row.status_reason == ('Container create failed: The cluster has '
                                 'no node to run a container on.')


def test_a_busy_container_is_409(api, database, cluster, context):
    row = _container(database, cluster)
    for call in (lambda: api.action_container(context, row.uuid, 'stop'),
                 lambda: api.get_container_logs(context, row.uuid),
                 lambda: api.execute_container(context, row.uuid, 'ls'),
                 lambda: api.delete_container(context, row.uuid)):
        with pytest.raises(exception.OperationInProgress) as raised:
            call()
        assert raised.value.code == 409


def test_a_container_never_placed_cannot_act(api, database, cluster,
                                             context):
    row = _container(database, cluster, status='Error',
                     status_reason='no node')
    with pytest.raises(exception.Conflict) as raised:
        api.action_container(context, row.uuid, 'start')
    assert 'not placed on a node' in str(raised.value)
    with pytest.raises(exception.InvalidParameterValue):
        api.action_container(context, row.uuid, 'explode')
    # Nothing on a node to remove: the row simply goes.
    api.refresh_containers(context, [row.uuid, 'no-such-container'])
    api.delete_container(context, row.uuid)
    with pytest.raises(exception.ContainerNotFound):
        database.get_container_by_uuid(None, row.uuid)


def test_a_container_placed_but_never_created_has_no_logs(
        api, database, cluster, context):
    # The address answers nothing: reaching for it would fail otherwise.
    row = _container(database, cluster, status='Error', host='192.0.2.250',
                     status_reason='node cannot be reached')
    with pytest.raises(exception.Conflict) as raised:
        api.get_container_logs(context, row.uuid)
    assert raised.value.code == 409
    assert 'never created on its node: node cannot be reached' in str(
        raised.value)


def test_another_project_does_not_reach_it(api, database, cluster):
    row = _container(database, cluster, status='Error')
    other = contexts.make_context(project_id='project-b')
    with pytest.raises(exception.ContainerNotFound) as raised:
        api.delete_container(other, row.uuid)
    assert raised.value.code == 404
    assert database.get_container_by_uuid(None, row.uuid)


def test_conductors_of_1_0_are_not_sent_container_rpcs(conductor, database,
                                                       context):
    CONF.set_override('rpc_version_cap', '1.0', group='conductor')
    api = rpcapi.ConductorAPI(dbapi=database)
    with pytest.raises(exception.ConductorRPCVersionTooOld) as raised:
        api.create_container(context, 'x')
    assert 'needs 1.1' in str(raised.value)


def test_the_containers_of_a_deleted_cluster_go_with_it(
        api, database, cluster, context):
    row = _container(database, cluster, status='Running',
                     host='192.0.2.10', container_id='abc')
    database.destroy_cluster(cluster.uuid)
    # They ran on the cluster's nodes, which are gone: no row is left to
    # show a container that no longer exists.
    with pytest.raises(exception.ContainerNotFound):
        database.get_container_by_uuid(None, row.uuid)
    with pytest.raises(exception.ContainerNotFound):
        api.delete_container(context, row.uuid)


def _unchanged(database, row):
    after = database.get_container_by_uuid(None, row.uuid)
    fields = ('status', 'status_reason', 'host', 'container_id',
              'updated_at')
    return ({f: getattr(after, f) for f in fields} ==
            {f: getattr(row, f) for f in fields})


_CALLS = {
    'logs': lambda api, ctx, uuid: api.get_container_logs(ctx, uuid),
    'start': lambda api, ctx, uuid: api.action_container(ctx, uuid,
                                                         'start'),
    'stop': lambda api, ctx, uuid: api.action_container(ctx, uuid, 'stop'),
    'execute': lambda api, ctx, uuid: api.execute_container(ctx, uuid,
                                                            'ls'),
    'delete': lambda api, ctx, uuid: api.delete_container(ctx, uuid),
}


@pytest.mark.parametrize('call', sorted(_CALLS))
def test_a_node_that_refuses_connections_is_503(api, database, cluster,
                                                context, monkeypatch, call):
    # The real client of the node's TLS API, at a port nothing listens
    # on: making it (it asks the node for its API version) fails.
    store.generate_cluster_cas(database, cluster)
    monkeypatch.setattr(docker_nodes, 'DOCKER_PORT', _closed_port())
    row = _container(database, cluster, status='Running',
                     host='127.0.0.1', container_id='abc')
    with pytest.raises(exception.ContainerActionFailed) as raised:
        _CALLS[call](api, context, row.uuid)
    assert raised.value.code == 503
    assert 'node 127.0.0.1 cannot be reached' in str(raised.value)
    assert _unchanged(database, row)


@pytest.mark.parametrize('call', sorted(_CALLS))
def test_a_node_lost_mid_request_is_503(api, database, cluster, context,
                                        monkeypatch, call):
    # A client made while the node answered; its requests now fail.
    port = _closed_port()
    monkeypatch.setattr(
        docker_nodes, 'node_client',
        lambda services, cluster_uuid, address: docker.DockerClient(
            base_url='tcp://%s:%d' % (address, port), version='1.41',
            timeout=5))
    row = _container(database, cluster, status='Paused',
                     status_reason=None, host='127.0.0.1',
                     container_id='abc')
    with pytest.raises(exception.ContainerActionFailed) as raised:
        _CALLS[call](api, context, row.uuid)
    assert raised.value.code == 503
    message = str(raised.value)
    assert message.startswith('Container operation failed: node 127.0.0.1 '
                              'cannot be reached: cannot ')
    assert 'container web' in message
    assert _unchanged(database, row)


def test_a_refresh_keeps_the_rows_of_a_node_that_cannot_be_reached(
        api, database, cluster, context, monkeypatch):
    store.generate_cluster_cas(database, cluster)
    monkeypatch.setattr(docker_nodes, 'DOCKER_PORT', _closed_port())
    row = _container(database, cluster, status='Running',
                     host='127.0.0.1', container_id='abc')
    api.refresh_containers(context, [row.uuid])
    assert _unchanged(database, row)


def _closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]
