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

"""The console scripts as an operator runs them: real child processes."""

import socket
import sqlite3

from cryptography import fernet
from cryptography import x509 as cx509
import pytest

from magnum_lite.certificates import x509
from magnum_lite.db import migration
from tests.harness import processes


def _state_db(home):
    return home / '.local' / 'state' / 'magnum_lite' / 'magnum_lite.sqlite'


def _service_row(db_path):
    with sqlite3.connect(str(db_path)) as connection:
        return connection.execute(
            'SELECT host, binary, report_count, forced_down FROM service'
        ).fetchone()


def test_db_manage_without_a_config_file(tmp_path):
    env = processes.environment(tmp_path)
    upgraded = processes.run(['magnum-lite-db-manage', 'upgrade'], env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert 'Database upgraded to %s' % migration.head() in upgraded.stdout
    assert _state_db(tmp_path).exists()
    version = processes.run(['magnum-lite-db-manage', 'version'], env)
    assert version.stdout.strip() == migration.head()


def test_status_check_fails_on_an_old_schema_then_passes(tmp_path,
                                                         driver_path):
    env = processes.environment(tmp_path, driver_path)
    config = processes.write_config(tmp_path / 'ml.conf', {
        'DEFAULT': {'state_path': tmp_path / 'state'},
        'certificates': {
            'encryption_key': fernet.Fernet.generate_key().decode()},
    })
    check = ['magnum-lite-status', '--config-file', config, 'upgrade',
             'check']
    before = processes.run(check, env)
    assert before.returncode == 2, before.stdout + before.stderr
    assert 'magnum-lite-db-manage upgrade' in before.stdout

    assert processes.run(['magnum-lite-db-manage', '--config-file', config,
                          'upgrade'], env).returncode == 0
    after = processes.run(check, env)
    assert after.returncode == 0, after.stdout + after.stderr
    assert 'Cluster drivers: fake,' in after.stdout
    assert 'fake_basic' in after.stdout


def test_status_check_reports_a_bad_encryption_key(tmp_path):
    env = processes.environment(tmp_path)
    config = processes.write_config(tmp_path / 'ml.conf', {
        'certificates': {'encryption_key': 'not-a-key'}})
    assert processes.run(['magnum-lite-db-manage', '--config-file', config,
                          'upgrade'], env).returncode == 0
    result = processes.run(['magnum-lite-status', '--config-file', config,
                            'upgrade', 'check'], env)
    assert result.returncode == 2
    assert 'is not a Fernet' in result.stdout


def test_conductor_heartbeats_and_stops_on_sigterm(tmp_path, driver_path):
    env = processes.environment(tmp_path, driver_path)
    config = processes.write_config(tmp_path / 'ml.conf', {
        'DEFAULT': {'host': 'conductor-a'},
        'conductor': {'heartbeat_interval': 1}})
    assert processes.run(['magnum-lite-db-manage', 'upgrade'],
                         env).returncode == 0
    db_path = _state_db(tmp_path)
    with processes.Service(['magnum-lite-conductor', '--config-file',
                            config], env, tmp_path / 'conductor.log') as svc:
        processes.wait_for(lambda: (_service_row(db_path) or (0, 0, 0))[2]
                           >= 2, what='two heartbeats')
        host, binary, _count, forced_down = _service_row(db_path)
        assert (host, binary, forced_down) == ('conductor-a',
                                               'magnum-conductor', 0)
        assert svc.stop() == 0, svc.log()
        assert 'Cluster drivers loaded: fake, fake_basic' in svc.log()
    assert _service_row(db_path)[3] == 1


def test_api_serves_and_stops_on_sigterm(tmp_path):
    env = processes.environment(tmp_path)
    port = processes.free_port()
    config = processes.write_config(tmp_path / 'ml.conf',
                                    {'api': {'port': port}})
    assert processes.run(['magnum-lite-db-manage', 'upgrade'],
                         env).returncode == 0
    with processes.Service(['magnum-lite-api', '--config-file', config], env,
                           tmp_path / 'api.log') as svc:
        status, body = processes.wait_for(
            lambda: processes.http('GET', 'http://127.0.0.1:%d/' % port),
            what='the API answering')
        assert status == 200, body
        assert svc.stop() == 0, svc.log()


@pytest.fixture
def aio(tmp_path, driver_path):
    env = processes.environment(tmp_path, driver_path)
    port = processes.free_port()
    config = processes.write_config(tmp_path / 'ml.conf', {
        'api': {'port': port},
        'conductor': {'sync_interval': 1},
        'x509': {'rsa_key_size': 1024}})
    with processes.Service(['magnum-lite-aio', '--config-file', config], env,
                           tmp_path / 'aio.log') as svc:
        svc.url = 'http://127.0.0.1:%d/v1' % port
        svc.env, svc.tmp_path = env, tmp_path
        processes.wait_for(
            lambda: processes.http('GET', svc.url + '/')[0] == 200,
            what='the all-in-one API answering')
        yield svc
        assert svc.stop() == 0, svc.log()


def test_aio_runs_a_cluster_through_its_life(aio):
    status, template = processes.http('POST', aio.url + '/clustertemplates', {
        'name': 'k8s', 'coe': 'kubernetes', 'image_id': 'fedora-coreos-40',
        'external_network_id': 'public', 'server_type': 'vm',
        'cluster_distro': 'fedora-coreos', 'keypair_id': 'key'})
    assert status == 201, template
    status, created = processes.http('POST', aio.url + '/clusters', {
        'name': 'c1', 'cluster_template_id': template['uuid'],
        'node_count': 2, 'master_count': 1})
    assert status == 202, created
    uuid = created['uuid']

    def cluster():
        return processes.http('GET', aio.url + '/clusters/' + uuid)[1]

    done = processes.wait_for(
        lambda: cluster()['status'] == 'CREATE_COMPLETE' and cluster(),
        what='CREATE_COMPLETE')
    assert done['api_address'] == 'https://192.0.2.1:6443'
    assert done['node_addresses'] == ['198.51.100.10', '198.51.100.11']

    status, ca = processes.http('GET', aio.url + '/certificates/' + uuid)
    assert status == 200, ca
    csr, _key = x509.make_csr('admin', 'system:masters')
    status, signed = processes.http('POST', aio.url + '/certificates', {
        'cluster_uuid': uuid, 'csr': csr.decode()})
    assert status == 201, signed
    cx509.load_pem_x509_certificate(
        signed['pem'].encode()).verify_directly_issued_by(
            cx509.load_pem_x509_certificate(ca['pem'].encode()))

    # What "openstack coe cluster config" does with those two requests.
    config_dir = aio.tmp_path / 'kube'
    config_dir.mkdir()
    result = processes.run(
        ['openstack', '--os-auth-type', 'none', '--os-endpoint', aio.url,
         'coe', 'cluster', 'config', 'c1', '--dir', str(config_dir)],
        aio.env)
    assert result.returncode == 0, result.stdout + result.stderr
    kubeconfig = (config_dir / 'config').read_text()
    for field in ('certificate-authority-data', 'client-certificate-data',
                  'client-key-data'):
        assert field in kubeconfig

    status, services = processes.http('GET', aio.url + '/mservices')
    assert status == 200, services
    assert [(s['binary'], s['state']) for s in services['mservices']] == [
        ('magnum-conductor', 'up')]

    status, _body = processes.http('DELETE', aio.url + '/clusters/' + uuid)
    assert status == 204
    processes.wait_for(
        lambda: processes.http('GET', aio.url + '/clusters/' + uuid)[0]
        == 404, what='the cluster gone')


def test_api_on_a_busy_port_exits_with_an_error(tmp_path):
    env = processes.environment(tmp_path)
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen()
        config = processes.write_config(tmp_path / 'ml.conf', {
            'api': {'port': busy.getsockname()[1]}})
        assert processes.run(['magnum-lite-db-manage', '--config-file',
                              config, 'upgrade'], env).returncode == 0
        result = processes.run(['magnum-lite-api', '--config-file', config],
                               env, timeout=60)
    assert result.returncode != 0
    assert 'Cannot serve the API' in result.stdout + result.stderr


@pytest.mark.parametrize('program', ['magnum-lite-api',
                                     'magnum-lite-conductor'])
def test_a_service_on_an_unmigrated_database_says_what_to_run(tmp_path,
                                                              program):
    env = processes.environment(tmp_path)
    config = processes.write_config(tmp_path / 'ml.conf', {
        'api': {'port': processes.free_port()}})
    result = processes.run([program, '--config-file', config], env,
                           timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        '%s: The database is at schema revision none (an empty database), '
        'and this release of magnum-lite needs %s: run "magnum-lite-db-'
        'manage upgrade".' % (program, migration.head()))
    assert 'Traceback' not in result.stderr


def test_wsgi_api_answers_503_until_the_database_is_migrated(tmp_path):
    env = processes.environment(tmp_path)
    port = processes.free_port()
    env['MAGNUM_LITE_CONFIG_FILE'] = processes.write_config(
        tmp_path / 'ml.conf', {'DEFAULT': {'state_path': tmp_path / 's'}})
    with processes.Service(
            ['gunicorn', '--bind', '127.0.0.1:%d' % port, '--workers', '1',
             'magnum_lite.api.wsgi:application'], env,
            tmp_path / 'gunicorn.log') as svc:
        url = 'http://127.0.0.1:%d/v1/clusters' % port
        status, body = processes.wait_for(
            lambda: processes.http('GET', url), what='gunicorn answering')
        assert status == 503, body
        error = body['errors'][0]
        assert error['status'] == 503
        assert 'run "magnum-lite-db-manage upgrade"' in error['detail']
        assert processes.run(
            ['magnum-lite-db-manage', '--config-file',
             env['MAGNUM_LITE_CONFIG_FILE'], 'upgrade'], env).returncode == 0
        # The next request loads the API: no restart needed.
        assert processes.http('GET', url) == (200, {'clusters': []})
        assert svc.stop() == 0, svc.log()
