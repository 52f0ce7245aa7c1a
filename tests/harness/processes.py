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

"""Running magnum-lite's console scripts as child processes in tests."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.harness import entrypoints

BIN = os.path.dirname(sys.executable)
# Where a magnum-lite service installed on this host keeps its
# configuration, which every console script reads when no --config-file
# is given. A test's child never sees it (see command_line).
HOST_CONFIG_DIR = '/etc/magnum_lite'


def command_line(command, bin_dir=BIN):
    """The argv of a console script (of this environment), for a test.

    When this host has a magnum-lite configuration in HOST_CONFIG_DIR
    (e.g. the one-machine cloud's), the child runs in a mount namespace
    of its own where that folder is empty: what a test means by "no
    configuration file" holds on any machine.
    """
    argv = [os.path.join(bin_dir, command[0])] + list(command[1:])
    if not os.path.isdir(HOST_CONFIG_DIR):
        return argv
    return ['unshare', '--mount', '--', 'sh', '-c',
            'mount -t tmpfs -o size=1m none %s && exec "$@"'
            % HOST_CONFIG_DIR, 'sh'] + argv


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def environment(home, driver_path=None):
    """A child environment: HOME (so the state dir) under the test's dir."""
    env = dict(os.environ, HOME=str(home))
    # A user's login shell always sets SHELL and `coe cluster config` reads
    # it; CI runners may not.
    env.setdefault('SHELL', '/bin/bash')
    if driver_path:
        env = entrypoints.subprocess_env(driver_path, env)
    else:
        env['PYTHONPATH'] = os.pathsep.join(
            p for p in (entrypoints.REPO_ROOT, env.get('PYTHONPATH')) if p)
    return env


def write_config(path, sections):
    """An INI file from {section: {option: value}}."""
    with open(path, 'w') as config:
        for section, options in sections.items():
            config.write('[%s]\n' % section)
            for option, value in options.items():
                config.write('%s = %s\n' % (option, value))
    return str(path)


def run(command, env, timeout=120):
    return subprocess.run(command_line(command), env=env,
                          capture_output=True, text=True, timeout=timeout)


class Service:
    """A long-running console script, stopped with SIGTERM."""

    def __init__(self, command, env, log_path):
        self.log_path = str(log_path)
        self._log = open(self.log_path, 'w')
        self.process = subprocess.Popen(
            command_line(command), env=env,
            stdout=self._log, stderr=subprocess.STDOUT)

    def log(self):
        with open(self.log_path) as log:
            return log.read()

    def stop(self, timeout=60):
        """SIGTERM; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self._kill()

    def _kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._kill()


def wait_for(predicate, timeout=60, interval=0.2, what='condition'):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the service may not be up yet
            last_error = exc
        time.sleep(interval)
    raise AssertionError('%s not met in %ss (last error: %r)'
                         % (what, timeout, last_error))


def http(method, url, body=None, headers=None):
    """(status, parsed JSON or text) of one request."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header('Content-Type', 'application/json')
    request.add_header('OpenStack-API-Version', 'container-infra latest')
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors='replace')
