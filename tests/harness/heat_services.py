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

"""Heat's API and engine in a child process, configured like a deployment.

Without Keystone: the API runs the noauth paste flavor, which answers every
request with a fixed token (its service catalog is written here). See
heat_api_server for why API and engine share one process.
"""

import json
import os
import subprocess
import sys
import time

import requests

import heat_plugins.plugin_dir

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
HEAT_ETC = os.path.join(sys.prefix, 'etc', 'heat')
PROJECT = 'admin'

CONFIG = """[DEFAULT]
transport_url = fake://
plugin_dirs = {plugin_dir}
environment_dir = {heat_etc}/environment.d
template_dir = {heat_etc}/templates
deferred_auth_method = password
num_engine_workers = 1
action_retry_limit = 0
host = {host}
stack_user_domain_id =
heat_metadata_server_url = http://127.0.0.1:9
heat_waitcondition_server_url = http://127.0.0.1:9/v1/waitcondition

[database]
connection = {db_url}

[paste_deploy]
flavor = noauth
api_paste_config = {heat_etc}/api-paste.ini

[oslo_messaging_notifications]
driver = noop

[oslo_policy]
enforce_new_defaults = false
enforce_scope = false

[clients_keystone]
auth_uri = http://127.0.0.1:9/v3

[noauth]
token_response = {workdir}/token_response.json
"""


def _endpoint(service_type, url):
    return {'type': service_type, 'name': service_type, 'id': service_type,
            'endpoints': [{'interface': i, 'region': 'RegionOne',
                           'region_id': 'RegionOne', 'url': url,
                           'id': service_type + i}
                          for i in ('public', 'internal', 'admin')]}


def token_response(api_url):
    """The token the noauth API hands out: admin of project 'admin'."""
    who = {'id': PROJECT, 'name': PROJECT,
           'domain': {'id': 'default', 'name': 'Default'}}
    return {'token': {
        'methods': ['token'], 'expires_at': '2099-01-01T00:00:00.000000Z',
        'issued_at': '2026-01-01T00:00:00.000000Z',
        'user': who, 'project': who,
        'roles': [{'id': 'admin', 'name': 'admin'}],
        'catalog': [
            # A closed port: anything that asks Keystone fails at once.
            _endpoint('identity', 'http://127.0.0.1:9/identity/v3'),
            _endpoint('orchestration', api_url + '/v1/' + PROJECT),
        ]}}


class HeatServices(object):
    """Start the API and engine process; stop it on ``stop()``."""

    def __init__(self, workdir, host, port, db_url):
        self.workdir = workdir
        self.port = port
        self.url = 'http://127.0.0.1:%d' % port
        self.config = os.path.join(workdir, 'heat.conf')
        with open(self.config, 'w') as f:
            f.write(CONFIG.format(
                host=host, db_url=db_url,
                plugin_dir=heat_plugins.plugin_dir.plugin_dir(),
                heat_etc=HEAT_ETC, workdir=workdir))
        with open(os.path.join(workdir, 'token_response.json'), 'w') as f:
            json.dump(token_response(self.url), f)
        # The engine imports the plugins, which import heat_plugins.
        self.env = dict(os.environ, PYTHONPATH=REPO)
        self.process = None

    def _until(self, ready, what, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('%s exited; log in %s' % (what,
                                                             self.workdir))
            if ready():
                return
            time.sleep(0.3)
        raise RuntimeError('%s not ready in %ss; log in %s'
                           % (what, timeout, self.workdir))

    def _api_answers(self):
        try:
            r = requests.get('%s/v1/%s/stacks' % (self.url, PROJECT),
                             headers={'X-Auth-Token': 'noauth'}, timeout=30)
            return r.status_code == 200
        except requests.RequestException:
            return False

    def start(self, timeout=90):
        with open(os.path.join(self.workdir, 'heat.log'), 'w') as log:
            self.process = subprocess.Popen(
                [sys.executable, '-m',
                 'tests.harness.heat_api_server',
                 self.config, str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=REPO)
        self._until(self._api_answers, 'Heat API and engine', timeout)

    def client(self):
        from heatclient import client as heat_client
        endpoint = '%s/v1/%s' % (self.url, PROJECT)
        return heat_client.Client('1', endpoint=endpoint, token='noauth')

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
