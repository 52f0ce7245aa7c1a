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

"""One magnum-lite-aio process, its state dir and the `openstack` CLI."""

import json
import os
import signal
import time

from magnum_lite.drivers.swarm_docker import engine
from tests.harness import coe_cli
from tests.harness import processes

LABEL = engine.CLUSTER_LABEL


class Aio:
    """magnum-lite-aio on a port of its own, restartable on its state."""

    def __init__(self, directory):
        self.directory = directory
        self.state = directory / 'state'
        self.port = processes.free_port()
        self.endpoint = 'http://127.0.0.1:%d/v1' % self.port
        self.config = processes.write_config(directory / 'aio.conf', {
            'DEFAULT': {'state_path': self.state},
            'api': {'host': '127.0.0.1', 'port': self.port},
            # Quick status and health syncs: the test waits for both.
            'conductor': {'sync_interval': 1, 'health_interval': 2},
        })
        self.env = processes.environment(directory)
        self.service = None
        self.runs = 0
        cli_env = {k: v for k, v in os.environ.items()
                   if not k.startswith(('OS_', 'DOCKER_'))}
        # No clouds.yaml of the user's; `cluster config` reads SHELL.
        cli_env.update(HOME=str(directory), SHELL='/bin/bash')
        self.cli = coe_cli.Cli(cli_env, directory)

    def start(self):
        self.runs += 1
        self.service = processes.Service(
            ['magnum-lite-aio', '--config-file', self.config], self.env,
            self.directory / ('aio-%d.log' % self.runs))
        processes.wait_for(self._ready, timeout=120, interval=0.5,
                           what='magnum-lite-aio on port %d' % self.port)

    def _ready(self):
        assert self.service.process.poll() is None, (
            'magnum-lite-aio exited:\n%s' % self.service.log())
        status, body = processes.http('GET', self.endpoint + '/mservices')
        return status == 200 and any(s['state'] == 'up'
                                     for s in body['mservices'])

    def kill(self):
        """SIGKILL, as a crash: nothing of the process runs after it."""
        self.service.process.send_signal(signal.SIGKILL)
        self.service.process.wait(30)
        self.service.stop()

    def stop(self):
        return self.service.stop(timeout=60) if self.service else 0

    def close(self):
        self.cli.close()

    def logs(self):
        parts = []
        for path in sorted(self.directory.glob('aio-*.log')) + sorted(
                self.state.glob('heat/heat*.log')):
            with open(path, errors='replace') as log:
                parts.append('===== %s =====\n%s'
                             % (path, log.read()[-30000:]))
        return '\n'.join(parts)

    def http(self, method, path, body=None):
        return processes.http(method, self.endpoint + path, body)

    def coe(self, *args, returncode=0, timeout=120):
        """`openstack coe <args>`: stdout (returncode=None: the result)."""
        result = self.cli.run(['--os-auth-type', 'none',
                               '--os-endpoint', self.endpoint, 'coe'] +
                              [str(a) for a in args], timeout=timeout)
        if returncode is None:
            return result
        assert result.returncode == returncode, (
            '%s: rc=%d\nstdout:\n%s\nstderr:\n%s' % (
                ' '.join(map(str, args)), result.returncode, result.stdout,
                result.stderr))
        return result.stdout

    def show(self, kind, name):
        return json.loads(self.coe(kind, 'show', name, '-f', 'json'))

    def wait_cluster(self, name, status, timeout=240, fail_on_failed=True):
        """`cluster show` once it says `status` (None: until it is gone)."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.coe('cluster', 'show', name, '-f', 'json',
                              returncode=None)
            if result.returncode != 0:
                if status is None and 'could not be found' in (
                        result.stderr.lower()):
                    return None
                raise AssertionError(result.stderr)
            shown = json.loads(result.stdout)
            if shown['status'] == status:
                return shown
            if fail_on_failed:
                assert not shown['status'].endswith('_FAILED'), shown
            assert time.monotonic() < deadline, (
                '%s: %s, not %s' % (name, shown['status'], status))
            time.sleep(1)


def labelled(client, cluster_uuid):
    """Names of what the host engine holds labelled with the cluster."""
    return sorted(engine.leftovers(client.api, cluster_uuid))


def heat_runners(state_dir):
    """Pids of the Heat processes working on this state dir."""
    pids = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as cmdline:
                argv = cmdline.read().split(b'\0')
        except OSError:
            continue
        if (b'magnum_lite.aio.heat_runner' in argv and
                str(state_dir).encode() in b' '.join(argv)):
            pids.append(int(entry))
    return pids
