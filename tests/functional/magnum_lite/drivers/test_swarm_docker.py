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

"""swarm_docker end to end: real Heat, real Docker, real conductor.

Heat runs as its own process with our Docker resource plugins; the
conductor runs here with the driver found through its installed entry
point, and every status change comes from the real status sync. The
cluster is checked from the outside, as a user would: the swarm API at
api_address over TLS with a client certificate from the cluster CA.
"""

import os
import tarfile
import tempfile
import time

from cryptography import x509 as crypto_x509
from cryptography.x509 import oid
import docker
import pytest

from magnum_lite.certificates import store
from magnum_lite.certificates import x509
from magnum_lite.common import docker_client
from magnum_lite.common import states
from magnum_lite.conductor import manager as conductor_manager
from magnum_lite.conductor import periodics
from magnum_lite import conf as ml_conf
from magnum_lite.db import api as db_api
from magnum_lite.drivers import loader
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import images
from magnum_lite.drivers.swarm_docker import stack
from tests.harness import contexts
from tests.harness import database as db_fixture
from tests.harness import docker_engine
from tests.harness import keys
from tests.harness import lifecycle
from tests.harness import swarm

CONF = ml_conf.CONF

certificate_config = keys.certificate_config
host_docker = docker_engine.host_docker
heat = swarm.heat
cleanup = swarm.cleanup


LABEL = engine.CLUSTER_LABEL


@pytest.fixture(scope='module')
def small_image(host_docker, tmp_path_factory):
    """A one-binary image made offline, to copy into the nodes."""
    busybox = '/bin/busybox'
    if not os.path.exists(busybox):
        pytest.fail('busybox-static is required', pytrace=False)
    archive = tmp_path_factory.mktemp('image') / 'rootfs.tar'
    with tarfile.open(archive, 'w') as tar:
        tar.add(busybox, arcname='bin/busybox')
    name = 'magnum-lite-test/swarm-copy:latest'
    host_docker.api.import_image_from_file(str(archive),
                                           repository=name.split(':')[0],
                                           tag='latest')
    yield name
    host_docker.api.remove_image(name, force=True)


@pytest.fixture
def conductor(heat, tmp_path, certificate_config):
    db_fixture.fresh_sqlite_database(str(tmp_path))
    # The TLS clients here refuse the small keys of certificate_config.
    CONF.set_override('rsa_key_size', 2048, group='x509')
    loader.reset()
    CONF.set_override('endpoint_override', heat.endpoint,
                      group='heat_client')
    manager = conductor_manager.ConductorManager(host='test-conductor')
    manager.start(run_periodics=False)
    yield manager
    manager.stop(graceful=False)
    CONF.clear_override('endpoint_override', group='heat_client')
    loader.reset()
    db_fixture.release()


def _client_tls(cluster_uuid, directory):
    """A client certificate signed by the cluster CA, as a user gets one."""
    usage = crypto_x509.ExtendedKeyUsage([oid.ExtendedKeyUsageOID.CLIENT_AUTH])
    csr, key = x509.make_csr('admin', extensions=[(usage, False)])
    dbapi = db_api.get_instance()
    files = {
        'ca.pem': store.get_ca_certificate(dbapi, cluster_uuid),
        'cert.pem': store.sign_certificate(dbapi, cluster_uuid, csr),
        'key.pem': key.decode('ascii'),
    }
    for name, pem in files.items():
        with open(os.path.join(directory, name), 'w') as pem_file:
            pem_file.write(pem)
    return docker_client.TLSConfig(
        client_cert=(os.path.join(directory, 'cert.pem'),
                     os.path.join(directory, 'key.pem')),
        ca_cert=os.path.join(directory, 'ca.pem'), verify=True)


def _swarm_nodes(cluster, wanted, timeout=60):
    """{hostname: (state, role)} once it equals `wanted` hostnames."""
    nodes = {}
    with tempfile.TemporaryDirectory() as directory:
        client = docker.DockerClient(base_url=cluster.api_address,
                                     tls=_client_tls(cluster.uuid, directory),
                                     version='auto', timeout=30)
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                nodes = {n.attrs['Description']['Hostname']:
                         (n.attrs['Status']['State'], n.attrs['Spec']['Role'])
                         for n in client.nodes.list()}
                if set(nodes) == set(wanted) and all(
                        state == 'ready' for state, _ in nodes.values()):
                    assert client.info()['Swarm']['Nodes'] == len(wanted)
                    return nodes
                time.sleep(0.5)
        finally:
            client.close()
    pytest.fail('swarm nodes %s, wanted %s ready' % (nodes, sorted(wanted)))


def test_create_resize_delete(conductor, host_docker, small_image, cleanup):
    dbapi = db_api.get_instance()
    cluster = swarm.new_cluster(dbapi, 'sw1')
    cleanup.append(cluster.uuid)
    conductor.create_cluster(contexts.make_context(), cluster.uuid, 10)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.CREATE_COMPLETE,
        timeout=150)
    assert cluster.api_address.startswith('tcp://127.0.0.1:')
    assert len(cluster.master_addresses) == 1
    assert len(cluster.node_addresses) == 2
    nodes = _swarm_nodes(cluster, ['sw1-manager-0', 'sw1-worker-0',
                                   'sw1-worker-1'])
    assert nodes['sw1-manager-0'][1] == 'manager'
    assert nodes['sw1-worker-0'][1] == 'worker'
    containers, networks, volumes = swarm.labelled(host_docker, cluster.uuid)
    assert len(containers) == 3 and len(networks) == 1
    assert len(volumes) == 3
    kept = {c.name: c.id for c in containers}

    # An image of the host engine reaches every node, once.
    assert sorted(images.copy_image(host_docker.api, cluster.uuid,
                                    small_image)) == sorted(nodes)
    assert images.copy_image(host_docker.api, cluster.uuid,
                             small_image) == []
    worker = next(c for c in containers if c.name.endswith('worker-1'))
    assert images.node_has_image(host_docker.api, worker.id, small_image)

    # Grow to 3 workers: the nodes there stay as they are.
    conductor.resize_cluster(contexts.make_context(), cluster.uuid,
                             lifecycle.default_workers(cluster).uuid, 3)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.UPDATE_COMPLETE,
        timeout=150)
    assert len(cluster.node_addresses) == 3
    _swarm_nodes(cluster, ['sw1-manager-0', 'sw1-worker-0', 'sw1-worker-1',
                           'sw1-worker-2'])
    containers, _, _ = swarm.labelled(host_docker, cluster.uuid)
    now = {c.name: c.id for c in containers}
    assert all(now.get(name) == cid for name, cid in kept.items()), (
        kept, now)

    # Back to 2, losing the worker named by the user.
    conductor.resize_cluster(contexts.make_context(), cluster.uuid,
                             lifecycle.default_workers(cluster).uuid, 2, ['sw1-worker-1'])
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.UPDATE_COMPLETE,
        timeout=150)
    assert len(cluster.node_addresses) == 2
    _swarm_nodes(cluster, ['sw1-manager-0', 'sw1-worker-0', 'sw1-worker-2'],
                 timeout=10)
    containers, _, volumes = swarm.labelled(host_docker, cluster.uuid)
    hostnames = sorted(c.attrs['Config']['Hostname'] for c in containers)
    assert hostnames == ['sw1-manager-0', 'sw1-worker-0', 'sw1-worker-2']
    assert len(volumes) == 3

    # A nodegroup of its own stack joins the same swarm, and leaves it.
    extra = dbapi.create_nodegroup({
        'name': 'extra', 'cluster_id': cluster.uuid, 'role': 'worker',
        'node_count': 1, 'project_id': cluster.project_id,
        'status': states.CREATE_IN_PROGRESS})
    conductor.create_nodegroup(contexts.make_context(), cluster.uuid, extra.uuid)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.UPDATE_COMPLETE,
        timeout=150)
    extra = dbapi.get_nodegroup_by_uuid(contexts.admin_context(), cluster.uuid, extra.uuid)
    assert extra.status == states.CREATE_COMPLETE
    assert len(extra.node_addresses) == 1
    _swarm_nodes(cluster, ['sw1-manager-0', 'sw1-worker-0', 'sw1-worker-2',
                           'sw1-extra-0'])
    conductor.delete_nodegroup(contexts.make_context(), cluster.uuid, extra.uuid)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.UPDATE_COMPLETE,
        timeout=150)
    assert [ng.name for ng in cluster.nodegroups if not ng.is_default] == []
    _swarm_nodes(cluster, ['sw1-manager-0', 'sw1-worker-0', 'sw1-worker-2'],
                 timeout=10)

    # The health check sees a healthy cluster, then a killed node.
    periodics.sync_cluster_health(conductor)
    cluster = dbapi.get_cluster_by_uuid(contexts.admin_context(), cluster.uuid)
    assert cluster.health_status == states.HEALTHY, (
        cluster.health_status_reason)
    assert cluster.health_status_reason['sw1-worker-2.Ready'] == 'True'
    victim = next(c for c in swarm.labelled(host_docker, cluster.uuid)[0]
                  if c.attrs['Config']['Hostname'] == 'sw1-worker-2')
    victim.kill()
    periodics.sync_cluster_health(conductor)
    cluster = dbapi.get_cluster_by_uuid(contexts.admin_context(), cluster.uuid)
    assert cluster.health_status == states.UNHEALTHY
    assert cluster.health_status_reason['sw1-worker-2.container'] == 'exited'
    assert cluster.status == states.UPDATE_COMPLETE

    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None
    assert swarm.labelled(host_docker, cluster.uuid) == ([], [], [])


def test_a_cluster_of_an_earlier_release_keeps_its_nodes_and_labels(
        conductor, host_docker, cleanup, monkeypatch):
    # Its network and nodes carry the old label names (magnum_lite.*), as
    # an earlier release's templates wrote them. Heat replaces a Docker
    # container or network whose labels change: a resize must write the
    # kept ones with the names they have.
    real_render = stack.render

    def as_before(base, groups, legacy_labels=()):
        every = {'network'} | {stack.resource_name(group, index)
                               for group, indexes in groups
                               for index in indexes}
        return real_render(base, groups, every)

    dbapi = db_api.get_instance()
    cluster = swarm.new_cluster(dbapi, 'old1', workers=1)
    cleanup.append(cluster.uuid)
    monkeypatch.setattr(stack, 'render', as_before)
    conductor.create_cluster(contexts.make_context(), cluster.uuid, 10)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.CREATE_COMPLETE,
        timeout=150)
    monkeypatch.setattr(stack, 'render', real_render)
    old = {'label': 'magnum_lite.cluster=' + cluster.uuid}
    kept = {c.name: c.id
            for c in host_docker.containers.list(all=True, filters=old)}
    [network] = host_docker.networks.list(filters=old)
    assert len(kept) == 2
    assert swarm.labelled(host_docker, cluster.uuid)[0] == []

    conductor.resize_cluster(contexts.make_context(), cluster.uuid,
                             lifecycle.default_workers(cluster).uuid, 2)
    cluster = lifecycle.sync_until(
        conductor, cluster.uuid, states.UPDATE_COMPLETE,
        timeout=150)
    assert {c.name: c.id for c in host_docker.containers.list(
        all=True, filters=old)} == kept
    assert [n.id for n in host_docker.networks.list(filters=old)] == [
        network.id]
    added = swarm.labelled(host_docker, cluster.uuid)[0]
    assert [c.attrs['Config']['Hostname'] for c in added] == [
        'old1-worker-1']
    _swarm_nodes(cluster, ['old1-manager-0', 'old1-worker-0',
                           'old1-worker-1'])

    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None
    assert (host_docker.containers.list(all=True, filters=old),
            host_docker.networks.list(filters=old),
            host_docker.volumes.list(filters=old)) == ([], [], [])
    assert swarm.labelled(host_docker, cluster.uuid) == ([], [], [])


def test_a_node_that_cannot_start_fails_the_create(
        conductor, host_docker, cleanup):
    dbapi = db_api.get_instance()
    cluster = swarm.new_cluster(
        dbapi, 'broken', workers=1,
        labels={'swarm_node_image': 'magnum-lite/swarm-node:no-such-tag'})
    cleanup.append(cluster.uuid)
    conductor.create_cluster(contexts.make_context(), cluster.uuid, 10)
    cluster = lifecycle.sync_until(conductor, cluster.uuid, states.CREATE_FAILED)
    assert cluster.faults, cluster.status_reason
    paths = sorted(cluster.faults)
    # The node containers themselves are named, as the stack's resources.
    assert set(paths) & {'manager-0', 'worker-0'}, paths
    assert 'no-such-tag' in cluster.status_reason
    assert any(p in cluster.status_reason for p in paths)
    # Something of the cluster's that Heat does not know about: the delete
    # must not leave it behind either.
    host_docker.volumes.create('broken-leftover-' + cluster.uuid[:8],
                               labels={LABEL: cluster.uuid})
    conductor.delete_cluster(contexts.make_context(), cluster.uuid)
    assert lifecycle.sync_until(conductor, cluster.uuid, None) is None
    assert swarm.labelled(host_docker, cluster.uuid) == ([], [], [])
