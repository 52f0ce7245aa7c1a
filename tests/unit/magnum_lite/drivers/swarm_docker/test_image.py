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

"""The node image recipe: its version, its root filesystem, its script."""

import os
import subprocess
import tarfile

import pytest

from magnum_lite.drivers.swarm_docker import image
from tests.harness import services

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd5a5f2000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0e1c000000)
\tlibsystemd.so.0 => /usr/lib/x86_64-linux-gnu/libsystemd.so.0 (0x1)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f0e1c400000)
"""


def test_parse_ldd():
    assert image.parse_ldd(LDD) == [
        '/lib/x86_64-linux-gnu/libc.so.6',
        '/usr/lib/x86_64-linux-gnu/libsystemd.so.0',
        '/lib64/ld-linux-x86-64.so.2']
    assert image.parse_ldd('\tnot a dynamic executable\n') == []


@pytest.mark.parametrize('path, expected', [
    ('/lib/x86_64-linux-gnu/libc.so.6', 'usr/lib/x86_64-linux-gnu/libc.so.6'),
    ('/lib64/ld-linux-x86-64.so.2', 'usr/lib64/ld-linux-x86-64.so.2'),
    ('/bin/busybox', 'usr/bin/busybox'),
    ('/sbin/ip', 'usr/sbin/ip'),
    ('/usr/sbin/dockerd', 'usr/sbin/dockerd'),
    ('/etc/passwd', 'etc/passwd'),
])
def test_usr_merged(path, expected):
    assert image.usr_merged(path) == expected


def _fake_binaries(tmp_path):
    binaries = {}
    for target in list(image.REQUIRED) + list(image.OPTIONAL):
        path = tmp_path / os.path.basename(target)
        path.write_text('#!/bin/sh\n')
        binaries[target] = str(path)
    return binaries


def test_the_version_follows_recipe_script_and_binaries(tmp_path,
                                                        monkeypatch):
    binaries = _fake_binaries(tmp_path)
    script = tmp_path / 'node.sh'
    script.write_text('#!/bin/sh\n')
    first = image.image_version(binaries, str(script))
    assert first == image.image_version(dict(binaries), str(script))
    script.write_text('#!/bin/sh\necho changed\n')
    second = image.image_version(binaries, str(script))
    assert second != first
    # an upgraded engine binary
    with open(binaries['/usr/sbin/dockerd'], 'a') as dockerd:
        dockerd.write('# 20.10.25\n')
    third = image.image_version(binaries, str(script))
    assert third != second
    monkeypatch.setattr(image, 'RECIPE_VERSION', 'next')
    assert image.image_version(binaries, str(script)) != third


def test_a_host_without_dockerd_gets_a_clear_error(monkeypatch):
    monkeypatch.setattr(image, '_which',
                        lambda names: None if 'dockerd' in names
                        else '/usr/bin/' + names[0])
    with pytest.raises(image.NodeImageError) as info:
        image.host_binaries()
    assert 'dockerd' in str(info.value)
    assert 'docker.io' in str(info.value)


def test_the_root_filesystem(tmp_path):
    if not os.path.exists('/bin/busybox'):
        services.missing('busybox-static', '/bin/busybox does not exist')
    binaries = _fake_binaries(tmp_path)
    binaries['/bin/busybox'] = '/bin/busybox'
    archive = tmp_path / 'rootfs.tar'
    with tarfile.open(archive, 'w') as tar:
        image.write_rootfs(tar, binaries)
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
    script = members['usr/local/bin/swarm-node']
    assert script.mode & 0o111
    assert members['usr/sbin/dockerd'].isfile()
    assert members['bin'].issym() and members['bin'].linkname == 'usr/bin'
    assert members['usr/bin/sh'].linkname == '/bin/busybox'
    assert members['usr/sbin/iptables'].linkname == 'iptables-nft'
    assert members['tmp'].mode == 0o1777
    assert 'docker:x:999:' in tar_text(archive, 'etc/group')
    # one entry per path: the engine refuses nothing, but a duplicate
    # would silently win over the first
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert len(names) == len(set(names))


def tar_text(archive, name):
    with tarfile.open(archive) as tar:
        return tar.extractfile(name).read().decode()


def test_the_node_script_passes_shellcheck():
    services.require_command('shellcheck')
    result = subprocess.run(['shellcheck', image.NODE_SCRIPT],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
