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

"""Containers on a real swarm_docker cluster, through the conductor's RPC.

A real Heat makes a cluster of 1 manager and 2 workers; a real conductor
service listens on in-process messaging, and every container operation
goes through ConductorAPI as the API sends it. The image exists only on
the host engine, so the conductor has to copy it into the nodes.
"""

import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import time

from docker import errors as docker_errors
import pytest

from magnum_lite.api import app as api_app
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import rpc
from magnum_lite.common import states
from magnum_lite.conductor import clusters
from magnum_lite.conductor import rpcapi
from magnum_lite.conductor import service as conductor_service
from magnum_lite import conf as ml_conf
from magnum_lite.db import api as db_api
from magnum_lite.drivers import docker_nodes
from magnum_lite.drivers import loader
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import images
from tests.harness import contexts
from tests.harness import database as db_fixture
from tests.harness import docker_engine
from tests.harness import keys
from tests.harness import lifecycle
from tests.harness import osc_inprocess
from tests.harness import swarm

CONF = ml_conf.CONF

certificate_config = keys.certificate_config
host_docker = docker_engine.host_docker
heat = swarm.heat
cleanup = swarm.cleanup

IMAGE = 'magnum-lite-test/containers-busybox:latest'
APPLETS = ('sh', 'sleep', 'echo', 'cat', 'env')
# Exits at once on SIGTERM, so a stop or reboot takes no grace period.
LOOP = ("trap 'exit 0' TERM; echo hello-$GREETING; "
        "while true; do sleep 1; done")


@pytest.fixture(scope='module')
def busybox_image(host_docker, tmp_path_factory):
    """A busybox image imported offline into the host engine only."""
    if not os.path.exists('/bin/busybox'):
        pytest.fail('busybox-static is required', pytrace=False)
    root = tmp_path_factory.mktemp('busybox-root')
    (root / 'bin').mkdir()
    shutil.copy('/bin/busybox', root / 'bin' / 'busybox')
    for applet in APPLETS:
        os.symlink('busybox', root / 'bin' / applet)
    tar = subprocess.Popen(['tar', '-C', str(root), '-c', '.'],
                           stdout=subprocess.PIPE)
    subprocess.run(['docker', 'import', '-', IMAGE], stdin=tar.stdout,
                   check=True, capture_output=True)
    assert tar.wait() == 0
    yield IMAGE
    host_docker.api.remove_image(IMAGE, force=True)


@pytest.fixture
def conductor(heat, tmp_path, certificate_config):
    """A conductor service on in-process messaging, and its RPC client."""
    db_fixture.fresh_sqlite_database(str(tmp_path))
    CONF.set_override('rsa_key_size', 2048, group='x509')
    CONF.set_override('periodic_enable', False)
    loader.reset()
    CONF.set_override('endpoint_override', heat.endpoint,
                      group='heat_client')
    service = conductor_service.ConductorService(host='test-conductor')
    service.start()
    yield service.manager, rpcapi.ConductorAPI()
    service.stop(graceful=False)
    rpc.cleanup()
    CONF.clear_override('endpoint_override', group='heat_client')
    CONF.clear_override('periodic_enable')
    loader.reset()
    db_fixture.release()


def _new_container(dbapi, cluster, name, image, **values):
    return dbapi.create_container(dict({
        'name': name, 'project_id': cluster.project_id, 'user_id': 'user-a',
        'image': image, 'command': ['sh', '-c', LOOP],
        'environment': {'GREETING': name}, 'memory': '64m',
        'cluster_uuid': cluster.uuid,
        'status': states.CONTAINER_CREATING}, **values))


def _until_settled(manager, dbapi, uuid, timeout=120):
    """The row once its create ended (the cast arrives asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = dbapi.get_container_by_uuid(None, uuid)
        if row.status != states.CONTAINER_CREATING:
            return row
        time.sleep(0.3)
    pytest.fail('container %s still Creating' % uuid)


def _running(conductor, dbapi, cluster, image, names):
    """Containers of these names, made through the RPC; all Running."""
    manager, api = conductor
    rows = [_new_container(dbapi, cluster, name, image) for name in names]
    for row in rows:
        api.create_container(contexts.make_context(), row.uuid)
    rows = [_until_settled(manager, dbapi, r.uuid) for r in rows]
    assert [r.status for r in rows] == ['Running'] * len(rows), [
        r.status_reason for r in rows]
    return rows


def _until_logged(api, uuid, text, timeout=20):
    deadline = time.monotonic() + timeout
    output = ''
    while time.monotonic() < deadline:
        output = api.get_container_logs(contexts.make_context(), uuid)
        if text in output:
            return output
        time.sleep(0.3)
    pytest.fail('logs of %s: %r, wanted %r' % (uuid, output, text))


def _node_api(dbapi, row):
    return docker_nodes.node_client(clusters.DriverServices(dbapi),
                                    row.cluster_uuid, row.host)


@pytest.fixture
def openstack(conductor):
    """`openstack ...` against the real API, served over the same conductor.

    A real loopback server: the conductor's own Docker requests run in
    this process meanwhile, which requests_mock would intercept.
    """
    # Parsed (with no files) as the API service does; overrides stay.
    CONF([], project='magnum_lite', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth', group='api')
    policy.reset()
    wsgi_app = api_app.setup_app(rpcapi=conductor[1])
    with osc_inprocess.serving(wsgi_app, {
            'X-Project-Id': 'project-a', 'X-User-Id': 'user-a',
            'X-Roles': 'member'}) as endpoint:
        yield osc_inprocess.OpenStackShell(endpoint)
    policy.reset()
    CONF.clear_override('auth_strategy', group='api')


def _osc_logs(openstack, name, text, timeout=20):
    deadline = time.monotonic() + timeout
    output = ''
    while time.monotonic() < deadline:
        assert openstack('coe', 'container', 'logs', name) == 0, openstack.err
        output = openstack.out
        if text in output:
            return output
        time.sleep(0.3)
    pytest.fail('logs of %s: %r, wanted %r' % (name, output, text))


def test_containers_on_a_swarm_cluster(conductor, host_docker, busybox_image,
                                       cleanup, openstack):
    manager, api = conductor
    ctx = contexts.make_context()
    dbapi = db_api.get_instance()
    cluster = swarm.new_cluster(dbapi, 'cs1')
    cleanup.append(cluster.uuid)
    manager.create_cluster(ctx, cluster.uuid, 10)
    cluster = lifecycle.sync_until(manager, cluster.uuid,
                                   states.CREATE_COMPLETE, timeout=150)
    nodes = engine.node_containers(host_docker.api, cluster.uuid)
    assert not any(images.node_has_image(host_docker.api, n['Id'],
                                         busybox_image) for n in nodes)

    # Two containers land on the two workers, the image copied there.
    rows = _running(conductor, dbapi, cluster, busybox_image, ('c1', 'c2'))
    assert sorted(r.host for r in rows) == sorted(cluster.node_addresses)
    first = rows[0]
    node = _node_api(dbapi, first)
    try:
        config = node.api.inspect_container(first.container_id)
    finally:
        node.close()
    assert config['HostConfig']['Memory'] == 64 * 1024 * 1024
    assert 'GREETING=c1' in config['Config']['Env']

    _until_logged(api, first.uuid, 'hello-c1')
    assert api.execute_container(ctx, first.uuid, 'sh -c "echo x-$GREETING"'
                                 ) == {'output': 'x-c1\n', 'exit_code': 0}
    assert api.execute_container(ctx, first.uuid, ['sh', '-c', 'exit 3']
                                 )['exit_code'] == 3

    # The actions, each answered with the status read back from Docker.
    for action, status in (('stop', 'Stopped'), ('start', 'Running'),
                           ('pause', 'Paused'), ('unpause', 'Running'),
                           ('reboot', 'Running')):
        assert api.action_container(ctx, first.uuid, action) == status
        assert dbapi.get_container_by_uuid(
            None, first.uuid).status == status
    api.action_container(ctx, first.uuid, 'stop')
    with pytest.raises(exception.Conflict):
        api.action_container(ctx, first.uuid, 'pause')

    # A change behind our back shows after a refresh.
    second = rows[1]
    node = _node_api(dbapi, second)
    try:
        node.api.kill(second.container_id)
    finally:
        node.close()
    api.refresh_containers(ctx, [second.uuid])
    assert dbapi.get_container_by_uuid(None, second.uuid).status == 'Stopped'

    # Another project does not reach them.
    other = contexts.make_context()
    other.project_id = 'project-b'
    with pytest.raises(exception.ContainerNotFound):
        api.get_container_logs(other, first.uuid)

    # An image the host does not have either ends in Error, with why.
    broken = _new_container(dbapi, cluster, 'c3', 'magnum-lite-test/none:x')
    api.create_container(ctx, broken.uuid)
    broken = _until_settled(manager, dbapi, broken.uuid)
    assert broken.status == 'Error'
    assert 'not on the host Docker engine' in broken.status_reason

    for row in rows + [broken]:
        api.delete_container(ctx, row.uuid)
        with pytest.raises(exception.ContainerNotFound):
            dbapi.get_container_by_uuid(None, row.uuid)
    for row in rows:
        node = _node_api(dbapi, row)
        try:
            with pytest.raises(docker_errors.NotFound):
                node.api.inspect_container(row.container_id)
        finally:
            node.close()

    # The same through the API and `openstack coe container`.
    assert openstack('coe', 'container', 'create', '--image', busybox_image,
                     '--cluster', 'cs1', '--name', 'c4', '--command',
                     "sh -c '%s'" % LOOP.replace("'", '"'),
                     '--environment', 'GREETING=osc', '-f', 'json'
                     ) == 0, openstack.err
    made = json.loads(openstack.out)
    assert made['status'] == 'Creating'
    row = _until_settled(manager, dbapi, made['uuid'])
    assert row.status == 'Running', row.status_reason
    assert row.host in cluster.node_addresses
    _osc_logs(openstack, 'c4', 'hello-osc')
    assert openstack('coe', 'container', 'exec', 'c4', 'sh', '-c',
                     'echo x-$GREETING') == 0
    assert openstack.out == 'x-osc\n'
    assert openstack('coe', 'container', 'pause', 'c4') == 0
    assert openstack('coe', 'container', 'show', 'c4', '-f', 'json') == 0
    assert json.loads(openstack.out)['status'] == 'Paused'
    assert openstack('coe', 'container', 'delete', 'c4') == 0
    assert openstack('coe', 'container', 'list', '-f', 'json') == 0
    assert json.loads(openstack.out) == []


def _cluster_subnet(host_docker, cluster):
    [network] = swarm.labelled(host_docker, cluster.uuid)[1]
    return ipaddress.ip_network(network.attrs['IPAM']['Config'][0]['Subnet'])


def _handshake(dbapi, cluster_uuid, address):
    """The node's certificate, as a TLS client checking its address sees it.

    Fails unless the certificate chains to the cluster CA and names
    `address`, which is what the conductor's client checks too.
    """
    ca, cert, key = docker_nodes.client_files(
        clusters.DriverServices(dbapi), cluster_uuid)
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(cert, key)
    with socket.create_connection((address, docker_nodes.DOCKER_PORT),
                                  timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=address) as wrapped:
            return wrapped.getpeercert()


def test_containers_on_an_added_nodegroup(conductor, host_docker,
                                          busybox_image, cleanup):
    manager, api = conductor
    ctx = contexts.make_context()
    dbapi = db_api.get_instance()
    cluster = swarm.new_cluster(dbapi, 'cs2', workers=1)
    cleanup.append(cluster.uuid)
    manager.create_cluster(ctx, cluster.uuid, 10)
    cluster = lifecycle.sync_until(manager, cluster.uuid,
                                   states.CREATE_COMPLETE, timeout=150)
    extra = dbapi.create_nodegroup({
        'name': 'extra', 'cluster_id': cluster.uuid, 'role': 'worker',
        'node_count': 1, 'project_id': cluster.project_id,
        'status': states.CREATE_IN_PROGRESS})
    manager.create_nodegroup(ctx, cluster.uuid, extra.uuid)
    cluster = lifecycle.sync_until(manager, cluster.uuid,
                                   states.UPDATE_COMPLETE, timeout=150)
    extra = dbapi.get_nodegroup_by_uuid(contexts.admin_context(),
                                        cluster.uuid, extra.uuid)
    assert extra.status == states.CREATE_COMPLETE, extra.status_reason
    [address] = extra.node_addresses
    [default_worker] = lifecycle.default_workers(cluster).node_addresses
    # A fixed address of the upper half, that its certificate names.
    network = _cluster_subnet(host_docker, cluster)
    assert ipaddress.ip_address(address) in list(
        network.subnets(prefixlen_diff=1))[1]
    peer = _handshake(dbapi, cluster.uuid, address)
    assert ('IP Address', address) in peer['subjectAltName']
    assert ('DNS', 'cs2-extra-0') in peer['subjectAltName']

    # Two containers: one on each worker, the added one included.
    rows = _running(conductor, dbapi, cluster, busybox_image, ('n1', 'n2'))
    assert sorted(r.host for r in rows) == sorted([default_worker, address])
    on_extra = next(r for r in rows if r.host == address)
    node = _node_api(dbapi, on_extra)
    try:
        assert node.info()['Name'] == 'cs2-extra-0'
        assert node.api.inspect_container(
            on_extra.container_id)['State']['Running']
    finally:
        node.close()
    _until_logged(api, on_extra.uuid, 'hello-%s' % on_extra.name)
    assert api.execute_container(
        ctx, on_extra.uuid, 'sh -c "echo x-$GREETING"') == {
            'output': 'x-%s\n' % on_extra.name, 'exit_code': 0}
    assert api.action_container(ctx, on_extra.uuid, 'stop') == 'Stopped'

    # Its node stops: the container's operations answer 503 naming the
    # node, and its row stays as it was.
    before = dbapi.get_container_by_uuid(None, on_extra.uuid)
    node_container = next(
        c for c in swarm.labelled(host_docker, cluster.uuid)[0]
        if c.attrs['Config']['Hostname'] == 'cs2-extra-0')
    node_container.stop(timeout=5)
    for call in (lambda: api.get_container_logs(ctx, on_extra.uuid),
                 lambda: api.action_container(ctx, on_extra.uuid, 'start')):
        with pytest.raises(exception.ContainerActionFailed) as raised:
            call()
        assert address in str(raised.value)
        assert raised.value.code == 503
    after = dbapi.get_container_by_uuid(None, on_extra.uuid)
    assert (after.status, after.status_reason, after.host,
            after.container_id, after.updated_at) == (
        before.status, before.status_reason, before.host,
        before.container_id, before.updated_at)
