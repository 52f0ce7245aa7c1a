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

"""The host's Docker engine: a busybox image made offline, clean-up.

No registry is reachable where the tests run, so the image is imported from
the host's static busybox binary (Debian's busybox-static). The engine
itself is the pytest fixture `host_docker` (import it into a test module).
"""

import io
import os
import tarfile
import uuid

import pytest

from tests.harness import services

# The tag changes with the applet list, so a stale image is never reused.
IMAGE = 'heat-plugins-test/busybox:2'
BUSYBOX = '/bin/busybox'
APPLETS = ('sh', 'sleep', 'echo', 'cat', 'true', 'false', 'httpd', 'ls',
           'hostname', 'wget', 'ip', 'mkdir')


def unique_prefix(kind='hpt'):
    return '%s-%s' % (kind, uuid.uuid4().hex[:6])


def _rootfs_tar():
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode='w') as tar:
        for name in ('bin', 'tmp', 'etc'):
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if name == 'tmp' else 0o755
            tar.addfile(info)
        tar.add(BUSYBOX, arcname='bin/busybox')
        for applet in APPLETS:
            link = tarfile.TarInfo('bin/' + applet)
            link.type = tarfile.SYMTYPE
            link.linkname = 'busybox'
            tar.addfile(link)
    return data.getvalue()


def ensure_image(client, image=IMAGE):
    """Import the busybox image unless the engine already has it."""
    api = getattr(client, 'api', client)
    if api.images(name=image):
        return image
    if not os.path.exists(BUSYBOX):
        raise RuntimeError('%s is needed to build the test image '
                           '(apt-get install busybox-static)' % BUSYBOX)
    repository, _, tag = image.rpartition(':')
    api.import_image_from_data(_rootfs_tar(), repository=repository, tag=tag)
    return image


def cleanup(client, prefix):
    """Remove containers, networks and volumes whose name has the prefix."""
    api = getattr(client, 'api', client)
    for c in api.containers(all=True):
        if any(n.lstrip('/').startswith(prefix) for n in c['Names']):
            api.remove_container(c['Id'], v=True, force=True)
    for n in api.networks():
        if n['Name'].startswith(prefix):
            api.remove_network(n['Id'])
    for v in api.volumes().get('Volumes') or []:
        if v['Name'].startswith(prefix):
            api.remove_volume(v['Name'], force=True)


def names(client, prefix):
    """Names of the prefix's containers, networks and volumes left."""
    api = getattr(client, 'api', client)
    found = [n.lstrip('/') for c in api.containers(all=True)
             for n in c['Names'] if n.lstrip('/').startswith(prefix)]
    found += [n['Name'] for n in api.networks()
              if n['Name'].startswith(prefix)]
    found += [v['Name'] for v in api.volumes().get('Volumes') or []
              if v['Name'].startswith(prefix)]
    return sorted(found)


@pytest.fixture(scope='module')
def host_docker():
    """A docker SDK client of the host's engine."""
    client = services.require_docker()
    yield client
    client.close()
