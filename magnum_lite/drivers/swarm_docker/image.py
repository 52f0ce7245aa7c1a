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

"""The swarm_docker node image, built offline from the host's engine.

No registry is needed: the image is a root filesystem made of the host's
own dockerd, containerd, runc and docker CLI binaries, the shared libraries
they load, iptables and busybox, plus the node bootstrap script, imported
with ``docker import``. Its tag is a digest of the build recipe and of the
host binaries, so an upgraded engine or a changed recipe gives a new image
and an unchanged host reuses the one already built.
"""

import contextlib
import fcntl
import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import threading

from oslo_log import log as logging

from magnum_lite.common import exception

LOG = logging.getLogger(__name__)

# Bump when what goes into the image changes in a way the binaries'
# digest does not show.
RECIPE_VERSION = '1'

REPOSITORY = 'magnum-lite/swarm-node'
RECIPE_LABEL = 'org.openstack.magnum-lite.swarm-node'

NODE_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           'node', 'swarm-node.sh')
SCRIPT_PATH = '/usr/local/bin/swarm-node'
INIT_PATH = '/usr/bin/docker-init'

_SEARCH_PATH = '/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin'

# Path in the image -> names to look for on the host, first found wins.
REQUIRED = {
    '/usr/sbin/dockerd': ('dockerd',),
    '/usr/bin/docker': ('docker',),
    '/usr/bin/containerd': ('containerd',),
    '/usr/bin/containerd-shim-runc-v2': ('containerd-shim-runc-v2',),
    '/usr/sbin/runc': ('runc',),
    INIT_PATH: ('tini-static', 'docker-init'),
    '/bin/busybox': ('busybox',),
}
OPTIONAL = {
    # dockerd proxies published ports through it.
    '/usr/sbin/docker-proxy': ('docker-proxy',),
    '/usr/sbin/xtables-nft-multi': ('xtables-nft-multi',),
    '/usr/sbin/xtables-legacy-multi': ('xtables-legacy-multi',),
}

IMPORT_CHANGES = [
    'ENTRYPOINT ["%s", "--", "%s"]' % (INIT_PATH, SCRIPT_PATH),
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'EXPOSE 2376 2377 7946 4789',
]

ETC_FILES = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n'
                  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    # dockerd looks the group "docker" up for its socket.
    'etc/group': 'root:x:0:\ndocker:x:999:\nnogroup:x:65534:\n',
    'etc/nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files dns\n',
    'etc/hosts': '',
    'etc/resolv.conf': '',
    'usr/lib/os-release': 'NAME="magnum-lite swarm node"\nID=swarm-node\n',
}

_LDD_LINE = re.compile(r'(?:=>\s*)?(/\S+)\s+\(0x')

_thread_lock = threading.Lock()


class NodeImageError(exception.MagnumLiteException):
    message = 'Cannot build the swarm node image: %(reason)s'


def _which(names):
    for name in names:
        found = shutil.which(name, path=_SEARCH_PATH)
        if found:
            return os.path.realpath(found)
    return None


def host_binaries():
    """{path in image: host file}; a clear error when one is missing."""
    found = {}
    missing = []
    for target, names in REQUIRED.items():
        path = _which(names)
        if path is None:
            missing.append('/'.join(names))
        found[target] = path
    if missing:
        raise NodeImageError(reason=(
            'the host lacks %s (install Docker\'s engine packages, e.g. '
            'Debian\'s docker.io and busybox-static)' % ', '.join(missing)))
    for target, names in OPTIONAL.items():
        path = _which(names)
        if path:
            found[target] = path
    return found


def image_version(binaries, script=NODE_SCRIPT):
    """A digest of the recipe, the node script and the host binaries.

    Path, size and modification time stand for a binary's version: a
    package upgrade changes them, and reading 200 MB on every cluster
    create would not pay.
    """
    digest = hashlib.sha256(RECIPE_VERSION.encode())
    with open(script, 'rb') as source:
        digest.update(source.read())
    for target in sorted(binaries):
        stat = os.stat(binaries[target])
        digest.update(('%s=%s:%d:%d\n' % (
            target, binaries[target], stat.st_size,
            stat.st_mtime_ns)).encode())
    return digest.hexdigest()[:16]


def image_name(binaries=None):
    return '%s:%s' % (REPOSITORY, image_version(binaries or host_binaries()))


def usr_merged(path):
    """/lib/x/libc.so.6 -> usr/lib/x/libc.so.6 (the image is usr-merged)."""
    for top in ('/lib/', '/lib64/', '/bin/', '/sbin/'):
        if path.startswith(top):
            return 'usr' + path
    return path.lstrip('/')


def parse_ldd(output):
    """Absolute library paths in ldd's output (the vdso has none)."""
    return [m.group(1) for m in map(_LDD_LINE.search, output.splitlines())
            if m]


def _libraries(files):
    libraries = set()
    for path in files:
        result = subprocess.run(['ldd', path], capture_output=True,
                                text=True, check=False)
        # Static binaries (busybox, tini-static) make ldd fail: no libs.
        if result.returncode == 0:
            libraries.update(parse_ldd(result.stdout))
    return sorted(libraries)


def _xtables_dirs():
    dirs = []
    for base in ('/usr/lib', '/lib'):
        with contextlib.suppress(OSError):
            for entry in sorted(os.listdir(base)):
                candidate = os.path.join(base, entry, 'xtables')
                if os.path.isdir(candidate):
                    dirs.append(os.path.realpath(candidate))
    return sorted(set(dirs))


class _RootFS:
    """A root filesystem written straight into a tar stream."""

    def __init__(self, tar):
        self.tar = tar
        self.names = set()

    def _parents(self, name):
        parts = name.split('/')[:-1]
        for i in range(1, len(parts) + 1):
            self.directory('/'.join(parts[:i]))

    def directory(self, name, mode=0o755):
        if name in self.names:
            return
        self.names.add(name)
        self._parents(name)
        info = tarfile.TarInfo(name)
        info.type = tarfile.DIRTYPE
        info.mode = mode
        self.tar.addfile(info)

    def file(self, name, source, mode=None):
        if name in self.names:
            return
        self._parents(name)
        self.names.add(name)
        info = self.tar.gettarinfo(source, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = 'root'
        if mode is not None:
            info.mode = mode
        with open(source, 'rb') as data:
            self.tar.addfile(info, data)

    def text(self, name, content, mode=0o644):
        if name in self.names:
            return
        self._parents(name)
        self.names.add(name)
        data = content.encode()
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = mode
        self.tar.addfile(info, io.BytesIO(data))

    def symlink(self, name, target):
        if name in self.names:
            return
        self._parents(name)
        self.names.add(name)
        info = tarfile.TarInfo(name)
        info.type = tarfile.SYMTYPE
        info.linkname = target
        self.tar.addfile(info)


def write_rootfs(tar, binaries, script=NODE_SCRIPT):
    """Everything the node needs, from the host, into `tar`."""
    root = _RootFS(tar)
    for name in ('usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'etc',
                 'run', 'proc', 'sys', 'dev', 'root', 'var/lib/docker'):
        root.directory(name)
    root.directory('tmp', mode=0o1777)
    for link, target in (('lib', 'usr/lib'), ('lib64', 'usr/lib64'),
                         ('bin', 'usr/bin'), ('sbin', 'usr/sbin'),
                         ('var/run', '../run')):
        root.symlink(link, target)
    for target, source in sorted(binaries.items()):
        root.file(usr_merged(target), source, mode=0o755)
    xtables = _xtables_dirs()
    plugins = [os.path.join(d, f) for d in xtables for f in os.listdir(d)
               if f.endswith('.so')]
    for directory in xtables:
        for entry in sorted(os.listdir(directory)):
            root.file(usr_merged(os.path.join(directory, entry)),
                      os.path.join(directory, entry))
    nss = [p for p in ('/usr/lib/x86_64-linux-gnu/libnss_files.so.2',
                       '/lib/x86_64-linux-gnu/libnss_files.so.2')
           if os.path.exists(p)]
    for library in _libraries(list(binaries.values()) + plugins) + nss[:1]:
        # Stored under the name the loader asks for, with the real content.
        root.file(usr_merged(library), os.path.realpath(library))
    _iptables_links(root, binaries)
    _busybox_links(root, binaries['/bin/busybox'])
    for name, content in ETC_FILES.items():
        root.text(name, content)
    root.symlink('etc/os-release', '../usr/lib/os-release')
    root.file(SCRIPT_PATH.lstrip('/'), script, mode=0o755)


def _iptables_links(root, binaries):
    backends = [b for b in ('nft', 'legacy')
                if '/usr/sbin/xtables-%s-multi' % b in binaries]
    for tool in ('iptables', 'ip6tables'):
        for suffix in ('', '-save', '-restore'):
            for backend in backends:
                root.symlink('usr/sbin/%s-%s%s' % (tool, backend, suffix),
                             'xtables-%s-multi' % backend)
            if backends:
                # nft first, as Debian 12's alternatives choose.
                root.symlink('usr/sbin/%s%s' % (tool, suffix),
                             '%s-%s%s' % (tool, backends[0], suffix))


def _busybox_links(root, busybox):
    applets = subprocess.run([busybox, '--list-full'], capture_output=True,
                             text=True, check=True).stdout.split()
    for applet in applets:
        root.symlink(usr_merged('/' + applet), '/bin/busybox')


@contextlib.contextmanager
def _build_lock(lock_dir):
    os.makedirs(lock_dir, exist_ok=True)
    path = os.path.join(lock_dir, 'magnum-lite-swarm-node-image.lock')
    with _thread_lock, open(path, 'a') as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _exists(client, name):
    import docker
    try:
        client.inspect_image(name)
        return True
    except docker.errors.ImageNotFound:
        return False


def ensure_image(client, lock_dir=None):
    """The node image's name, built first when this host has none yet.

    `client` is a low-level docker APIClient of the engine that runs the
    nodes. Safe to call from several threads and processes at once: one
    builds, the others wait for it and reuse its image.
    """
    binaries = host_binaries()
    version = image_version(binaries)
    name = '%s:%s' % (REPOSITORY, version)
    if _exists(client, name):
        return name
    with _build_lock(lock_dir or tempfile.gettempdir()):
        if _exists(client, name):
            return name
        LOG.info('Building the swarm node image %s from the host binaries',
                 name)
        with tempfile.TemporaryDirectory(prefix='swarm-node-') as work:
            archive = os.path.join(work, 'rootfs.tar')
            with tarfile.open(archive, 'w', format=tarfile.GNU_FORMAT) as tar:
                write_rootfs(tar, binaries)
            changes = IMPORT_CHANGES + ['LABEL %s=%s' % (RECIPE_LABEL,
                                                         version)]
            client.import_image_from_file(archive, repository=REPOSITORY,
                                          tag=version, changes=changes)
        if not _exists(client, name):
            raise NodeImageError(reason='docker import did not produce %s'
                                 % name)
        LOG.info('Swarm node image %s is ready', name)
    return name
