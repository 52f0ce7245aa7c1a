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

"""The README's quick start, run as it is written.

`tools/aio.sh` starts the all-in-one service (the README's first
command), then the walkthrough block is run by bash, unchanged, from a
folder that has the checkout's `.venv-cli`, as a user runs it from the
checkout. What the README's comments promise is checked in its output.
"""

import os
import re
import signal
import subprocess
import threading
import time

import pytest

from tests.harness import docker_engine
from tests.harness import processes

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
API = 'http://127.0.0.1:9511/v1'
WALKTHROUGH_TIMEOUT = 900

host_docker = docker_engine.host_docker


def walkthrough():
    """The README's second shell block: the user's walkthrough."""
    with open(os.path.join(REPO, 'README.md')) as readme:
        blocks = re.findall(r'^```\n(.*?)^```$', readme.read(),
                            re.MULTILINE | re.DOTALL)
    assert len(blocks) >= 2, 'the README lost its quick start'
    assert blocks[1].startswith('export OS_AUTH_TYPE=none'), blocks[1]
    return blocks[1]


@pytest.fixture
def aio(tmp_path):
    """tools/aio.sh in the background, its state under tmp_path."""
    status, _body = _get(API + '/')
    if status is not None:
        pytest.fail('Something already answers on %s: the quick start '
                    'needs that port' % API, pytrace=False)
    env = dict(os.environ, OS_DEFAULT__STATE_PATH=str(tmp_path / 'state'))
    log_path = tmp_path / 'aio.log'
    with open(log_path, 'w') as log:
        process = subprocess.Popen(
            ['bash', os.path.join(REPO, 'tools', 'aio.sh')], cwd=REPO,
            env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        # The first run installs the CLI environment: minutes, not seconds.
        processes.wait_for(lambda: _get(API + '/')[0] == 200, timeout=600,
                           interval=1, what='tools/aio.sh serving the API')
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(120)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with open(log_path) as log:
            print(log.read()[-5000:])


def _user_environment(home):
    """A user's shell environment, in which SHELL is always set.

    `coe cluster config` reads it, and a CI runner may not set it.
    """
    env = dict(os.environ, HOME=str(home))
    env.setdefault('SHELL', '/bin/bash')
    return env


def _get(url):
    try:
        return processes.http('GET', url)
    except OSError:
        return None, None


class ClusterWatch(threading.Thread):
    """Notes the UUID of every cluster the API lists while it runs.

    The walkthrough names its cluster; its Docker objects are labelled
    with the UUID, which only the API knows (and only until the delete).
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.uuids = {}
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.5):
            status, body = _get(API + '/clusters')
            if status == 200:
                for cluster in body['clusters']:
                    self.uuids[cluster['name']] = cluster['uuid']


def _left_behind(client, cluster_uuid):
    """Names of the Docker objects of a cluster that still exist."""
    found = []
    for name in ('org.openstack.magnum-lite.cluster', 'magnum_lite.cluster'):
        where = {'label': '%s=%s' % (name, cluster_uuid)}
        found += ['container ' + c.name
                  for c in client.containers.list(all=True, filters=where)]
        found += ['network ' + n.name
                  for n in client.networks.list(filters=where)]
        found += ['volume ' + v.name
                  for v in client.volumes.list(filters=where)]
    return found


def test_the_readme_walkthrough_runs_as_written(aio, tmp_path, host_docker):
    workdir = tmp_path / 'user'
    workdir.mkdir()
    # The walkthrough runs from the checkout; its only reference to the
    # checkout is "$PWD/.venv-cli".
    os.symlink(os.path.join(REPO, '.venv-cli'), workdir / '.venv-cli')
    watch = ClusterWatch()
    watch.start()
    started = time.monotonic()
    try:
        result = subprocess.run(
            ['bash', '-e', '-o', 'pipefail', '-c', walkthrough()],
            cwd=str(workdir), capture_output=True, text=True,
            timeout=WALKTHROUGH_TIMEOUT,
            env=_user_environment(tmp_path))
    finally:
        watch.done.set()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    print('walkthrough: %.0f s' % (time.monotonic() - started))
    # What the README's comments promise.
    assert re.search(r'^\s*Nodes: 3$', result.stdout, re.MULTILINE), output
    assert re.search(r'^\s*Nodes: 4$', result.stdout, re.MULTILINE), output
    assert re.search(r'^serving on port 8080$', result.stdout,
                     re.MULTILINE), output
    assert re.search(r'\| status\s+\| CREATE_COMPLETE', result.stdout), output
    # The users' CLI environment loads every command it has.
    assert 'Could not load' not in result.stderr, result.stderr
    assert sorted(os.listdir(workdir / 'demo-certs')) == [
        'ca.pem', 'cert.pem', 'key.pem']
    # The delete the walkthrough ends with leaves nothing behind.
    processes.wait_for(lambda: _get(API + '/clusters')[1] == {'clusters': []},
                       timeout=300, interval=1, what='the cluster deleted')
    demo = watch.uuids['demo']
    processes.wait_for(lambda: not _left_behind(host_docker, demo),
                       timeout=60, interval=1,
                       what="the demo cluster's Docker objects gone")
