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

"""Acceptance: the unmodified `openstack coe` CLI against magnum-lite.

Every command of python-magnumclient 5.x runs in a process of its own
(forked by coe_cli from one that imported the CLI once), with
--os-auth-type none, against two deployments, each shared by the whole
module: magnum-lite-api and magnum-lite-conductor as separate processes
over RabbitMQ with MariaDB, and magnum-lite-aio alone with SQLite and no
broker. The tests run in file order and build on each other (templates,
then clusters, nodegroups, certificates, quotas, deletion); each checks
what the command prints and, where the command only says "accepted",
waits for the conductor (fake driver, status sync every second) to finish.
"""

import base64
import contextlib
import json
import os
import re
import time
import uuid

from cryptography import fernet
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import NameOID
import pytest
import yaml

from tests.functional.magnum_lite import coe_drivers
from tests.harness import backends
from tests.harness import coe_cli
from tests.harness import entrypoints
from tests.harness import processes
from tests.harness import services

UUID_RE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
# The noauth pipeline's caller (magnum_lite.api.hooks).
NOAUTH_PROJECT = 'admin'
STATUS_TIMEOUT = 60


class Deployment:
    """The services of one mode, their endpoint and the tests' findings."""

    def __init__(self, mode, directory):
        self.mode = mode
        self.directory = directory
        self.port = processes.free_port()
        self.host = 'coe-%s-%s' % (mode, uuid.uuid4().hex[:8])
        self.endpoint = 'http://127.0.0.1:%d/v1' % self.port
        self.services = []
        self.cli = None
        # What earlier tests created (uuids by name, files), for later ones.
        self.state = {}
        self.cli_env = {k: v for k, v in os.environ.items()
                        if not k.startswith('OS_')}
        # No clouds.yaml of the user's; `cluster config` reads SHELL.
        self.cli_env.update(HOME=str(directory), SHELL='/bin/bash')

    def config(self, transport_url=None, connection=None):
        sections = {
            'DEFAULT': {'host': self.host,
                        'state_path': self.directory / 'state'},
            'api': {'host': '127.0.0.1', 'port': self.port},
            # A topic of this run alone: parallel runs share the broker.
            'conductor': {'topic': 'magnum-lite-coe-%s' % uuid.uuid4().hex,
                          'sync_interval': 1, 'heartbeat_interval': 1,
                          'graceful_shutdown_timeout': 10},
            'database': {'connection': connection},
            'certificates': {
                'encryption_key': fernet.Fernet.generate_key().decode()},
            # The smallest key size allowed: certificates are made often.
            'x509': {'rsa_key_size': 1024},
            # The test driver needs no Heat: the all-in-one skips its own.
            'aio': {'start_heat': False},
        }
        if transport_url:
            sections['DEFAULT']['transport_url'] = transport_url
        return processes.write_config(self.directory / 'magnum_lite.conf',
                                      sections)

    def start(self, name, config, env):
        service = processes.Service([name, '--config-file', config], env,
                                    self.directory / (name + '.log'))
        self.services.append(service)
        return service

    def logs(self):
        return '\n'.join('===== %s =====\n%s' % (s.log_path, s.log()[-20000:])
                         for s in self.services)

    def stop(self):
        """SIGTERM each service (kill after 30 s); their exit codes."""
        if self.cli is not None:
            self.cli.close()
        return {s.log_path: s.stop(timeout=30)
                for s in reversed(self.services)}

    def http(self, method, path, body=None):
        return processes.http(method, self.endpoint + path, body)

    def wait_until_ready(self):
        def ready():
            for service in self.services:
                assert service.process.poll() is None, (
                    '%s exited:\n%s' % (service.log_path, service.log()))
            status, body = self.http('GET', '/mservices')
            return status == 200 and any(
                s['host'] == self.host and s['state'] == 'up'
                for s in body['mservices'])
        processes.wait_for(ready, timeout=90, interval=0.5,
                           what='the API and a live conductor')

    def wait_status(self, path, status):
        """Poll a cluster or nodegroup until `status` (None: until gone).

        A *_FAILED status fails at once, with the row.
        """
        deadline = time.monotonic() + STATUS_TIMEOUT
        while True:
            code, body = self.http('GET', path)
            if code == 200:
                if body['status'] == status:
                    return body
                assert not body['status'].endswith('_FAILED'), body
            elif code == 404 and status is None:
                return None
            assert time.monotonic() < deadline, (
                '%s: %s, not %s' % (path, body, status))
            time.sleep(0.3)

    def wait_cluster(self, ident, status):
        return self.wait_status('/clusters/%s' % ident, status)

    def wait_nodegroup(self, cluster, name, status):
        return self.wait_status(
            '/clusters/%s/nodegroups/%s' % (cluster, name), status)


def _split(deployment, env):
    """magnum-lite-api and magnum-lite-conductor over RabbitMQ, MariaDB."""
    transport_url = services.require_rabbitmq()
    services.require_mariadb()
    stack = contextlib.ExitStack()
    connection = stack.enter_context(
        backends.scratch_database('mysql', deployment.directory))
    try:
        config = deployment.config(transport_url, connection)
        migrated = processes.run(
            ['magnum-lite-db-manage', '--config-file', config, 'upgrade'],
            env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        deployment.start('magnum-lite-conductor', config, env)
        deployment.start('magnum-lite-api', config, env)
    except BaseException:
        stack.close()
        raise
    return stack


def _aio(deployment, env):
    """magnum-lite-aio: one process, SQLite, in-process messaging."""
    config = deployment.config(connection='sqlite:///%s' % (
        deployment.directory / 'magnum_lite.sqlite'))
    deployment.start('magnum-lite-aio', config, env)
    return contextlib.ExitStack()


@pytest.fixture(scope='module', params=[_split, _aio],
                ids=['api-conductor-rabbitmq-mariadb', 'aio-sqlite'])
def deployment(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp('coe-%s' % request.param.__name__)
    deployment = Deployment(request.param.__name__.strip('_'), directory)
    driver_path = entrypoints.write_distribution(
        str(directory / 'entry-points'), coe_drivers.DRIVERS)
    env = processes.environment(directory, driver_path)
    stack = request.param(deployment, env)
    with stack:
        try:
            # The CLI imports while the services start.
            deployment.cli = coe_cli.Cli(deployment.cli_env, directory)
            deployment.wait_until_ready()
            yield deployment
        finally:
            codes = deployment.stop()
        assert set(codes.values()) == {0}, '%s\n%s' % (codes,
                                                       deployment.logs())


@pytest.fixture(autouse=True)
def logs_on_failure(request, deployment):
    """The services' logs in the report of a failed test."""
    failed = request.session.testsfailed
    yield
    if request.session.testsfailed > failed:
        print(deployment.logs())


def coe(deployment, *args):
    """Run `openstack coe <args>`; its stdout (stderr only on failure).

    The CLI's stderr carries warnings of unrelated plugins: only the
    return code and stdout are asserted.
    """
    result = deployment.cli.run(['--os-auth-type', 'none',
                                 '--os-endpoint', deployment.endpoint,
                                 'coe'] + list(args))
    assert result.returncode == 0, (
        '%s: rc=%d\nstdout:\n%s\nstderr:\n%s' % (
            ' '.join(args), result.returncode, result.stdout, result.stderr))
    return result.stdout


def accepted_json(stdout, first_line):
    """A `create -f json` output: the "accepted" line, then the object."""
    line, _, rest = stdout.partition('\n')
    assert line == first_line, stdout
    return json.loads(rest)


def table(stdout):
    """The rows of a prettytable as dicts keyed by its header."""
    rows = [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in stdout.splitlines() if line.startswith('|')]
    assert rows, stdout
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def properties(stdout):
    """A "Property | Value" table as one dict."""
    return {row['Property']: row['Value'] for row in table(stdout)}


def pem_certificate(text):
    assert text.startswith('-----BEGIN CERTIFICATE-----'), text
    return x509.load_pem_x509_certificate(text.encode())


def assert_issued_by(certificate, ca):
    certificate.verify_directly_issued_by(ca)
    constraints = ca.extensions.get_extension_for_class(
        x509.BasicConstraints).value
    assert constraints.ca


def assert_key_matches(key_pem, certificate):
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert (key.public_key().public_numbers() ==
            certificate.public_key().public_numbers())


# Cluster templates ---------------------------------------------------------

def test_cluster_template_create(deployment):
    created = accepted_json(coe(
        deployment, 'cluster', 'template', 'create', 'k8s',
        '--coe', 'kubernetes', '--image', 'fedora-coreos-40',
        '--external-network', 'public', '--flavor', 'ds2G',
        '--master-flavor', 'ds4G', '--network-driver', 'flannel',
        '--docker-volume-size', '10',
        # No image service: the os_distro label names the distribution.
        '--labels', 'os_distro=fedora-coreos,kube_tag=v1.30.0',
        '--floating-ip-disabled', '-f', 'json'),
        'Request to create cluster template k8s accepted')
    assert re.fullmatch(UUID_RE, created['uuid'])
    expected = {
        'name': 'k8s', 'coe': 'kubernetes', 'image_id': 'fedora-coreos-40',
        'external_network_id': 'public', 'flavor_id': 'ds2G',
        'master_flavor_id': 'ds4G', 'network_driver': 'flannel',
        'docker_volume_size': 10, 'cluster_distro': 'fedora-coreos',
        'labels': {'os_distro': 'fedora-coreos', 'kube_tag': 'v1.30.0'},
        'floating_ip_enabled': False, 'server_type': 'vm',
        'tls_disabled': False, 'public': False, 'hidden': False,
        'dns_nameserver': '8.8.8.8', 'docker_storage_driver': 'overlay2',
        'project_id': NOAUTH_PROJECT, 'updated_at': '-', 'driver': '-',
    }
    assert {k: created[k] for k in expected} == expected
    deployment.state['k8s'] = created['uuid']

    upgrade = accepted_json(coe(
        deployment, 'cluster', 'template', 'create', 'k8s-v2',
        '--coe', 'kubernetes', '--image', 'fedora-coreos-41',
        '--external-network', 'public',
        '--labels', 'os_distro=fedora-coreos,kube_tag=v1.31.0',
        '-f', 'json'),
        'Request to create cluster template k8s-v2 accepted')
    assert upgrade['labels']['kube_tag'] == 'v1.31.0'
    deployment.state['k8s-v2'] = upgrade['uuid']

    # A swarm-mode template on the driver that rotates credentials,
    # chosen by name rather than by (server type, distro, COE).
    swarm = accepted_json(coe(
        deployment, 'cluster', 'template', 'create', 'swarm',
        '--coe', 'swarm-mode', '--image', 'fedora-coreos-40',
        '--external-network', 'public', '--driver', 'fake_credentials',
        '--labels', 'os_distro=fedora-coreos', '-f', 'json'),
        'Request to create cluster template swarm accepted')
    assert (swarm['coe'], swarm['driver'], swarm['network_driver']) == (
        'swarm-mode', 'fake_credentials', 'docker')
    deployment.state['swarm'] = swarm['uuid']


def test_cluster_template_list(deployment):
    listed = json.loads(coe(deployment, 'cluster', 'template', 'list',
                            '-f', 'json'))
    assert sorted(listed, key=lambda t: t['name']) == [
        {'uuid': deployment.state[name], 'name': name, 'tags': None}
        for name in ('k8s', 'k8s-v2', 'swarm')]


def test_cluster_template_show(deployment):
    shown = json.loads(coe(deployment, 'cluster', 'template', 'show', 'k8s',
                           '-f', 'json'))
    assert shown['uuid'] == deployment.state['k8s']
    assert (shown['name'], shown['master_flavor_id'], shown['labels']) == (
        'k8s', 'ds4G', {'os_distro': 'fedora-coreos', 'kube_tag': 'v1.30.0'})


def test_cluster_template_update(deployment):
    updated = json.loads(coe(
        deployment, 'cluster', 'template', 'update', 'k8s',
        '--docker-volume-size', '20', '--label', 'x=y', '-f', 'json'))
    assert updated['uuid'] == deployment.state['k8s']
    assert updated['docker_volume_size'] == 20
    assert updated['labels'] == {'os_distro': 'fedora-coreos',
                                 'kube_tag': 'v1.30.0', 'x': 'y'}
    assert updated['updated_at'] != '-'
    assert updated['cluster_distro'] == 'fedora-coreos'


# Clusters -------------------------------------------------------------------

def test_cluster_create(deployment):
    out = coe(deployment, 'cluster', 'create', 'c1',
              '--cluster-template', 'k8s', '--node-count', '2',
              '--master-count', '1', '--keypair', 'kp1',
              '--labels', 'a=b', '--merge-labels')
    match = re.fullmatch('Request to create cluster (%s) accepted\n' %
                         UUID_RE, out)
    assert match, out
    deployment.state['c1'] = match.group(1)

    out = coe(deployment, 'cluster', 'create', 's1',
              '--cluster-template', 'swarm', '--node-count', '1')
    match = re.fullmatch('Request to create cluster (%s) accepted\n' %
                         UUID_RE, out)
    assert match, out
    deployment.state['s1'] = match.group(1)

    for name in ('c1', 's1'):
        deployment.wait_cluster(deployment.state[name], 'CREATE_COMPLETE')


def test_cluster_list(deployment):
    listed = json.loads(coe(deployment, 'cluster', 'list', '-f', 'json'))
    assert sorted(listed, key=lambda c: c['name']) == [
        {'uuid': deployment.state['c1'], 'name': 'c1', 'keypair': 'kp1',
         'node_count': 2, 'master_count': 1, 'status': 'CREATE_COMPLETE',
         'health_status': None},
        {'uuid': deployment.state['s1'], 'name': 's1', 'keypair': None,
         'node_count': 1, 'master_count': 1, 'status': 'CREATE_COMPLETE',
         'health_status': None},
    ]


def test_cluster_show(deployment):
    shown = json.loads(coe(deployment, 'cluster', 'show', 'c1',
                           '-f', 'json'))
    expected = {
        'uuid': deployment.state['c1'], 'name': 'c1',
        'status': 'CREATE_COMPLETE',
        'cluster_template_id': deployment.state['k8s'],
        'cluster_id': 'fake-' + deployment.state['c1'],
        'keypair': 'kp1', 'node_count': 2, 'master_count': 1,
        'master_flavor_id': 'ds4G', 'flavor_id': 'ds2G',
        'docker_volume_size': 20, 'floating_ip_enabled': False,
        'create_timeout': 60, 'api_address': 'https://192.0.2.1:6443',
        'coe_version': 'v1.30.0', 'container_version': '1.7.0',
        'master_addresses': ['192.0.2.10'],
        'node_addresses': ['198.51.100.10', '198.51.100.11'],
        # --merge-labels: the template's labels and the cluster's own.
        'labels': {'os_distro': 'fedora-coreos', 'kube_tag': 'v1.30.0',
                   'x': 'y', 'a': 'b'},
        'labels_added': {'a': 'b'}, 'labels_overridden': {},
        'project_id': NOAUTH_PROJECT,
    }
    assert {k: shown.get(k) for k in expected} == expected


def test_cluster_update(deployment):
    out = coe(deployment, 'cluster', 'update', 'c1', '--node-count', '3')
    assert out == 'Request to update cluster c1 has been accepted.\n'
    cluster = deployment.wait_cluster('c1', 'UPDATE_COMPLETE')
    assert cluster['node_count'] == 3
    assert len(cluster['node_addresses']) == 3


def wait_update(deployment, cluster, field, value):
    """UPDATE_COMPLETE with `field` at `value`.

    The cluster was UPDATE_COMPLETE already, after the previous update.
    """
    processes.wait_for(
        lambda: deployment.wait_cluster(cluster, 'UPDATE_COMPLETE')[
            field] == value,
        timeout=STATUS_TIMEOUT, what='%s with %s %s' % (cluster, field, value))


def test_cluster_resize(deployment):
    out = coe(deployment, 'cluster', 'resize', 'c1', '4',
              '--nodegroup', 'default-worker')
    assert out == 'Request to resize cluster c1 has been accepted.\n'
    wait_update(deployment, 'c1', 'node_count', 4)


def test_cluster_upgrade(deployment):
    out = coe(deployment, 'cluster', 'upgrade', 'c1', 'k8s-v2',
              '--max-batch-size', '2')
    assert out == 'Request to upgrade cluster c1 has been accepted.\n'
    wait_update(deployment, 'c1', 'cluster_template_id',
                deployment.state['k8s-v2'])


# Nodegroups -----------------------------------------------------------------

def test_nodegroup_create(deployment):
    out = coe(deployment, 'nodegroup', 'create', 'c1', 'ng1',
              '--node-count', '2', '--min-nodes', '1', '--max-nodes', '5',
              '--role', 'gpu', '--flavor', 'gpu.large',
              '--node-labels', 'tier=web',
              '--node-taints', 'dedicated=web:NoSchedule')
    match = re.fullmatch('Request to create nodegroup (%s) accepted\n' %
                         UUID_RE, out)
    assert match, out
    deployment.state['ng1'] = match.group(1)
    deployment.wait_nodegroup('c1', 'ng1', 'CREATE_COMPLETE')


def test_nodegroup_list(deployment):
    listed = json.loads(coe(deployment, 'nodegroup', 'list', 'c1',
                            '-f', 'json'))
    summary = sorted((ng['name'], ng['role'], ng['flavor_id'],
                      ng['node_count']) for ng in listed)
    assert summary == [
        ('default-master', 'master', 'ds4G', 1),
        ('default-worker', 'worker', 'ds2G', 4),
        ('ng1', 'gpu', 'gpu.large', 2),
    ]
    statuses = {ng['name']: ng['status'] for ng in listed}
    assert statuses['ng1'] == 'CREATE_COMPLETE'
    assert all(s.endswith('_COMPLETE') for s in statuses.values()), statuses
    deployment.state['nodegroup statuses'] = statuses
    assert deployment.state['ng1'] in [ng['uuid'] for ng in listed]

    only_gpu = json.loads(coe(deployment, 'nodegroup', 'list', 'c1',
                              '--role', 'gpu', '-f', 'json'))
    assert [ng['name'] for ng in only_gpu] == ['ng1']


def test_nodegroup_list_default_statuses(deployment):
    # As in Magnum, the default nodegroups share the cluster's own backend
    # (its Heat stack): the cluster's update, resize and upgrade are theirs.
    statuses = deployment.state['nodegroup statuses']
    assert (statuses['default-master'], statuses['default-worker']) == (
        'UPDATE_COMPLETE', 'UPDATE_COMPLETE')


def test_nodegroup_show(deployment):
    shown = json.loads(coe(deployment, 'nodegroup', 'show', 'c1', 'ng1',
                           '-f', 'json'))
    expected = {
        'uuid': deployment.state['ng1'], 'name': 'ng1',
        'cluster_id': deployment.state['c1'], 'role': 'gpu',
        'flavor_id': 'gpu.large', 'node_count': 2, 'min_node_count': 1,
        'max_node_count': 5, 'is_default': False,
        'status': 'CREATE_COMPLETE',
        'stack_id': 'fake-ng-' + deployment.state['ng1'],
        'node_labels': {'tier': 'web'},
        'node_taints': [{'key': 'dedicated', 'value': 'web',
                         'effect': 'NoSchedule'}],
        'project_id': NOAUTH_PROJECT,
    }
    assert {k: shown.get(k) for k in expected} == expected
    assert len(shown['node_addresses']) == 2


def test_nodegroup_update(deployment):
    out = coe(deployment, 'nodegroup', 'update', 'c1', 'ng1',
              '--min-nodes', '2', '--max-nodes', '6',
              '--node-labels', 'tier=db,zone=a',
              '--node-taints', 'gpu:NoExecute')
    assert out == 'Request to update nodegroup ng1 has been accepted.\n'
    nodegroup = deployment.wait_nodegroup('c1', 'ng1', 'UPDATE_COMPLETE')
    assert (nodegroup['min_node_count'], nodegroup['max_node_count']) == (
        2, 6)
    assert nodegroup['node_labels'] == {'tier': 'db', 'zone': 'a'}
    assert [(t['key'], t['effect']) for t in nodegroup['node_taints']] == [
        ('gpu', 'NoExecute')]


def test_stats_list(deployment):
    # c1: 1 master, 4 workers, 2 in ng1; s1: 1 master, 1 worker.
    assert properties(coe(deployment, 'stats', 'list', NOAUTH_PROJECT)) == {
        'clusters': '2', 'nodes': '9'}
    assert properties(coe(deployment, 'stats', 'list', 'no-such-project')
                      ) == {'clusters': '0', 'nodes': '0'}


def test_nodegroup_delete(deployment):
    out = coe(deployment, 'nodegroup', 'delete', 'c1', 'ng1')
    assert out == 'Request to delete nodegroup ng1 has been accepted.\n'
    deployment.wait_nodegroup('c1', 'ng1', None)


# Certificates and credentials ----------------------------------------------

def test_ca_show(deployment):
    ca = pem_certificate(coe(deployment, 'ca', 'show', 'c1'))
    assert_issued_by(ca, ca)
    deployment.state['ca'] = ca


def test_ca_sign(deployment):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, 'admin'),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'system:masters')])
    csr = x509.CertificateSigningRequestBuilder().subject_name(
        subject).sign(key, hashes.SHA256())
    csr_path = deployment.directory / 'client.csr'
    csr_path.write_bytes(csr.public_bytes(serialization.Encoding.PEM))

    signed = pem_certificate(coe(deployment, 'ca', 'sign', 'c1',
                                 str(csr_path)))
    assert_issued_by(signed, deployment.state['ca'])
    assert signed.subject == subject
    assert (signed.public_key().public_numbers() ==
            key.public_key().public_numbers())


def test_cluster_config_kubernetes(deployment):
    directory = deployment.directory / 'kube'
    directory.mkdir()
    out = coe(deployment, 'cluster', 'config', 'c1', '--dir', str(directory))
    assert out == 'export KUBECONFIG=%s/config\n\n' % directory

    config = yaml.safe_load((directory / 'config').read_text())
    (cluster,) = config['clusters']
    assert cluster['name'] == 'c1'
    assert cluster['cluster']['server'] == 'https://192.0.2.1:6443'
    ca = x509.load_pem_x509_certificate(
        base64.b64decode(cluster['cluster']['certificate-authority-data']))
    assert ca == deployment.state['ca']
    (user,) = config['users']
    certificate = x509.load_pem_x509_certificate(
        base64.b64decode(user['user']['client-certificate-data']))
    assert_issued_by(certificate, ca)
    assert_key_matches(base64.b64decode(user['user']['client-key-data']),
                       certificate)
    assert config['current-context'] == 'default'
    deployment.state['client-certificate'] = certificate


def test_cluster_config_swarm_mode(deployment):
    directory = deployment.directory / 'docker'
    directory.mkdir()
    out = coe(deployment, 'cluster', 'config', 's1', '--dir', str(directory),
              '--output-certs')
    assert out == ('export DOCKER_HOST=https://192.0.2.1:6443\n'
                   'export DOCKER_CERT_PATH=%s\n'
                   'export DOCKER_TLS_VERIFY=True\n\n' % directory)
    # The files DOCKER_CERT_PATH points the docker client at.
    assert sorted(os.listdir(directory)) == ['ca.pem', 'cert.pem', 'key.pem']
    ca = x509.load_pem_x509_certificate((directory / 'ca.pem').read_bytes())
    assert ca == pem_certificate(coe(deployment, 'ca', 'show', 's1'))
    assert ca != deployment.state['ca']
    certificate = x509.load_pem_x509_certificate(
        (directory / 'cert.pem').read_bytes())
    assert_issued_by(certificate, ca)
    assert_key_matches((directory / 'key.pem').read_bytes(), certificate)


def test_ca_rotate(deployment):
    out = coe(deployment, 'ca', 'rotate', 'c1')
    assert out == ('Request to rotate the CA certificate for cluster %s has '
                   'been accepted.\n' % deployment.state['c1'])
    deployment.wait_cluster('c1', 'UPDATE_COMPLETE')

    rotated = pem_certificate(coe(deployment, 'ca', 'show', 'c1'))
    assert rotated != deployment.state['ca']
    assert_issued_by(rotated, rotated)
    # Certificates of the old CA no longer chain to the cluster's CA.
    with pytest.raises(Exception):
        deployment.state['client-certificate'].verify_directly_issued_by(
            rotated)


def test_credential_rotate(deployment):
    out = coe(deployment, 'credential', 'rotate', 's1')
    assert out == ('Request to rotate credentials for cluster %s accepted.\n'
                   % deployment.state['s1'])

    # The client prints a failure and still exits 0: the output is all
    # there is to check. FakeDriver keeps the base class's NotSupported.
    out = coe(deployment, 'credential', 'rotate', 'c1')
    assert re.fullmatch(
        r'Credential rotation failed: Rotating the credential of this '
        r'cluster type is not supported \(HTTP 400\) \(Request-ID: req-%s\)\n'
        % UUID_RE, out), out


# Quotas, stats, services ----------------------------------------------------

def test_quotas_create(deployment):
    project = 'p-%s' % uuid.uuid4().hex[:8]
    deployment.state['project'] = project
    created = properties(coe(deployment, 'quotas', 'create',
                             '--project-id', project,
                             '--resource', 'Cluster', '--hard-limit', '10'))
    assert created.pop('created_at') != '-'
    assert created.pop('id').isdigit()
    assert created == {'project_id': project, 'resource': 'Cluster',
                       'hard_limit': '10', 'updated_at': '-'}


def test_quotas_list(deployment):
    project = deployment.state['project']
    # Without --all-tenants only the caller's own project is listed.
    assert table(coe(deployment, 'quotas', 'list')) == []
    assert table(coe(deployment, 'quotas', 'list', '--all-tenants')) == [
        {'project_id': project, 'resource': 'Cluster', 'hard_limit': '10'}]


def test_quotas_show(deployment):
    shown = properties(coe(deployment, 'quotas', 'show', '--project-id',
                           deployment.state['project'],
                           '--resource', 'Cluster'))
    assert (shown['project_id'], shown['resource'], shown['hard_limit']) == (
        deployment.state['project'], 'Cluster', '10')


def test_quotas_update(deployment):
    updated = properties(coe(deployment, 'quotas', 'update', '--project-id',
                             deployment.state['project'],
                             '--resource', 'Cluster', '--hard-limit', '5'))
    assert (updated['project_id'], updated['hard_limit']) == (
        deployment.state['project'], '5')
    assert updated['updated_at'] != '-'


def test_quotas_delete(deployment):
    project = deployment.state['project']
    out = coe(deployment, 'quotas', 'delete', '--project-id', project,
              '--resource', 'Cluster')
    assert out == ('Request to delete quota for project id %s and resource '
                   'Cluster has been accepted.\n' % project)
    assert table(coe(deployment, 'quotas', 'list', '--all-tenants')) == []


def test_service_list(deployment):
    listed = json.loads(coe(deployment, 'service', 'list', '-f', 'json'))
    assert [(s['host'], s['binary'], s['state'], s['disabled'])
            for s in listed] == [
        (deployment.host, 'magnum-conductor', 'up', False)]


# Deletion -------------------------------------------------------------------

def test_cluster_delete(deployment):
    out = coe(deployment, 'cluster', 'delete', 'c1', 's1')
    assert out == ('Request to delete cluster c1 has been accepted.\n'
                   'Request to delete cluster s1 has been accepted.\n')
    for name in ('c1', 's1'):
        deployment.wait_cluster(deployment.state[name], None)
    assert json.loads(coe(deployment, 'cluster', 'list', '-f', 'json')) == []


def test_cluster_template_delete(deployment):
    out = coe(deployment, 'cluster', 'template', 'delete',
              'k8s', 'k8s-v2', 'swarm')
    assert out == ''.join(
        'Request to delete cluster template %s has been accepted.\n' % name
        for name in ('k8s', 'k8s-v2', 'swarm'))
    assert json.loads(coe(deployment, 'cluster', 'template', 'list',
                          '-f', 'json')) == []
