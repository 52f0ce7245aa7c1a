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

"""Keystone mode against a real Keystone.

One Keystone (started here, see keystone_server) and one magnum-lite-aio
with [api] auth_strategy = keystone, keystonemiddleware validating the
tokens, [trust] enabled and the fake cluster driver registered through a
real entry point. magnum-lite is in Keystone's catalog as container-infra,
so the unmodified python-magnumclient finds it from a password login
(each `openstack` command in a process of its own, forked by coe_cli's
server after one import of the CLI). magnum-lite-aio starts while Keystone
is being set up: it reaches Keystone only when requests come.

Identities: projects A and B with a member each, a reader of A, the
bootstrap admin, and a trustee domain with its domain admin. The tests
share the deployment and run in file order.
"""

import os
import re
import time
import urllib.error
import urllib.request
import uuid

from cryptography import fernet
import pytest

from tests.fakes import entrypoints
from tests.fakes import processes
from tests.functional.keystone import keystone_server
from tests.functional.magnum_lite import coe_cli
from tests import services

PASSWORD = 'user-secret'
SERVICE_USER = 'magnum-lite'
TRUSTEE_DOMAIN = 'ml_trustees'
TRUSTEE_ADMIN = 'trustee_admin'
UUID_RE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
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


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    for command in ('keystone-manage', 'gunicorn', 'magnum-lite-aio',
                    'openstack'):
        if not os.path.exists(os.path.join(processes.BIN, command)):
            services.missing(command, 'not installed in %s' % processes.BIN)
    directory = tmp_path_factory.mktemp('keystone-mode')
    (directory / 'keystone').mkdir()
    deployment = Deployment(directory)
    try:
        deployment.start_api()
        deployment.start_cli()
        deployment.keystone.start()
        deployment.create_identities()
        deployment.wait_until_ready()
        yield deployment
    except BaseException:
        print(deployment.logs())
        raise
    finally:
        if deployment.cli is not None:
            deployment.cli.close()
        if deployment.api is not None:
            deployment.api.stop(timeout=30)
        deployment.keystone.stop()


def _template_body(name):
    return {'name': name, 'coe': 'kubernetes', 'image_id': 'fedora-coreos-40',
            'external_network_id': 'public',
            # No image service: the label names the distribution.
            'labels': {'os_distro': 'fedora-coreos'}}


# Tokens ---------------------------------------------------------------------

def test_no_token_is_401_with_www_authenticate(deployment):
    status, body = deployment.http(None, 'GET', '/clusters')
    assert status == 401, body
    request = urllib.request.Request(deployment.endpoint + '/clusters')
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.headers['WWW-Authenticate'] == (
        'Keystone uri="%s"' % deployment.keystone.url)


def test_version_documents_need_no_token(deployment):
    root = 'http://127.0.0.1:%d' % deployment.port
    status, body = processes.http('GET', root + '/')
    assert status == 200 and body['versions'][0]['id'] == 'v1', body
    status, body = processes.http('GET', root + '/v1')
    assert status == 200 and body['id'] == 'v1', body


def test_invalid_token_is_401(deployment):
    status, _ = processes.http('GET', deployment.endpoint + '/clusters',
                               headers={'X-Auth-Token': 'not-a-token'})
    assert status == 401


def test_valid_token_is_accepted(deployment):
    status, body = deployment.http('user-a', 'GET', '/clusters')
    assert status == 200 and body['clusters'] == [], body


# The unmodified python-magnumclient through the catalog ---------------------

def test_cli_cluster_template_create_and_list(deployment):
    out = deployment.openstack(
        'user-a', 'coe', 'cluster', 'template', 'create', 'tpl-a',
        '--coe', 'kubernetes', '--image', 'fedora-coreos-40',
        '--external-network', 'public', '--labels', 'os_distro=fedora-coreos',
        '-f', 'value', '-c', 'uuid')
    match = re.fullmatch('Request to create cluster template tpl-a '
                         'accepted\n(%s)\n' % UUID_RE, out)
    assert match, out
    deployment.state['tpl-a'] = match.group(1)
    out = deployment.openstack('user-a', 'coe', 'cluster', 'template',
                               'list', '-f', 'value', '-c', 'name')
    assert out.split() == ['tpl-a']


def test_cli_cluster_create_list_show(deployment):
    out = deployment.openstack(
        'user-a', 'coe', 'cluster', 'create', 'cluster-a',
        '--cluster-template', 'tpl-a', '--node-count', '1')
    match = re.fullmatch('Request to create cluster (%s) accepted\n'
                         % UUID_RE, out)
    assert match, out
    uuid_a = deployment.state['cluster-a'] = match.group(1)
    deployment.wait_status('user-a', '/clusters/' + uuid_a,
                           'CREATE_COMPLETE')
    out = deployment.openstack('user-a', 'coe', 'cluster', 'list',
                               '-f', 'value', '-c', 'uuid', '-c', 'status')
    assert out.split() == [uuid_a, 'CREATE_COMPLETE']
    out = deployment.openstack('user-a', 'coe', 'cluster', 'show',
                               'cluster-a', '-f', 'value', '-c', 'project_id')
    assert out.strip() == deployment.ids['project-a']


# Projects, roles -------------------------------------------------------------

def test_project_b_cannot_see_project_a(deployment):
    status, body = deployment.http(
        'user-b', 'POST', '/clustertemplates', _template_body('tpl-b'))
    assert status == 201, body
    status, body = deployment.http('user-b', 'GET', '/clustertemplates')
    assert [t['name'] for t in body['clustertemplates']] == ['tpl-b']
    status, body = deployment.http('user-b', 'GET', '/clusters')
    assert body['clusters'] == []
    for path in ('/clustertemplates/' + deployment.state['tpl-a'],
                 '/clusters/' + deployment.state['cluster-a'],
                 '/clusters/cluster-a'):
        status, body = deployment.http('user-b', 'GET', path)
        assert status == 404, (path, body)
    status, body = deployment.http(
        'user-b', 'DELETE', '/clusters/' + deployment.state['cluster-a'])
    assert status == 404, body


def test_admin_sees_every_project(deployment):
    status, body = deployment.http('user-b', 'POST', '/clusters', {
        'name': 'cluster-b', 'cluster_template_id': 'tpl-b',
        'node_count': 1})
    assert status == 202, body
    deployment.state['cluster-b'] = body['uuid']
    deployment.wait_status('user-b', '/clusters/' + body['uuid'],
                           'CREATE_COMPLETE')
    status, body = deployment.http('admin', 'GET', '/clusters')
    assert status == 200, body
    assert sorted(c['name'] for c in body['clusters']) == [
        'cluster-a', 'cluster-b']
    status, body = deployment.http('admin', 'GET', '/clusters/detail')
    assert status == 200, body
    assert {c['name']: c['project_id'] for c in body['clusters']} == {
        'cluster-a': deployment.ids['project-a'],
        'cluster-b': deployment.ids['project-b']}
    status, body = deployment.http(
        'admin', 'GET', '/clusters/' + deployment.state['cluster-b'])
    assert status == 200 and body['name'] == 'cluster-b', body


def test_reader_reads_but_cannot_create(deployment):
    status, body = deployment.http('reader-a', 'GET', '/clusters')
    assert status == 200
    assert [c['name'] for c in body['clusters']] == ['cluster-a']
    status, body = deployment.http('reader-a', 'POST', '/clusters', {
        'name': 'cluster-r', 'cluster_template_id': 'tpl-a',
        'node_count': 1})
    assert status == 403, body
    status, body = deployment.http(
        'reader-a', 'POST', '/clustertemplates', _template_body('tpl-r'))
    assert status == 403, body


# Trusts ----------------------------------------------------------------------

def _trusts_of(deployment, user):
    return deployment.keystone.admin().trusts.list(
        trustor_user=deployment.ids[user])


def test_cluster_create_made_a_trust(deployment):
    trusts = _trusts_of(deployment, 'user-a')
    assert len(trusts) == 1, trusts
    trust = trusts[0]
    assert trust.project_id == deployment.ids['project-a']
    assert trust.impersonation is True
    admin = deployment.keystone.admin()
    trustee = admin.users.get(trust.trustee_user_id)
    assert trustee.domain_id == deployment.ids[TRUSTEE_DOMAIN]
    assert trustee.name == '%s_%s' % (deployment.state['cluster-a'],
                                      deployment.ids['project-a'])
    deployment.state['trust-a'] = (trust.id, trustee.id, trustee.name)
    # The trustor sees it too, with the CLI.
    out = deployment.openstack('user-a', 'trust', 'list', '--auth-user',
                               '-f', 'value', '-c', 'ID')
    assert trust.id in out.split()


def test_trustee_auth_gets_a_trust_scoped_token(deployment):
    from keystoneauth1 import session as ks_session

    from magnum_lite.common import trusts
    from magnum_lite import conf as ml_conf
    conf = ml_conf.CONF
    conf([], project='magnum-lite-test', default_config_files=[
        str(deployment.directory / 'magnum_lite.conf')])
    try:
        trust_id, trustee_id, trustee_name = deployment.state['trust-a']
        # Without the name, the password is derived after a lookup.
        for name in (trustee_name, None):
            auth = trusts.trustee_auth(trust_id, trustee_id, name)
            access = auth.get_access(ks_session.Session())
            assert access.trust_id == trust_id
            assert access.project_id == deployment.ids['project-a']
            # Impersonation: the token acts as the trustor.
            assert access.user_id == deployment.ids['user-a']
    finally:
        conf.reset()
        conf.clear()


def test_cluster_delete_removes_trust_and_trustee(deployment):
    trust_id, trustee_id, _ = deployment.state['trust-a']
    out = deployment.openstack('user-a', 'coe', 'cluster', 'delete',
                               'cluster-a')
    assert 'accepted' in out, out
    deployment.wait_status('user-a', '/clusters/' +
                           deployment.state['cluster-a'], None)
    assert _trusts_of(deployment, 'user-a') == []
    admin = deployment.keystone.admin()
    assert trustee_id not in [u.id for u in admin.users.list(
        domain=deployment.ids[TRUSTEE_DOMAIN])]
    # Project B's trust is untouched.
    assert len(_trusts_of(deployment, 'user-b')) == 1
