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

"""Acceptance of the all-in-one mode: magnum-lite-aio, real Heat, Docker.

The unmodified `openstack coe` client (python-magnumclient) and our
`openstack coe container` commands drive magnum-lite-aio, which makes
swarm_docker clusters through its own Heat child on the host's Docker
engine. One aio serves the main flow and the failed create; the crash test
has an aio and a state dir of its own, killed and started again.
"""

import json
import os
import tarfile
import time
import uuid

import docker
import pytest

from magnum_lite.common import docker_client
from magnum_lite.drivers.swarm_docker import engine
from tests.functional.aio import deployment
from tests.harness import docker_engine
from tests.harness import processes

host_docker = docker_engine.host_docker

IMAGE = 'magnum-lite-test/aio-busybox:latest'
APPLETS = ('sh', 'sleep', 'echo', 'hostname')
LOOP = ("sh -c 'trap \"exit 0\" TERM; echo hello-$GREETING; "
        "while true; do sleep 1; done'")


@pytest.fixture(scope='module')
def busybox_image(host_docker, tmp_path_factory):
    """A busybox image on the host engine only: made offline.

    Its name is this folder's own: other folders' pytest processes may
    make and remove theirs at the same time.
    """
    if not os.path.exists('/bin/busybox'):
        pytest.fail('busybox-static is required', pytrace=False)
    archive = tmp_path_factory.mktemp('busybox') / 'rootfs.tar'
    with tarfile.open(archive, 'w') as tar:
        tar.add('/bin/busybox', arcname='bin/busybox')
        for applet in APPLETS:
            link = tarfile.TarInfo('bin/' + applet)
            link.type, link.linkname = tarfile.SYMTYPE, 'busybox'
            tar.addfile(link)
    repository, tag = IMAGE.split(':')
    host_docker.api.import_image_from_file(str(archive),
                                           repository=repository, tag=tag)
    yield IMAGE
    host_docker.api.remove_image(IMAGE, force=True)


def _running_aio(request, directory, host_docker):
    """An aio whose log is printed when a test of it failed."""
    aio = deployment.Aio(directory)
    made = []
    failed = request.session.testsfailed
    started = False
    try:
        aio.start()
        started = True
        yield aio, made
    finally:
        if not started or request.session.testsfailed > failed:
            print(aio.logs())
        code = aio.stop()
        aio.close()
        # Whatever a failed test left, so that the next run starts clean
        # (the tests themselves check that a delete leaves nothing).
        left = {c: engine.remove_leftovers(host_docker.api, c)
                for c in made}
    assert code == 0, aio.logs()
    assert deployment.heat_runners(aio.state) == []
    assert not any(left.values()), left


@pytest.fixture(scope='module')
def aio(request, tmp_path_factory, host_docker):
    yield from _running_aio(request, tmp_path_factory.mktemp('aio'),
                            host_docker)


@pytest.fixture
def own_aio(request, tmp_path, host_docker):
    """An aio and state dir for one test alone."""
    yield from _running_aio(request, tmp_path, host_docker)


def _name(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:6])


def _template(aio, name):
    created = aio.coe('cluster', 'template', 'create', name,
                      '--coe', 'swarm-mode', '--server-type', 'container',
                      # No image service: the os_distro label names it.
                      '--image', 'none', '--external-network', 'none',
                      '--labels', 'os_distro=debian', '-f', 'json')
    line, _, rest = created.partition('\n')
    assert line == 'Request to create cluster template %s accepted' % name
    template = json.loads(rest)
    assert template['cluster_distro'] == 'debian'
    return template


def _create_cluster(aio, template, name, workers, *extra):
    out = aio.coe('cluster', 'create', name, '--cluster-template', template,
                  '--master-count', 1, '--node-count', workers, *extra)
    assert out.startswith('Request to create cluster'), out
    return aio.show('cluster', name)['uuid']


def _docker_info(directory, shell_exports):
    """The swarm, as `docker --tlsverify info` with `cluster config`."""
    exports = dict(line[len('export '):].split('=', 1)
                   for line in shell_exports.splitlines() if line)
    assert exports['DOCKER_CERT_PATH'] == str(directory)
    assert exports['DOCKER_TLS_VERIFY'] == 'True'
    assert sorted(os.listdir(directory)) == ['ca.pem', 'cert.pem', 'key.pem']
    # The SDK's TLS settings, kept from REQUESTS_CA_BUNDLE and proxies of
    # the environment as the docker CLI is.
    tls = docker_client.TLSConfig(
        client_cert=(str(directory / 'cert.pem'), str(directory / 'key.pem')),
        ca_cert=str(directory / 'ca.pem'), verify=True)
    client = docker.DockerClient(base_url=exports['DOCKER_HOST'], tls=tls,
                                 version='auto', timeout=30)
    try:
        return client.info()
    finally:
        client.close()


def _swarm_info(aio, name, nodes, timeout=60):
    directory = aio.directory / ('config-%s' % uuid.uuid4().hex[:6])
    directory.mkdir()
    exports = aio.coe('cluster', 'config', name, '--dir', directory,
                      '--output-certs')
    deadline = time.monotonic() + timeout
    while True:
        info = _docker_info(directory, exports)
        if info['Swarm']['Nodes'] == nodes:
            return info
        assert time.monotonic() < deadline, info['Swarm']
        time.sleep(1)


def _container(aio, name, status, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        shown = aio.show('container', name)
        if shown['status'] == status:
            return shown
        assert shown['status'] in ('Creating', 'Created'), shown
        assert time.monotonic() < deadline, shown
        time.sleep(0.5)


def _node_volumes(host_docker, cluster_uuid):
    """Every volume the node containers mount, labelled or anonymous."""
    containers = host_docker.containers.list(
        all=True, filters={'label': '%s=%s' % (deployment.LABEL,
                                               cluster_uuid)})
    return {m['Name'] for c in containers for m in c.attrs['Mounts']
            if m['Type'] == 'volume'}


def _node_hostnames(host_docker, cluster_uuid):
    containers = host_docker.containers.list(
        all=True, filters={'label': '%s=%s' % (deployment.LABEL,
                                               cluster_uuid)})
    return sorted(c.attrs['Config']['Hostname'] for c in containers)


def test_cluster_and_containers(aio, host_docker, busybox_image):
    aio, made = aio
    template = _template(aio, _name('swarm'))
    name = _name('c')
    cluster_uuid = _create_cluster(aio, template['uuid'], name, 2)
    made.append(cluster_uuid)
    cluster = aio.wait_cluster(name, 'CREATE_COMPLETE')
    assert cluster['api_address'].startswith('tcp://127.0.0.1:')
    assert len(cluster['master_addresses']) == 1
    workers = cluster['node_addresses']
    assert len(workers) == 2
    assert _node_hostnames(host_docker, cluster_uuid) == [
        name + '-manager-0', name + '-worker-0', name + '-worker-1']

    volumes = _node_volumes(host_docker, cluster_uuid)
    info = _swarm_info(aio, name, 3)
    assert info['Swarm']['ControlAvailable'] is True

    # A container of an image the host alone has, on a worker.
    out = aio.coe('container', 'create', '--name', 'web', '--image',
                  busybox_image, '--cluster', name, '--command', LOOP,
                  '--environment', 'GREETING=aio', '--memory', '64m',
                  '-f', 'json')
    assert json.loads(out)['status'] == 'Creating'
    shown = _container(aio, 'web', 'Running')
    assert shown['host'] in workers, (shown, cluster)
    assert shown['cluster_uuid'] == cluster_uuid
    listed = json.loads(aio.coe('container', 'list', '--cluster', name,
                                '-f', 'json'))
    assert [(c['name'], c['status']) for c in listed] == [('web', 'Running')]
    processes.wait_for(
        lambda: 'hello-aio' in aio.coe('container', 'logs', 'web'),
        timeout=20, what='the container greeting in its logs')
    assert aio.coe('container', 'exec', 'web', 'sh', '-c',
                   'echo exec-$GREETING') == 'exec-aio\n'
    assert aio.coe('container', 'exec', 'web', 'sh', '-c', 'exit 3',
                   returncode=3) == ''
    aio.coe('container', 'stop', 'web')
    assert aio.show('container', 'web')['status'] == 'Stopped'
    aio.coe('container', 'delete', 'web')
    assert json.loads(aio.coe('container', 'list', '-f', 'json')) == []

    # Grow to 3 workers, then back to 2 without the one named.
    aio.coe('cluster', 'resize', name, 3)
    cluster = aio.wait_cluster(name, 'UPDATE_COMPLETE')
    assert len(cluster['node_addresses']) == 3
    _swarm_info(aio, name, 4)
    volumes |= _node_volumes(host_docker, cluster_uuid)
    assert len(volumes) >= 4, volumes
    aio.coe('cluster', 'resize', name, 2, '--nodes-to-remove',
            name + '-worker-1')
    cluster = aio.wait_cluster(name, 'UPDATE_COMPLETE')
    assert len(cluster['node_addresses']) == 2
    _swarm_info(aio, name, 3)
    assert _node_hostnames(host_docker, cluster_uuid) == [
        name + '-manager-0', name + '-worker-0', name + '-worker-2']

    # A node container killed behind our back: the health sync says so.
    victim = host_docker.containers.list(filters={
        'label': '%s=%s' % (deployment.LABEL, cluster_uuid)})
    victim = next(c for c in victim
                  if c.attrs['Config']['Hostname'] == name + '-worker-2')
    victim.kill()
    deadline = time.monotonic() + 30
    while True:
        cluster = aio.show('cluster', name)
        reason = cluster['health_status_reason'] or {}
        if cluster['health_status'] == 'UNHEALTHY':
            break
        assert time.monotonic() < deadline, cluster
        time.sleep(1)
    assert reason['%s-worker-2.container' % name] == 'exited', reason
    assert cluster['status'] == 'UPDATE_COMPLETE'

    out = aio.coe('cluster', 'delete', name)
    assert 'accepted' in out, out
    assert aio.wait_cluster(name, None) is None
    assert deployment.labelled(host_docker, cluster_uuid) == []
    still = [v.name for v in host_docker.volumes.list()
             if v.name in volumes]
    assert still == [], still
    aio.coe('cluster', 'template', 'delete', template['uuid'])


def test_a_node_image_that_cannot_start(aio, host_docker):
    aio, made = aio
    template = _template(aio, _name('swarm'))
    name = _name('broken')
    image = 'magnum-lite/swarm-node:no-such-tag'
    made.append(_create_cluster(aio, template['uuid'], name, 1,
                                '--labels', 'swarm_node_image=' + image))
    cluster = aio.wait_cluster(name, 'CREATE_FAILED', fail_on_failed=False)
    faults = cluster['faults']
    assert faults, cluster
    # The node containers themselves are named, with the cause.
    nodes = [path for path in faults if path in ('manager-0', 'worker-0')]
    assert nodes, faults
    assert all('no-such-tag' in faults[path] for path in nodes), faults
    assert 'no-such-tag' in cluster['status_reason']
    assert any(path in cluster['status_reason'] for path in nodes), cluster
    aio.coe('cluster', 'delete', name)
    assert aio.wait_cluster(name, None) is None
    assert deployment.labelled(host_docker, made[-1]) == []
    aio.coe('cluster', 'template', 'delete', template['uuid'])


def test_aio_killed_mid_create_completes_the_cluster(own_aio, host_docker):
    aio, made = own_aio
    template = _template(aio, _name('swarm'))
    name = _name('crash')
    cluster_uuid = _create_cluster(aio, template['uuid'], name, 1)
    made.append(cluster_uuid)

    def stack_stored():
        _, cluster = aio.http('GET', '/clusters/%s' % cluster_uuid)
        assert cluster['status'] == 'CREATE_IN_PROGRESS', cluster
        # From microversion 1.13 the stack id is shown as cluster_id.
        return cluster['cluster_id']
    stack_id = processes.wait_for(stack_stored, timeout=60, interval=0.1,
                                  what='the stack id, create in progress')
    heat = deployment.heat_runners(aio.state)
    assert len(heat) == 1
    aio.kill()
    aio.start()
    cluster = aio.wait_cluster(name, 'CREATE_COMPLETE')
    # The same stack, finished; one Heat on the same state, a new one.
    assert cluster['cluster_id'] == stack_id, cluster
    restarted = deployment.heat_runners(aio.state)
    assert len(restarted) == 1 and restarted != heat, (heat, restarted)
    assert len(cluster['node_addresses']) == 1
    _swarm_info(aio, name, 2)

    aio.coe('cluster', 'delete', name)
    assert aio.wait_cluster(name, None) is None
    assert deployment.labelled(host_docker, cluster_uuid) == []
