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

"""The node bootstrap fragments: shellcheck-clean, ASCII, all in use."""

import glob
import os

import pytest

from magnum_lite.drivers.k8s_heat import params as k8s
from magnum_lite.drivers.swarm_heat import params as swarm
from tests.harness import services

DRIVERS = os.path.dirname(os.path.dirname(os.path.abspath(k8s.__file__)))
PACKAGES = ('heat', 'k8s_heat', 'swarm_heat')
FRAGMENTS = sorted(
    path for package in PACKAGES for path in glob.glob(
        os.path.join(DRIVERS, package, 'templates', 'fragments', '*.sh')))


def test_there_are_fragments():
    for package in PACKAGES:
        assert [p for p in FRAGMENTS if '/%s/' % package in p], package


@pytest.mark.parametrize('path', FRAGMENTS,
                         ids=[os.path.relpath(p, DRIVERS) for p in FRAGMENTS])
def test_shellcheck(path):
    shellcheck = services.require_command('shellcheck')
    result = services.run([shellcheck, '--shell=bash', '--severity=style',
                           path], check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize('path', FRAGMENTS,
                         ids=[os.path.relpath(p, DRIVERS) for p in FRAGMENTS])
def test_fragment_form(path):
    with open(path, 'rb') as f:
        data = f.read()
    # node.yaml percent-encodes the script for Ignition byte by byte.
    data.decode('ascii')
    text = data.decode()
    assert text.startswith('#!/bin/bash\n# Licensed under the Apache')
    assert '\nset -euo pipefail\n' in text


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_every_fragment_is_used(driver):
    root = os.path.dirname(driver.TEMPLATE_PATH)
    used = {os.path.normpath(os.path.join(root, name))
            for name in driver.template_files()}
    own = set(glob.glob(os.path.join(root, 'fragments', '*.sh')))
    assert own <= used, own - used


LIB = os.path.join(DRIVERS, 'heat', 'templates', 'fragments', 'lib.sh')
FAKE_CURL = '''#!/bin/bash
# Records what would be sent to Heat's wait condition.
while [ $# -gt 0 ]; do
    case "$1" in
        --data-binary) printf '%s' "$2" > "$RECORD"; shift ;;
    esac
    shift
done
'''


@pytest.mark.parametrize('body, reason', [
    ('step "joining the cluster"; false',
     'worker demo-node-1: joining the cluster failed (exit 1): false'),
    # A failure inside a function reports too (errtrace).
    ('f() { step "mounting \\"the\\" volume"; ls /nonexistent; }; f',
     'worker demo-node-1: mounting "the" volume failed (exit 2): '
     'ls /nonexistent'),
    ('step waiting; fail "gave up"', 'worker demo-node-1: waiting: gave up'),
    # A tool's own last words name the problem better than its command.
    ('step "running kubeadm init"; logged bash -c "echo [init] starting;'
     ' echo; echo [ERROR NumCPU]: 1 CPU, 2 needed >&2; exit 3"',
     'worker demo-node-1: running kubeadm init failed (exit 3): '
     '[init] starting [ERROR NumCPU]: 1 CPU, 2 needed '),
    ('step "pulling"; retry 2 0 logged bash -c "echo try; exit 4"',
     'worker demo-node-1: pulling failed (exit 1): try '),
    ('signal SUCCESS "worker is ready"', 'worker is ready'),
])
def test_lib_signals_the_wait_condition(tmp_path, body, reason):
    """What a node tells Heat when its bootstrap fails, or succeeds."""
    import json
    (tmp_path / 'curl').write_text(FAKE_CURL)
    (tmp_path / 'curl').chmod(0o755)
    record = tmp_path / 'body.json'
    # `logged` keeps its output under /var/log; the test writes elsewhere.
    lib = tmp_path / 'lib.sh'
    with open(LIB) as f:
        lib.write_text(f.read().replace('/var/log/', str(tmp_path) + '/'))
    env = {'PATH': '%s:/usr/bin:/bin' % tmp_path, 'RECORD': str(record),
           'NODE_NAME': 'demo-node-1', 'NODE_ROLE': 'worker',
           'WAIT_ENDPOINT': 'https://heat.example/signal',
           'WAIT_TOKEN': 'token'}
    result = services.run(['bash', '-c', 'source %s; %s' % (lib, body)],
                          env=env, check=False)
    signalled = json.loads(record.read_text())
    assert signalled['reason'] == reason, result.stderr
    assert signalled['id'] == 'demo-node-1'
    if signalled['status'] == 'FAILURE':
        assert result.returncode != 0
    else:
        assert signalled['status'] == 'SUCCESS' and result.returncode == 0
