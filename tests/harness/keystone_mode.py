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

"""magnum-lite in keystone mode beside a real Keystone, on loopback.

One Keystone (see keystone_server) and one magnum-lite-aio with [api]
auth_strategy = keystone, keystonemiddleware validating the tokens,
[trust] enabled and the fake cluster driver registered through a real
entry point. magnum-lite is in Keystone's catalog as container-infra, so
the unmodified python-magnumclient finds it from a password login (each
`openstack` command in a process of its own, forked by coe_cli's server
after one import of the CLI).

Identities: projects A and B with a member each, a reader of A, the
bootstrap admin, and a trustee domain with its domain admin.
"""

import os
import time
import uuid

from cryptography import fernet

from tests.harness import coe_cli
from tests.harness import entrypoints
from tests.harness import keystone_server
from tests.harness import processes

PASSWORD = 'user-secret'
SERVICE_USER = 'magnum-lite'
TRUSTEE_DOMAIN = 'ml_trustees'
TRUSTEE_ADMIN = 'trustee_admin'
STATUS_TIMEOUT = 60


class Deployment:
    """Keystone, magnum-lite and what the tests created."""

    def __init__(self, directory):
        self.directory = directory
        self.keystone = keystone_server.Keystone(directory / 'keystone')
        self.port = processes.free_port()
        self.endpoint = 'http://127.0.0.1:%d/v1' % self.port
        self.api = None
        self.cli = None
        self.ids = {}
        self.state = {}
        self._tokens = {}

    # Identity ---------------------------------------------------------------

    def create_identities(self):
        admin = self.keystone.admin()
        roles = {r.name: r for r in admin.roles.list()}
        service_project = admin.projects.create('service', 'default')
        user = admin.users.create(SERVICE_USER, domain='default',
                                  password=PASSWORD)
        admin.roles.grant(roles['admin'], user=user, project=service_project)
        service = admin.services.create(
            SERVICE_USER, type='container-infra',
            description='Container Infrastructure Management Service')
        for interface in ('public', 'internal', 'admin'):
            admin.endpoints.create(service, self.endpoint, interface,
                                   region='RegionOne')
        for name, project, role in (('user-a', 'project-a', 'member'),
                                    ('user-b', 'project-b', 'member'),
                                    ('reader-a', 'project-a', 'reader')):
            if project not in self.ids:
                self.ids[project] = admin.projects.create(
                    project, 'default').id
            user = admin.users.create(name, domain='default',
                                      password=PASSWORD)
            self.ids[name] = user.id
            admin.roles.grant(roles[role], user=user,
                              project=self.ids[project])
        # Trustees live in a domain of their own, run by its admin.
        domain = admin.domains.create(TRUSTEE_DOMAIN)
        self.ids[TRUSTEE_DOMAIN] = domain.id
        trustee_admin = admin.users.create(TRUSTEE_ADMIN, domain=domain,
                                           password=PASSWORD)
        admin.roles.grant(roles['admin'], user=trustee_admin, domain=domain)

    def token(self, user):
        """A token of `user` in their project (admin: project admin)."""
        if user not in self._tokens:
            if user == 'admin':
                session = self.keystone.session(
                    'admin', keystone_server.ADMIN_PASSWORD, 'admin')
            else:
                project = 'project-b' if user == 'user-b' else 'project-a'
                session = self.keystone.session(user, PASSWORD, project)
            self._tokens[user] = session.get_token()
        return self._tokens[user]

    # magnum-lite ------------------------------------------------------------

    def options(self):
        """magnum-lite's configuration: {section: {option: value}}."""
        keystone = {
            'auth_type': 'password', 'auth_url': self.keystone.url,
            'username': SERVICE_USER, 'password': PASSWORD,
            'project_name': 'service', 'user_domain_name': 'Default',
            'project_domain_name': 'Default',
        }
        return {
            'DEFAULT': {'host': 'keystone-%s' % uuid.uuid4().hex[:8],
                        'state_path': self.directory / 'state'},
            'api': {'host': '127.0.0.1', 'port': self.port,
                    'auth_strategy': 'keystone',
                    'api_paste_config': os.path.join(
                        entrypoints.REPO_ROOT, 'etc', 'magnum_lite',
                        'api-paste.ini')},
            'aio': {'start_heat': False},
            'conductor': {'sync_interval': 1, 'heartbeat_interval': 1,
                          'graceful_shutdown_timeout': 10},
            'certificates': {
                'encryption_key': fernet.Fernet.generate_key().decode()},
            'x509': {'rsa_key_size': 1024},
            'keystone_authtoken': dict(
                keystone, www_authenticate_uri=self.keystone.url),
            'keystone_auth': keystone,
            'trust': {'enabled': True,
                      'trustee_domain_name': TRUSTEE_DOMAIN,
                      'trustee_domain_admin_name': TRUSTEE_ADMIN,
                      'trustee_domain_admin_domain_name': TRUSTEE_DOMAIN,
                      'trustee_domain_admin_password': PASSWORD},
        }

    def config(self):
        return processes.write_config(self.directory / 'magnum_lite.conf',
                                      self.options())

    def start_api(self):
        """Start magnum-lite-aio; wait_until_ready() waits for it.

        It does not reach Keystone before its first request, so it starts
        while Keystone is being set up.
        """
        driver_dir = entrypoints.write_distribution(
            str(self.directory / 'drivers'))
        env = processes.environment(self.directory, driver_dir)
        self.api = processes.Service(
            ['magnum-lite-aio', '--config-file', self.config()], env,
            self.directory / 'magnum-lite-aio.log')

    def wait_until_ready(self):
        def ready():
            assert self.api.process.poll() is None, self.api.log()
            status, _ = self.http('admin', 'GET', '/mservices')
            return status == 200
        processes.wait_for(ready, timeout=90, interval=0.5,
                           what='magnum-lite-aio in keystone mode')

    def http(self, user, method, path, body=None):
        headers = {'X-Auth-Token': self.token(user)} if user else {}
        return processes.http(method, self.endpoint + path, body, headers)

    def wait_status(self, user, path, status):
        """Poll until `status` (None: until the row is gone)."""
        deadline = time.monotonic() + STATUS_TIMEOUT
        while True:
            code, body = self.http(user, 'GET', path)
            if code == 200 and body['status'] == status:
                return body
            if code == 404 and status is None:
                return None
            assert code == 200, (code, body)
            assert not body['status'].endswith('_FAILED'), (
                body['status_reason'], self.api.log()[-5000:])
            assert time.monotonic() < deadline, body
            time.sleep(0.5)

    def start_cli(self):
        """The openstack CLI, imported once (coe_cli's fork server)."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env['HOME'] = str(self.directory)
        self.cli = coe_cli.Cli(env, self.directory)

    def openstack(self, user, *args):
        """The unmodified openstack CLI with a password login."""
        project = 'project-b' if user == 'user-b' else 'project-a'
        result = self.cli.run(
            ['--os-auth-url', self.keystone.url, '--os-username', user,
             '--os-password', PASSWORD, '--os-project-name', project,
             '--os-user-domain-name', 'Default',
             '--os-project-domain-name', 'Default',
             '--os-identity-api-version', '3'] + list(args))
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def logs(self):
        return '\n'.join(
            '===== %s =====\n%s' % (s.log_path, s.log()[-20000:])
            for s in (self.keystone.service, self.api) if s is not None)
