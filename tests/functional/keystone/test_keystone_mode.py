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

One Keystone and one magnum-lite-aio (tests/harness/keystone_mode.py)
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
import urllib.error
import urllib.request

import pytest

from tests.harness import keystone_mode
from tests.harness import processes
from tests.harness import services

UUID_RE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    for command in ('keystone-manage', 'gunicorn', 'magnum-lite-aio',
                    'openstack'):
        if not os.path.exists(os.path.join(processes.BIN, command)):
            services.missing(command, 'not installed in %s' % processes.BIN)
    directory = tmp_path_factory.mktemp('keystone-mode')
    (directory / 'keystone').mkdir()
    deployment = keystone_mode.Deployment(directory)
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
    assert trustee.domain_id == deployment.ids[keystone_mode.TRUSTEE_DOMAIN]
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
        domain=deployment.ids[keystone_mode.TRUSTEE_DOMAIN])]
    # Project B's trust is untouched.
    assert len(_trusts_of(deployment, 'user-b')) == 1
