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

"""Shared pieces of the Nova driver's tests: a real image, clean-up, fixtures."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid

import fixtures

from nova_docker_driver import client as docker_client
from nova_docker_driver import privsep
from tests.harness import services

# A command that runs until SIGTERM: docker-init (the driver's default)
# forwards the signal and the shell, not being PID 1, dies of it.
TEST_COMMAND = ['/bin/sh', '-c', 'while true; do sleep 1; done']
_APPLETS = ('sh', 'sleep', 'cat', 'ls', 'ping', 'ip', 'ifconfig', 'echo',
            'env', 'hostname', 'true', 'touch')
_tarball = None
# One Glance id per process for the busybox image: tests load the same
# bytes, and the engine's copy is reused between them (remove_test_image).
IMAGE_ID = str(uuid.uuid4())
# Where the busybox image is imported before it is saved; removed again at
# once, and at the end in case an interrupted run left it behind.
TEST_REPOSITORY = 'nova-docker-test/busybox-%s' % uuid.uuid4().hex[:8]


def _busybox_rootfs():
    """A tar stream of a root file system holding only busybox."""
    busybox = services.require_command('busybox')
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode='w') as tar:
        for name in ('bin', 'tmp', 'etc', 'proc', 'sys', 'dev'):
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if name == 'tmp' else 0o755
            tar.addfile(info)
        tar.add(os.path.realpath(busybox), arcname='bin/busybox')
        for applet in _APPLETS:
            info = tarfile.TarInfo('bin/' + applet)
            info.type = tarfile.SYMTYPE
            info.linkname = 'busybox'
            tar.addfile(info)
    return out.getvalue()


def busybox_tarball():
    """A `docker save` tarball of a busybox image; built once per process.

    No registry is reachable, so the image is imported from the host's
    static busybox, saved, and its local tag removed again: the driver must
    load it from the bytes the fake Glance serves.
    """
    global _tarball
    if _tarball is None:
        engine = services.require_docker()
        repo = TEST_REPOSITORY
        engine.api.import_image_from_data(
            _busybox_rootfs(), repository=repo, tag='latest',
            changes=['CMD %s' % json.dumps(TEST_COMMAND)])
        try:
            image = engine.images.get(repo + ':latest')
            _tarball = b''.join(image.save(named=True))
        finally:
            engine.images.remove(repo + ':latest', force=True)
    return _tarball


def remove_test_image():
    engine = services.require_docker()
    remove_images(engine, [IMAGE_ID])
    try:
        engine.images.remove(TEST_REPOSITORY + ':latest', force=True)
    except docker_client.NotFound:
        pass


def docker_image_meta(**extra):
    meta = {'name': 'busybox', 'container_format': 'docker',
            'disk_format': 'raw', 'status': 'active', 'min_disk': 0,
            'min_ram': 0, 'is_public': True, 'properties': {}}
    meta.update(extra)
    return meta


def remove_containers(engine, host):
    """Remove every container the driver made for compute host `host`."""
    for container in engine.containers.list(
            all=True, filters={'label': ['%s=%s' % (
                docker_client.LABEL_HOST, host)]}):
        container.remove(force=True)


def remove_images(engine, image_ids):
    from nova_docker_driver import images
    for image_id in image_ids:
        try:
            engine.images.remove(images.tag_for(image_id), force=True)
        except docker_client.NotFound:
            pass


def unique_host():
    # Containers are found by the compute host label; a name per process
    # keeps parallel runs and leftovers of other runs apart.
    return 'nvd-test-%d-%s' % (os.getpid(), uuid.uuid4().hex[:6])


class PrivsepInProcess(fixtures.Fixture):
    """Run the driver's privileged calls in the (root) test process.

    Nova's test base forbids starting a privsep helper; the tests run as
    root (services.require_root), so the calls need no helper.
    """

    def _setUp(self):
        self.useFixture(fixtures.MockPatchObject(
            privsep.net_admin_pctxt, 'client_mode', False))


class NovaVirtAlias(fixtures.Fixture):
    """Expose the driver as nova.virt.docker for this test.

    Nova imports only nova.virt.<name>; a deployment installs a shim
    package with nova-docker-install, the tests alias the module instead
    of writing into the shared Nova installation.
    """

    def _setUp(self):
        from nova_docker_driver import driver
        key = 'nova.virt.docker'
        previous = sys.modules.get(key)
        sys.modules[key] = driver
        self.addCleanup(self._restore, key, previous)

    @staticmethod
    def _restore(key, previous):
        if previous is None:
            sys.modules.pop(key, None)
        else:
            sys.modules[key] = previous


class DriverOnEngineMixin(object):
    """Set-up shared by tests that drive a DockerDriver on the engine.

    For nova.test.TestCase subclasses; call after the base setUp, which
    builds ``self.connection`` (Nova's generic suite) or not.
    """

    def setup_engine(self, image_service, ctxt):
        services.require_root()
        self.engine = services.require_docker()
        self.host = unique_host()
        self.flags(host=self.host)
        self.flags(image_cache_dir=self.useFixture(fixtures.TempDir()).path,
                   group='docker')
        self.useFixture(PrivsepInProcess())
        self.addCleanup(remove_containers, self.engine, self.host)
        self.addCleanup(lambda: remove_images(
            self.engine, [i for i in image_service.images if i != IMAGE_ID]))
        self.bridge = 'nvdbr%d' % (os.getpid() % 100000)
        self.addCleanup(delete_bridge, self.bridge)
        # The driver's event watcher starts in init_host.
        self.addCleanup(lambda: self.connection.cleanup_host(self.host))
        self.docker_image = image_service.create(
            ctxt, docker_image_meta(id=IMAGE_ID),
            data=io.BytesIO(busybox_tarball()))


def link_exists(name):
    return os.path.exists(os.path.join('/sys/class/net', name))


def delete_bridge(name):
    if link_exists(name):
        subprocess.run(['ip', 'link', 'del', name], check=False,
                       capture_output=True)
