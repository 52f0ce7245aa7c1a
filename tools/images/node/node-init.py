#!/usr/bin/python3
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

"""PID 1 of the node image: the part of cloud-init a container needs.

Reads the config-drive documents the Docker compute driver mounts into the
instance (``openstack/latest/meta_data.json``, ``user_data``), sets the
hostname, applies user data once per instance, starts dockerd and then
stays up: it reaps orphans, restarts dockerd on SIGHUP (the image's
``systemctl restart docker``) and stops everything on SIGTERM.

User data forms: a ``#!`` script, ``#cloud-config`` (hostname, fqdn,
bootcmd, write_files, runcmd), a gzip of either, and MIME multipart
(Heat's MultipartMime) of those. Other forms and keys are logged and
skipped.
"""

import base64
import email
import grp
import gzip
import json
import os
import pwd
import signal
import socket
import sys
import time

SEED = os.environ.get('NODE_INIT_SEED', '/var/lib/openstack/openstack/latest')
STATE = os.environ.get('NODE_INIT_STATE', '/var/lib/node-init')
DOCKER_SOCKET = '/var/run/docker.sock'
PID_FILE = '/run/node-init.pid'
DOCKERD_WAIT = 60
STOP_WAIT = 20
PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
CLOUD_CONFIG_KEYS = ('hostname', 'fqdn', 'preserve_hostname', 'bootcmd',
                     'write_files', 'runcmd')


class Stopping(Exception):
    """SIGTERM or SIGINT arrived: stop the node."""


def log(message, *args):
    print('node-init: ' + (message % args if args else message),
          file=sys.stderr, flush=True)


class Processes(object):
    """Children started here, and every orphan the kernel hands PID 1."""

    def __init__(self):
        self.exited = {}
        self.dockerd = None
        self.restart_dockerd = False

    def reap(self, block):
        """Collect exited children; with block, wait for at least one."""
        flags = 0 if block else os.WNOHANG
        while True:
            try:
                pid, status = os.waitpid(-1, flags)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exited[pid] = os.waitstatus_to_exitcode(status)
            if pid == self.dockerd:
                log('dockerd ended (exit %s)', self.exited[pid])
                self.dockerd = None
            flags = os.WNOHANG

    def spawn(self, argv, env=None):
        env = dict(os.environ, PATH=PATH, HOME='/root', **(env or {}))
        return os.posix_spawnp(argv[0], argv, env)

    def run(self, argv):
        """Run a command to its end; returns its exit code."""
        try:
            pid = self.spawn(argv)
        except OSError as exc:
            log('cannot run %s: %s', argv[0], exc)
            return 127
        # Polled, not a blocking wait: a script may be waiting for the
        # dockerd restart it asked for with SIGHUP (systemctl restart).
        while pid not in self.exited:
            if self.restart_dockerd:
                self.restart_dockerd = False
                restart_dockerd()
            self.reap(block=False)
            time.sleep(0.05)
        return self.exited.pop(pid)

    def stop(self, pid, timeout):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while pid not in self.exited and time.monotonic() < deadline:
            self.reap(block=False)
            time.sleep(0.1)
        if pid not in self.exited:
            os.kill(pid, signal.SIGKILL)
            while pid not in self.exited:
                self.reap(block=True)


# -- metadata ---------------------------------------------------------------

def read_seed():
    meta, user_data = {}, b''
    try:
        with open(os.path.join(SEED, 'meta_data.json')) as f:
            meta = json.load(f)
    except (OSError, ValueError) as exc:
        log('no instance metadata at %s (%s)', SEED, exc)
    try:
        with open(os.path.join(SEED, 'user_data'), 'rb') as f:
            user_data = f.read()
    except OSError:
        pass
    return meta, user_data


def set_hostname(name):
    if not name:
        return
    name = name.split('.')[0][:63]
    try:
        with open('/etc/hostname', 'w') as f:
            f.write(name + '\n')
    except OSError as exc:
        log('cannot write /etc/hostname: %s', exc)
    if socket.gethostname() == name:
        return
    try:
        socket.sethostname(name)
    except OSError as exc:
        # Docker already named the container after the instance; only
        # a cloud-config hostname different from it needs CAP_SYS_ADMIN.
        log('cannot set the hostname to %s: %s', name, exc)


# -- user data ----------------------------------------------------------------

def _part_kind(data, content_type='text/plain'):
    if content_type == 'text/x-shellscript' or data.startswith(b'#!'):
        return 'script'
    if content_type == 'text/cloud-config' or data.startswith(
            b'#cloud-config'):
        return 'cloud-config'
    return None


def split_user_data(data):
    """User data as a list of (kind, bytes), kind script or cloud-config."""
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    head = data.lstrip()[:200].lower()
    if head.startswith(b'content-type: multipart') or head.startswith(
            b'mime-version'):
        parts = []
        for part in email.message_from_bytes(data).walk():
            if part.is_multipart():
                continue
            payload = part.get_payload(decode=True) or b''
            if payload[:2] == b'\x1f\x8b':
                payload = gzip.decompress(payload)
            kind = _part_kind(payload, part.get_content_type())
            if kind is None:
                log('skipping a user data part of type %s',
                    part.get_content_type())
                continue
            parts.append((kind, payload))
        return parts
    kind = _part_kind(data)
    if kind is None:
        if data.strip():
            log('user data is neither a script, #cloud-config nor '
                'multipart: ignored')
        return []
    return [(kind, data)]


def load_cloud_config(data):
    import yaml
    try:
        config = yaml.safe_load(data) or {}
    except yaml.YAMLError as exc:
        log('invalid #cloud-config: %s', exc)
        return {}
    if not isinstance(config, dict):
        log('#cloud-config is not a mapping: ignored')
        return {}
    for key in sorted(set(config) - set(CLOUD_CONFIG_KEYS)):
        log('cloud-config key %s is not supported by this image', key)
    return config


def _file_content(item):
    content = item.get('content', '')
    encoding = (item.get('encoding') or '').lower()
    if isinstance(content, str):
        content = content.encode()
    if encoding in ('b64', 'base64', 'gz+b64', 'gzip+base64',
                    'gz+base64', 'gzip+b64'):
        content = base64.b64decode(content)
    if encoding.startswith('gz'):
        content = gzip.decompress(content)
    return content


def write_file(item):
    path = item.get('path')
    if not path:
        log('write_files entry without a path: skipped')
        return
    os.makedirs(os.path.dirname(path) or '/', exist_ok=True)
    mode = 'ab' if item.get('append') else 'wb'
    with open(path, mode) as f:
        f.write(_file_content(item))
    permissions = item.get('permissions', '0644')
    os.chmod(path, int(str(permissions), 8))
    owner = item.get('owner', 'root:root')
    user, _, group = str(owner).partition(':')
    try:
        os.chown(path, pwd.getpwnam(user).pw_uid,
                 grp.getgrnam(group or user).gr_gid)
    except (KeyError, OSError) as exc:
        log('cannot give %s to %s: %s', path, owner, exc)
    log('wrote %s', path)


def write_files(configs, deferred):
    for config in configs:
        for item in config.get('write_files') or []:
            if bool(item.get('defer', False)) == deferred:
                try:
                    write_file(item)
                except (OSError, ValueError, TypeError) as exc:
                    log('write_files %s failed: %s', item.get('path'), exc)


def command_argv(command):
    if isinstance(command, (list, tuple)):
        return [str(arg) for arg in command]
    return ['/bin/sh', '-c', str(command)]


def run_commands(processes, label, commands):
    for command in commands or []:
        code = processes.run(command_argv(command))
        if code:
            log('%s %r failed (exit %s)', label, command, code)


def run_script(processes, index, data):
    directory = os.path.join(STATE, 'scripts')
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, 'part-%03d' % index)
    with open(path, 'wb') as f:
        f.write(data)
    os.chmod(path, 0o700)
    log('running user data script %s', path)
    code = processes.run([path])
    if code:
        log('user data script %s failed (exit %s)', path, code)
    return code


# -- dockerd ------------------------------------------------------------------

def prepare_for_dockerd():
    """Make /sys and the cgroup hierarchies writable, if allowed to.

    Docker mounts them read-only even with the nested engine grants; a
    bind remount changes the flag of this mount only.
    """
    with open('/proc/self/mounts') as f:
        mounts = [line.split() for line in f]
    for _dev, point, _type, options, *_rest in mounts:
        if not (point == '/sys' or point.startswith('/sys/fs/cgroup')):
            continue
        if options.split(',')[0] != 'ro':
            continue
        code = processes.run(['mount', '-o', 'remount,bind,rw', point])
        if code:
            log('%s stays read-only: the nested engine will not start '
                '(is this an instance of a nested-engine flavor?)', point)
            return False
    os.makedirs('/var/lib/docker', exist_ok=True)
    for stale in ('/var/run/docker.pid',
                  '/var/run/docker/containerd/containerd.pid'):
        try:
            os.unlink(stale)
        except FileNotFoundError:
            pass
    return True


def docker_answers():
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(2)
    try:
        sock.connect(DOCKER_SOCKET)
        sock.sendall(b'GET /_ping HTTP/1.0\r\n\r\n')
        return b' 200 ' in sock.recv(64)
    except OSError:
        return False
    finally:
        sock.close()


def start_dockerd():
    if processes.dockerd is not None:
        return
    if not prepare_for_dockerd():
        return
    log('starting dockerd')
    processes.dockerd = processes.spawn(['dockerd'])
    deadline = time.monotonic() + DOCKERD_WAIT
    while time.monotonic() < deadline and processes.dockerd is not None:
        if docker_answers():
            log('dockerd answers')
            return
        processes.reap(block=False)
        time.sleep(0.2)
    log('dockerd did not answer within %ss', DOCKERD_WAIT)


def restart_dockerd():
    if processes.dockerd is not None:
        log('restarting dockerd')
        processes.stop(processes.dockerd, STOP_WAIT)
    start_dockerd()


# -- main ---------------------------------------------------------------------

processes = Processes()


def _on_stop(signum, frame):
    raise Stopping()


def _on_hup(signum, frame):
    processes.restart_dockerd = True


def apply_user_data(meta, user_data):
    configs, scripts = [], []
    for kind, data in split_user_data(user_data):
        if kind == 'cloud-config':
            configs.append(load_cloud_config(data))
        else:
            scripts.append(data)
    for config in configs:
        if not config.get('preserve_hostname'):
            set_hostname(config.get('fqdn') or config.get('hostname'))
        run_commands(processes, 'bootcmd', config.get('bootcmd'))
    write_files(configs, deferred=False)
    start_dockerd()
    write_files(configs, deferred=True)
    for index, data in enumerate(scripts):
        run_script(processes, index, data)
    for config in configs:
        run_commands(processes, 'runcmd', config.get('runcmd'))


def boot():
    meta, user_data = read_seed()
    set_hostname(meta.get('hostname') or meta.get('name'))
    os.makedirs(STATE, exist_ok=True)
    done = os.path.join(STATE, 'done-%s' % meta.get('uuid', 'none'))
    if os.path.exists(done):
        # Like cloud-init's per-instance modules: a reboot does not run
        # the user data again.
        log('user data already applied to this instance')
        start_dockerd()
    else:
        apply_user_data(meta, user_data)
        open(done, 'w').close()
    log('boot finished')


def main():
    if os.getpid() != 1:
        # Under docker-init ([docker] init), which reaps orphans itself and
        # passes SIGTERM and SIGHUP on.
        log('running as PID %s under an init', os.getpid())
    signal.signal(signal.SIGTERM, _on_stop)
    signal.signal(signal.SIGINT, _on_stop)
    signal.signal(signal.SIGHUP, _on_hup)
    with open(PID_FILE, 'w') as f:
        f.write('%d\n' % os.getpid())
    try:
        boot()
        while True:
            if processes.restart_dockerd:
                processes.restart_dockerd = False
                restart_dockerd()
            processes.reap(block=False)
            time.sleep(0.5)
    except Stopping:
        log('stopping')
    for pid in ([processes.dockerd] if processes.dockerd else []):
        processes.stop(pid, STOP_WAIT)
    for pid in list_children():
        processes.stop(pid, 2)
    processes.reap(block=False)
    log('stopped')
    return 0


def list_children():
    me = str(os.getpid())
    children = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            children.append(int(entry))
    return children


if __name__ == '__main__':
    sys.exit(main())
