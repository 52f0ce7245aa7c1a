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

"""The node's upgrade agent (k8s_heat upgrade-agent.sh), run for real.

The script runs unchanged under bash with its real curl and jq against a
local HTTP server that plays the Nova metadata service, the binaries
mirror, Keystone and Heat's resource signal; kubeadm, kubectl and
systemctl are stand-ins that record how they were called.
"""

import http.server
import json
import os
import threading

import pytest

from magnum_lite.drivers.k8s_heat import params as k8s
from tests.harness import services

AGENT = os.path.join(os.path.dirname(k8s.TEMPLATE_PATH), 'fragments',
                     'upgrade-agent.sh')
# kubeadm and kubectl as the mirror serves them: they record their
# arguments; kubectl tells the cluster's kubeadm version, kubeadm fails
# on request.
KUBE_TOOL = '''#!/bin/bash
echo "$(basename "$0") $*" >> "$CALLS"
case "$(basename "$0") $1" in
    "kubectl --kubeconfig")
        printf 'apiServer: {}\\nkubernetesVersion: %s\\n' "$CLUSTER_VERSION" ;;
    "kubeadm upgrade")
        if [ -n "${KUBEADM_FAILS:-}" ]; then
            echo "[upgrade/config] FATAL: ${KUBEADM_FAILS}" >&2
            exit 1
        fi ;;
esac
'''
SYSTEMCTL = '#!/bin/bash\necho "systemctl $*" >> "$CALLS"\n'


class Cloud(http.server.BaseHTTPRequestHandler):
    """Metadata service, mirror, Keystone and Heat in one server."""

    meta = {}
    signals = []
    tokens = []

    def log_message(self, *args):
        pass

    def _answer(self, code, body=b'', headers=()):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == '/openstack/latest/meta_data.json':
            self._answer(200, json.dumps({'uuid': 'x', 'meta': self.meta})
                         .encode())
        elif self.path.startswith('/release/'):
            self._answer(200, KUBE_TOOL.encode())
        else:
            self._answer(404)

    def do_POST(self):
        body = json.loads(self.rfile.read(
            int(self.headers['Content-Length'])))
        if self.path == '/v3/auth/tokens':
            user = body['auth']['identity']['password']['user']
            assert user == {'id': 'stack-user', 'password': 'p!@#%^&*'}
            assert body['auth']['scope'] == {
                'project': {'id': 'stack-project'}}
            self._answer(201, b'{}', [('X-Subject-Token', 'token-1')])
        elif self.path == '/v1/demo/stacks/node/1/resources/'\
                          'upgrade_handle/signal':
            self.tokens.append(self.headers['X-Auth-Token'])
            self.signals.append(body)
            self._answer(200)
        else:
            self._answer(404)


@pytest.fixture
def cloud():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Cloud)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Cloud.meta, Cloud.signals, Cloud.tokens = {}, [], []
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()


@pytest.fixture
def node(tmp_path, cloud):
    """Run the agent as node `role` booted at v1.31.1; returns a runner."""
    for command in ('bash', 'curl', 'jq'):
        services.require_command(command)
    config, state, bin_dir, tools = (tmp_path / name for name in (
        'etc', 'state', 'bin', 'tools'))
    for folder in (config, state, bin_dir, tools):
        folder.mkdir()
    for name, text in (('kubectl', KUBE_TOOL), ('kubeadm', KUBE_TOOL)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    (tools / 'systemctl').write_text(SYSTEMCTL)
    (tools / 'systemctl').chmod(0o755)
    calls = tmp_path / 'calls'
    calls.write_text('')
    signal = json.dumps({
        'auth_url': cloud + '/v3/', 'user_id': 'stack-user',
        'password': 'p!@#%^&*', 'project_id': 'stack-project',
        'alarm_url': cloud + '/v1/demo/stacks/node/1/resources/'
                             'upgrade_handle/signal'})

    def run(role='worker', cluster_version='v1.31.1', fails=''):
        (config / 'node.env').write_text(
            "NODE_NAME='demo-%s-0'\nNODE_ROLE='%s'\nUPGRADE_SIGNAL='%s'\n"
            % (role, role, signal))
        (config / 'cluster.env').write_text(
            "KUBE_TAG='v1.31.1'\nKUBE_BINARIES_URL='%s/release'\n" % cloud)
        calls.write_text('')
        env = {
            'PATH': '%s:/usr/bin:/bin' % tools, 'CALLS': str(calls),
            'CLUSTER_VERSION': cluster_version, 'KUBEADM_FAILS': fails,
            'MAGNUM_LITE_CONFIG_DIR': str(config),
            'MAGNUM_LITE_STATE_DIR': str(state),
            'MAGNUM_LITE_BIN_DIR': str(bin_dir),
            'MAGNUM_LITE_METADATA_URL':
                cloud + '/openstack/latest/meta_data.json',
            'MAGNUM_LITE_UPGRADE_LOG': str(tmp_path / 'upgrade.log'),
            'MAGNUM_LITE_ADMIN_CONF': str(tmp_path / 'admin.conf')}
        result = services.run(['bash', AGENT], env=env, check=False)
        return result, calls.read_text().splitlines()

    run.state = state
    return run


def _wants(*history):
    Cloud.meta.update(magnum_lite_version=history[-1],
                      magnum_lite_versions=','.join(history))


def _signalled():
    found = [(s['status'], s['id']) for s in Cloud.signals]
    del Cloud.signals[:]
    return found


def test_a_new_node_signals_every_version_it_runs_once(node):
    _wants('v1.31.1')
    result, calls = node()
    assert result.returncode == 0, result.stderr
    assert _signalled() == [('SUCCESS', 'v1.31.1')]
    assert Cloud.tokens == ['token-1']
    assert calls == []  # nothing to upgrade
    result, _calls = node()
    assert _signalled() == []
    # A node made after upgrades satisfies the whole history at once.
    (node.state / 'kube_tag').write_text('v1.32.4\n')
    _wants('v1.31.1', 'v1.32.0', 'v1.32.4')
    result, calls = node()
    assert _signalled() == [('SUCCESS', 'v1.32.0'), ('SUCCESS', 'v1.32.4')]
    assert calls == []


def test_a_worker_upgrades_with_kubeadm_upgrade_node(node):
    _wants('v1.31.1')
    node()
    _signalled()
    _wants('v1.31.1', 'v1.32.0')
    result, calls = node(cluster_version='v1.32.0')
    assert result.returncode == 0, result.stderr
    assert calls == ['kubeadm upgrade node', 'systemctl daemon-reload',
                     'systemctl restart kubelet']
    assert (node.state / 'kube_tag').read_text() == 'v1.32.0\n'
    assert _signalled() == [('SUCCESS', 'v1.32.0')]


@pytest.mark.parametrize('cluster_version, command', [
    # The first master finds the cluster's configuration older...
    ('v1.31.1', 'kubeadm upgrade apply -y v1.32.0'),
    # ...the next ones find it upgraded already.
    ('v1.32.0', 'kubeadm upgrade node'),
])
def test_the_first_master_applies_the_others_follow(node, cluster_version,
                                                    command):
    _wants('v1.31.1', 'v1.32.0')
    result, calls = node('master', cluster_version=cluster_version)
    assert result.returncode == 0, result.stderr
    assert [c for c in calls if c.startswith('kubeadm')] == [command]
    assert 'systemctl restart kubelet' in calls
    assert _signalled() == [('SUCCESS', 'v1.31.1'), ('SUCCESS', 'v1.32.0')]


def test_a_failed_upgrade_signals_failure_with_the_tools_words(node):
    _wants('v1.31.1', 'v1.32.0')
    result, calls = node(fails='the cluster is not healthy')
    assert result.returncode != 0
    (signal,) = Cloud.signals
    assert (signal['status'], signal['id']) == ('FAILURE', 'v1.32.0')
    assert signal['reason'].startswith(
        'worker demo-worker-0: upgrade to v1.32.0 failed: ')
    assert 'FATAL: the cluster is not healthy' in signal['reason']
    # The kubelet was left alone, and the version recorded is the old one.
    assert 'systemctl restart kubelet' not in calls
    assert not (node.state / 'kube_tag').exists()
    # The next run does not try again at once.
    del Cloud.signals[:]
    result, calls = node()
    assert result.returncode == 0 and calls == [] and Cloud.signals == []
