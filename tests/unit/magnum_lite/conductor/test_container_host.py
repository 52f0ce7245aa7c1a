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

"""The conductor runs containers through the ContainerHost of the driver.

It names no driver: the cluster's driver says how a node is reached, how
an image gets there and what to forget once the cluster is gone.
"""

import pytest

from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import clusters
from magnum_lite.conductor import containers
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import base
from tests.harness import cluster_rows
from tests.harness.fakes import driver as fake_driver

CONF = ml_conf.CONF
NODE = '10.0.0.5'


class NodeAPI:
    """A node's low-level Docker API that records what it is asked."""

    def __init__(self):
        self.created = []
        self.acted = []

    def create_host_config(self, **kwargs):
        return kwargs

    def create_container(self, image, **kwargs):
        self.created.append(dict(kwargs, image=image))
        return {'Id': 'cid'}

    def start(self, cid):
        self.acted.append(('start', cid))

    def stop(self, cid, timeout):
        self.acted.append(('stop', cid, timeout))

    def restart(self, cid, timeout):
        self.acted.append(('restart', cid, timeout))

    def inspect_container(self, cid):
        return {'State': {'Status': 'running'}}


class NodeClient:
    def __init__(self):
        self.api = NodeAPI()
        self.closed = 0

    def close(self):
        self.closed += 1


class RecordingHost(base.ContainerHost):
    def __init__(self):
        self.calls = []
        self.client = NodeClient()

    def node_client(self, cluster_uuid, address):
        self.calls.append(('client', cluster_uuid, address))
        return self.client

    def ensure_image(self, cluster, client, image):
        assert client is self.client
        self.calls.append(('image', cluster.uuid, image))

    def forget(self, cluster_uuid):
        self.calls.append(('forget', cluster_uuid))


@pytest.fixture
def host(fake_drivers, monkeypatch):
    recording = RecordingHost()
    monkeypatch.setattr(fake_driver.FakeDriver, 'container_host',
                        lambda self: recording)
    return recording


@pytest.fixture
def cluster(database, host):
    template = cluster_rows.make_template(database, coe='swarm-mode')
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE)
    worker = cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
    database.update_nodegroup(cluster.uuid, worker.uuid,
                              {'node_addresses': [NODE]})
    return database.get_cluster_by_uuid(ml_context.make_admin_context(),
                                        cluster.uuid)


def _container(database, cluster, **values):
    return database.create_container(dict({
        'name': 'web', 'project_id': cluster.project_id, 'image': 'busybox',
        'cluster_uuid': cluster.uuid, 'memory': '64m',
        'status': states.CONTAINER_CREATING}, **values))


def test_a_create_goes_through_the_drivers_container_host(database, cluster,
                                                          host):
    row = containers.create(database, _container(database, cluster).uuid)
    assert (row.status, row.host, row.container_id) == ('Running', NODE,
                                                        'cid')
    assert host.calls == [('client', cluster.uuid, NODE),
                          ('image', cluster.uuid, 'busybox')]
    created, = host.client.api.created
    # New containers carry the label under the current name.
    assert created['labels'] == {
        'org.openstack.magnum-lite.container': row.uuid}
    assert host.client.closed == 1


def test_stop_and_reboot_give_the_configured_grace(database, cluster, host):
    row = _container(database, cluster, status='Running', host=NODE,
                     container_id='cid')
    CONF.set_override('container_stop_timeout', 3, group='docker')
    try:
        containers.action(database, row, 'stop')
        containers.action(database, row, 'reboot')
    finally:
        CONF.clear_override('container_stop_timeout', group='docker')
    assert host.client.api.acted == [('stop', 'cid', 3),
                                     ('restart', 'cid', 3)]


def test_a_driver_without_a_container_host_runs_no_containers(
        database, cluster, monkeypatch):
    monkeypatch.setattr(fake_driver.FakeDriver, 'container_host',
                        lambda self: None)
    row = _container(database, cluster)
    with pytest.raises(exception.NotSupported) as raised:
        containers.create(database, row.uuid)
    assert raised.value.code == 400
    # Refused before a node was chosen for it.
    assert database.get_container_by_uuid(None, row.uuid).host is None


def test_a_deleted_cluster_is_forgotten_by_its_container_host(database,
                                                              cluster, host):
    clusters.destroy(database, cluster.uuid)
    assert host.calls == [('forget', cluster.uuid)]


def test_a_cluster_whose_driver_is_gone_is_still_destroyed(database, cluster,
                                                           host):
    database.update_cluster(cluster.uuid, {'driver': 'removed_driver'})
    clusters.destroy(database, cluster.uuid)
    assert host.calls == []
    with pytest.raises(exception.ClusterNotFound):
        database.get_cluster_by_uuid(None, cluster.uuid)
