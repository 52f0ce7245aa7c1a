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

"""swarm_docker stack parameters, outputs and labels, without Heat or Docker.

The Heat stack, the Docker engine and the CA are replaced by tables: what
the driver reads from each, and what it must send.
"""

import datetime
import hashlib
import json
import types

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509 as crypto_x509
from docker import errors as docker_errors
import pytest
import yaml

from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.drivers import base
from magnum_lite.drivers import loader
from magnum_lite.drivers.swarm_docker import container_api
from magnum_lite.drivers.swarm_docker import driver as swarm_driver
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import image
from magnum_lite.drivers.swarm_docker import tls

UUID = '8b8a73c5-0000-4000-8000-000000000000'
CIDR = '10.200.7.0/24'


def _nodegroup(role, count, name=None, is_default=True, stack_id=None):
    return types.SimpleNamespace(
        uuid='ng-' + (name or role), name=name or 'default-' + role,
        role=role, node_count=count, is_default=is_default,
        stack_id=stack_id)


def _cluster(stack_id=None, labels=None):
    return types.SimpleNamespace(uuid=UUID, name='sw1', labels=labels or {},
                                 stack_id=stack_id, api_address=None)


MASTERS = _nodegroup(states.NODEGROUP_ROLE_MASTER, 1)


class TableServices(base.ClusterServices):
    """The conductor's services as a table: one CA, no templates."""

    def cluster_template(self, cluster):
        return None

    def ca_certificate(self, cluster_uuid, ca_type=None):
        return 'CA'

    def ca_key_pair(self, cluster_uuid, ca_type=None):
        raise AssertionError('swarm_docker never sees a CA key')

    def sign(self, cluster_uuid, csr, ca_type=None):
        raise AssertionError('node certificates are tables here')


@pytest.fixture
def driver(monkeypatch):
    """The driver, with the engine, the CA and Heat's answers as tables."""
    signed = []

    def node_certificate(services, cluster_uuid, name, address):
        signed.append((name, address))
        return 'CERT-' + name, 'KEY-' + name

    monkeypatch.setattr(engine, 'host_client', lambda: object())
    monkeypatch.setattr(engine, 'used_subnets', lambda client: [])
    monkeypatch.setattr(engine, 'node_tls', lambda client, uuid: {})
    monkeypatch.setattr(engine, 'network_carries_legacy_labels',
                        lambda client, network: False)
    monkeypatch.setattr(swarm_driver, '_network_addresses',
                        lambda client, network: [])
    monkeypatch.setattr(image, 'ensure_image', lambda client: 'node:v1')
    monkeypatch.setattr(tls, 'node_certificate', node_certificate)
    instance = swarm_driver.SwarmDockerDriver(TableServices())
    instance.signed = signed
    instance.stack_params = {}
    monkeypatch.setattr(instance, '_stack_parameters',
                        lambda context, cluster, stack_id:
                        instance.stack_params[stack_id])
    return instance


def _template_parameters(name):
    with open('%s/%s' % (swarm_driver.TEMPLATES, name)) as template:
        return set(yaml.safe_load(template)['parameters'])


def _template(definition):
    return json.loads(definition.template)


def _node_resources(definition):
    return sorted(name for name, resource in
                  _template(definition)['resources'].items()
                  if resource['type'] == 'DockerInc::Docker::Container')


def test_new_cluster_parameters(driver):
    workers = _nodegroup(states.NODEGROUP_ROLE_WORKER, 2)
    definition = driver.stack_definition(
        None, _cluster(labels={'swarm_network_cidr': CIDR}), None,
        [MASTERS, workers])
    params = definition.parameters
    assert set(params) <= _template_parameters('cluster.yaml')
    # One resource per node in the stack itself: no nested templates.
    assert definition.files == {}
    assert _node_resources(definition) == ['manager-0', 'worker-0',
                                           'worker-1']
    outputs = _template(definition)['outputs']
    assert outputs['worker_addresses']['value'] == [
        {'get_attr': ['worker-0', 'network_ip']},
        {'get_attr': ['worker-1', 'network_ip']}]
    assert outputs['manager_ports']['value'] == [
        {'get_attr': ['manager-0', 'published_ports']}]
    assert params['image'] == 'node:v1'
    assert params['network_cidr'] == CIDR
    assert params['dynamic_range'] == '10.200.7.128/25'
    assert params['manager_address'] == '10.200.7.2'
    assert params['network_name'] == 'magnum-lite-sw1-8b8a73c5'
    assert (params['master_count'], params['worker_count']) == (1, 2)
    assert params['worker_removal_list'] == []
    assert params['master_nodes'] == {'0': {
        'name': 'sw1-manager-0', 'container': 'sw1-8b8a73c5-manager-0',
        'address': '10.200.7.2', 'bootstrap': 'init',
        'cert': 'CERT-sw1-manager-0', 'key': 'KEY-sw1-manager-0'}}
    assert {i: (n['name'], n['address'], n['bootstrap'])
            for i, n in params['worker_nodes'].items()} == {
        '0': ('sw1-worker-0', '10.200.7.10', 'join'),
        '1': ('sw1-worker-1', '10.200.7.11', 'join')}
    # every certificate names its node and its fixed address
    assert driver.signed == [('sw1-manager-0', '10.200.7.2'),
                             ('sw1-worker-0', '10.200.7.10'),
                             ('sw1-worker-1', '10.200.7.11')]


def test_a_subnet_is_picked_when_no_label_gives_one(driver, monkeypatch):
    monkeypatch.setattr(engine, 'used_subnets', lambda client: [CIDR])
    params = driver.stack_definition(
        None, _cluster(), None,
        [MASTERS, _nodegroup(states.NODEGROUP_ROLE_WORKER, 1)]).parameters
    assert params['network_cidr'] != CIDR
    assert params['network_cidr'].startswith('10.200.')


def test_an_update_keeps_the_certificates_of_kept_nodes(driver,
                                                        monkeypatch):
    driver.stack_params['stack'] = {
        'network_cidr': CIDR, 'worker_removal_list': '["1"]',
        'master_removal_list': '[]', 'worker_count': '2'}
    running = {('default-master', '0'): {'cert': 'C-m0', 'key': 'K-m0'},
               ('default-worker', '0'): {'cert': 'C-w0', 'key': 'K-w0'},
               ('default-worker', '2'): {'cert': 'C-w2', 'key': 'K-w2'}}
    monkeypatch.setattr(engine, 'node_tls', lambda client, uuid: running)
    params = driver.stack_definition(
        None, _cluster(stack_id='stack'), None,
        [MASTERS, _nodegroup(states.NODEGROUP_ROLE_WORKER, 3)]).parameters
    # the network, image and CA of a stack are never sent again
    assert not {'image', 'network_cidr', 'ca_cert'} & set(params)
    assert params['worker_removal_list'] == ['1']
    assert {i: n['cert'] for i, n in params['worker_nodes'].items()} == {
        '0': 'C-w0', '2': 'C-w2', '3': 'CERT-sw1-worker-3'}
    assert params['master_nodes']['0']['key'] == 'K-m0'
    assert driver.signed == [('sw1-worker-3', '10.200.7.13')]


def _labels(definition, resource):
    return set(_template(definition)['resources'][resource]['properties']
               ['labels'])


def test_an_update_keeps_the_label_names_of_kept_nodes_and_network(
        driver, monkeypatch):
    # A cluster made by an earlier release: its network and nodes carry
    # the old label names, and Heat would replace them if they changed.
    driver.stack_params['stack'] = {
        'network_cidr': CIDR, 'network_name': 'net-sw1',
        'worker_removal_list': '[]', 'master_removal_list': '[]',
        'worker_count': '1', 'master_count': '1',
        'master_nodegroup': 'default-master',
        'worker_nodegroup': 'default-worker'}
    running = {('default-master', '0'): {'cert': 'C-m0', 'key': 'K-m0',
                                         'legacy_labels': True},
               ('default-worker', '0'): {'cert': 'C-w0', 'key': 'K-w0',
                                         'legacy_labels': True}}
    monkeypatch.setattr(engine, 'node_tls', lambda client, uuid: running)
    asked = []
    monkeypatch.setattr(engine, 'network_carries_legacy_labels',
                        lambda client, network: asked.append(network) or
                        True)
    definition = driver.stack_definition(
        None, _cluster(stack_id='stack'), None,
        [MASTERS, _nodegroup(states.NODEGROUP_ROLE_WORKER, 2)])
    assert asked == ['net-sw1']
    old = {'magnum_lite.cluster', 'magnum_lite.nodegroup',
           'magnum_lite.node', 'magnum_lite.index', 'magnum_lite.role'}
    assert _labels(definition, 'manager-0') == old
    assert _labels(definition, 'worker-0') == old
    assert _labels(definition, 'network') == {'magnum_lite.cluster'}
    assert _labels(definition, 'worker-1') == {
        'org.openstack.magnum-lite.' + key
        for key in ('cluster', 'nodegroup', 'node', 'index', 'role')}

    # A resize writes the whole stack again: the same names survive it.
    definition, _gone = driver._resize(
        None, _cluster(stack_id='stack'),
        _nodegroup(states.NODEGROUP_ROLE_WORKER, 2), 2, [])
    assert _labels(definition, 'manager-0') == old
    assert _labels(definition, 'worker-0') == old
    assert _labels(definition, 'network') == {'magnum_lite.cluster'}
    assert 'org.openstack.magnum-lite.cluster' in _labels(definition,
                                                          'worker-1')


def test_a_nodegroup_stack_keeps_the_label_names_of_its_kept_nodes(
        driver, monkeypatch):
    driver.stack_params['stack'] = CLUSTER_STACK
    driver.stack_params['gpu-stack'] = {'node_count': '1',
                                        'removal_list': '[]',
                                        'nodegroup': 'gpu'}
    monkeypatch.setattr(engine, 'node_tls', lambda client, uuid: {
        ('gpu', '0'): {'cert': 'C@10.200.7.200', 'key': 'K-0',
                       'legacy_labels': True}})
    monkeypatch.setattr(tls, 'node_address',
                        lambda cert: cert.partition('@')[2])
    definition = driver.nodegroup_stack_definition(
        None, _cluster(stack_id='stack'), None, _gpu(2, stack_id='gpu-stack'))
    assert 'magnum_lite.index' in _labels(definition, 'node-0')
    assert 'org.openstack.magnum-lite.index' in _labels(definition, 'node-1')


@pytest.mark.parametrize(
    'count, now, removal, to_remove, nodes, new_removal, leaving', [
        (3, '2', '[]', [], ['0', '1', '2'], [], []),
        (2, '3', '[]', ['sw1-worker-1'], ['0', '2'], ['1'], ['sw1-worker-1']),
        (1, '3', '[]', [], ['0'], [], ['sw1-worker-1', 'sw1-worker-2']),
        (2, '2', '["1"]', ['10.200.7.10'], ['2', '3'], ['0', '1'],
         ['sw1-worker-0']),
    ])
def test_resize_parameters(driver, count, now, removal, to_remove, nodes,
                           new_removal, leaving):
    driver.stack_params['stack'] = {
        'network_cidr': CIDR, 'worker_count': now,
        'worker_removal_list': removal, 'master_count': '1',
        'master_removal_list': '[]'}
    workers = _nodegroup(states.NODEGROUP_ROLE_WORKER, count)
    definition, gone = driver._resize(None, _cluster(stack_id='stack'),
                                      workers, count, to_remove)
    params = definition.parameters
    assert params['worker_count'] == count
    assert sorted(params['worker_nodes'], key=int) == nodes
    # Only the resized group's parameters change; the template has the
    # nodes of both groups.
    assert set(params) == {'worker_count', 'worker_removal_list',
                           'worker_nodes'}
    assert _node_resources(definition) == sorted(
        ['manager-0'] + ['worker-%s' % index for index in nodes])
    assert params['worker_removal_list'] == new_removal
    assert gone == leaving


def test_resize_of_an_unknown_node_is_refused(driver):
    driver.stack_params['stack'] = {
        'network_cidr': CIDR, 'worker_count': '2',
        'worker_removal_list': '[]'}
    with pytest.raises(exception.InvalidParameterValue):
        driver.resize_parameters(
            _cluster(stack_id='stack'),
            _nodegroup(states.NODEGROUP_ROLE_WORKER, 1), 1,
            ['sw1-worker-7'])


def test_managers_are_not_resized(driver):
    with pytest.raises(exception.NotSupported):
        driver.resize_parameters(_cluster(stack_id='stack'), MASTERS, 3, [])


CLUSTER_STACK = {'image': 'node:v1', 'network_name': 'magnum-lite-sw1-8b8a73c5',
                 'manager_address': '10.200.7.2', 'network_cidr': CIDR}
# The start of the search of nodegroup "gpu" in the upper half of CIDR.
GPU_FIRST = 128 + int(hashlib.sha256(b'gpu').hexdigest(), 16) % 127


def _gpu(count, stack_id=None):
    return _nodegroup(states.NODEGROUP_ROLE_WORKER, count, name='gpu',
                      is_default=False, stack_id=stack_id)


def _running(monkeypatch, nodes):
    """Node containers of the engine: {(group, index): address}."""
    monkeypatch.setattr(engine, 'node_tls', lambda client, uuid: {
        key: {'cert': 'C@' + address, 'key': 'K-' + key[1]}
        for key, address in nodes.items()})
    monkeypatch.setattr(tls, 'node_address',
                        lambda cert: cert.partition('@')[2])


def test_nodegroup_stack_parameters(driver):
    driver.stack_params['stack'] = CLUSTER_STACK
    params = driver.nodegroup_stack_definition(
        None, _cluster(stack_id='stack'), None, _gpu(2)).parameters
    assert set(params) <= _template_parameters('nodegroup.yaml')
    assert params['network'] == 'magnum-lite-sw1-8b8a73c5'
    assert params['role'] == 'worker'
    # Fixed addresses of the upper half, side by side, each named by the
    # node's certificate.
    first = '10.200.7.%d' % GPU_FIRST
    second = '10.200.7.%d' % (GPU_FIRST + 1 if GPU_FIRST < 254 else 128)
    assert {i: (n['name'], n['address']) for i, n in
            params['nodes'].items()} == {'0': ('sw1-gpu-0', first),
                                         '1': ('sw1-gpu-1', second)}
    assert driver.signed == [('sw1-gpu-0', first), ('sw1-gpu-1', second)]


def test_nodegroup_addresses_avoid_those_in_use(driver, monkeypatch):
    driver.stack_params['stack'] = CLUSTER_STACK
    first = '10.200.7.%d' % GPU_FIRST
    following = '10.200.7.%d' % (GPU_FIRST + 1 if GPU_FIRST < 254 else 128)
    # One on the network, one in a stopped node of another nodegroup.
    monkeypatch.setattr(swarm_driver, '_network_addresses',
                        lambda client, network: [first, '10.200.7.2'])
    _running(monkeypatch, {('other', '0'): following})
    params = driver.nodegroup_stack_definition(
        None, _cluster(stack_id='stack'), None, _gpu(1)).parameters
    address = params['nodes']['0']['address']
    assert address not in (first, following)
    assert 128 <= int(address.rsplit('.', 1)[1]) < 255


def test_a_nodegroup_update_keeps_its_nodes_addresses(driver, monkeypatch):
    driver.stack_params['stack'] = CLUSTER_STACK
    driver.stack_params['gpu-stack'] = {'node_count': '2',
                                        'removal_list': '[]'}
    # Node 1 was made while Docker chose extra nodes' addresses: its
    # certificate names none, and it keeps none.
    _running(monkeypatch, {('gpu', '0'): '10.200.7.200', ('gpu', '1'): ''})
    params = driver.nodegroup_stack_definition(
        None, _cluster(stack_id='stack'), None,
        _gpu(3, stack_id='gpu-stack')).parameters
    nodes = params['nodes']
    assert (nodes['0']['address'], nodes['0']['cert']) == (
        '10.200.7.200', 'C@10.200.7.200')
    assert (nodes['1']['address'], nodes['1']['cert']) == ('', 'C@')
    assert nodes['2']['address'] not in ('', '10.200.7.200')
    assert driver.signed == [('sw1-gpu-2', nodes['2']['address'])]
    assert 'network' not in params


def test_resize_of_a_nodegroup_of_its_own_stack(driver, monkeypatch):
    driver.stack_params['stack'] = CLUSTER_STACK
    driver.stack_params['gpu-stack'] = {'node_count': '2',
                                        'removal_list': '[]'}
    _running(monkeypatch, {('gpu', '0'): '10.200.7.200',
                           ('gpu', '1'): '10.200.7.201'})
    # Named by its address, as `nodes_to_remove` may name it.
    definition, gone = driver._resize(None, _cluster(stack_id='stack'),
                                      _gpu(2, stack_id='gpu-stack'), 2,
                                      ['10.200.7.200'])
    params = definition.parameters
    assert _node_resources(definition) == ['node-1', 'node-2']
    assert params['removal_list'] == ['0']
    assert gone == ['sw1-gpu-0']
    assert params['nodes']['1']['address'] == '10.200.7.201'
    new = params['nodes']['2']['address']
    assert new not in ('10.200.7.200', '10.200.7.201', '')
    assert driver.signed == [('sw1-gpu-2', new)]


def test_a_node_certificate_names_its_address():
    ca_key = ec.generate_private_key(ec.SECP256R1())

    def sign(cluster_uuid, csr_pem):
        csr = crypto_x509.load_pem_x509_csr(csr_pem)
        now = datetime.datetime.now(datetime.timezone.utc)
        builder = crypto_x509.CertificateBuilder(
            subject_name=csr.subject, issuer_name=csr.subject,
            public_key=csr.public_key(),
            serial_number=crypto_x509.random_serial_number(),
            not_valid_before=now,
            not_valid_after=now + datetime.timedelta(days=1))
        for extension in csr.extensions:
            builder = builder.add_extension(extension.value,
                                            extension.critical)
        return builder.sign(ca_key, hashes.SHA256()).public_bytes(
            serialization.Encoding.PEM).decode()

    services = types.SimpleNamespace(sign=sign)
    cert, _ = tls.node_certificate(services, UUID, 'sw1-gpu-0',
                                   '10.200.7.140')
    assert tls.node_address(cert) == '10.200.7.140'
    names = crypto_x509.load_pem_x509_certificate(
        cert.encode()).extensions.get_extension_for_class(
            crypto_x509.SubjectAlternativeName).value
    assert names.get_values_for_type(crypto_x509.DNSName) == [
        'sw1-gpu-0', 'localhost']
    # A node without a fixed address: only the loopback is named.
    cert, _ = tls.node_certificate(services, UUID, 'sw1-gpu-1', '')
    assert tls.node_address(cert) == ''


def test_too_many_managers_are_refused(driver):
    with pytest.raises(exception.InvalidParameterValue):
        driver.stack_definition(
            None, _cluster(labels={'swarm_network_cidr': CIDR}), None,
            [_nodegroup(states.NODEGROUP_ROLE_MASTER, 9),
             _nodegroup(states.NODEGROUP_ROLE_WORKER, 1)])


PORTS = [{'2376/tcp': [32790]}, {'2376/tcp': [32791]}]


@pytest.mark.parametrize('outputs, api, masters, workers', [
    ({'manager_ports': PORTS, 'master_addresses': ['10.200.7.2'],
      'worker_addresses': ['10.200.7.10', '10.200.7.12']},
     'tcp://127.0.0.1:32790', ['10.200.7.2'], ['10.200.7.10', '10.200.7.12']),
    # a manager without a published port yet: the next one answers
    ({'manager_ports': [{}, {'2376/tcp': [32791]}]},
     'tcp://127.0.0.1:32791', [], []),
    ({}, None, [], []),
    ({'manager_ports': None, 'worker_addresses': None}, None, [], []),
])
def test_read_outputs(outputs, api, masters, workers):
    worker_group = _nodegroup(states.NODEGROUP_ROLE_WORKER, 2)
    extra = _nodegroup(states.NODEGROUP_ROLE_WORKER, 1, name='gpu',
                       is_default=False)
    fields, addresses = swarm_driver.SwarmDockerDriver().read_outputs(
        outputs, _cluster(), [MASTERS, worker_group, extra])
    assert fields == {'api_address': api}
    assert addresses == {MASTERS.uuid: masters, worker_group.uuid: workers}


def test_read_outputs_of_a_nodegroup_stack():
    extra = _nodegroup(states.NODEGROUP_ROLE_WORKER, 1, name='gpu',
                       is_default=False)
    assert swarm_driver.SwarmDockerDriver().read_outputs(
        {'addresses': ['10.200.7.130']}, _cluster(), [extra],
        nodegroup=extra) == ({}, {extra.uuid: ['10.200.7.130']})


@pytest.mark.parametrize('labels, valid', [
    ({}, True),
    ({'swarm_node_image': 'magnum-lite/swarm-node:x'}, True),
    ({'swarm_network_cidr': CIDR, 'swarm_join_timeout': '60'}, True),
    ({'swarm_join_timeout': 60}, True),
    ({'swarm_join_timeout': 'soon'}, False),
    ({'swarm_node_image': ''}, False),
    ({'kube_tag': 'v1.30'}, False),
])
def test_labels(labels, valid):
    driver = swarm_driver.SwarmDockerDriver()
    if valid:
        driver.validate_labels(labels)
    else:
        with pytest.raises(exception.InvalidLabels):
            driver.validate_labels(labels)


def test_the_entry_point_serves_swarm_mode_containers_on_any_distro():
    loader.reset()
    try:
        found = loader.get_driver('container', 'fedora-coreos', 'swarm-mode')
        assert isinstance(found, swarm_driver.SwarmDockerDriver)
        assert loader.get_driver_name('container', 'debian',
                                      'swarm-mode') == 'swarm_docker'
    finally:
        loader.reset()


def test_a_stack_of_nested_node_groups_is_not_updated(driver):
    # Made before the nodes were resources of the cluster stack: the flat
    # template would replace every node, so the update is refused.
    driver.stack_params['stack'] = {
        'network_cidr': CIDR, 'worker_count': '2', 'master_count': '1',
        'worker_removal_list': '[]', 'master_removal_list': '[]',
        'update_max_batch_size': '1'}
    with pytest.raises(exception.NotSupported, match='create it again'):
        driver.resize_parameters(
            _cluster(stack_id='stack'),
            _nodegroup(states.NODEGROUP_ROLE_WORKER, 3), 3, [])
    del driver.stack_params['stack']['update_max_batch_size']
    assert driver.resize_parameters(
        _cluster(stack_id='stack'),
        _nodegroup(states.NODEGROUP_ROLE_WORKER, 3), 3,
        [])['worker_count'] == 3


class _NodeClient:
    """A node's Docker client that has only the images it is given."""

    def __init__(self, images):
        self.images = types.SimpleNamespace(get=self._get)
        self._images = images

    def _get(self, name):
        if name not in self._images:
            raise docker_errors.ImageNotFound(name)
        return name

    def info(self):
        return {'Name': 'sw1-worker-0'}


def test_containers_get_images_the_nodes_lack_from_the_host(monkeypatch):
    host = swarm_driver.SwarmDockerDriver(TableServices()).container_host()
    assert isinstance(host, container_api.SwarmDockerContainerHost)
    copies, closed = [], []
    engine_client = types.SimpleNamespace(close=lambda: closed.append(1))
    monkeypatch.setattr(engine, 'host_client', lambda: engine_client)
    monkeypatch.setattr(container_api.images, 'copy_image',
                        lambda client, uuid, image, nodes: copies.append(
                            (client, uuid, image, nodes)))
    cluster = _cluster()
    host.ensure_image(cluster, _NodeClient({'busybox'}), 'busybox')
    assert copies == []
    host.ensure_image(cluster, _NodeClient(set()), 'busybox')
    assert copies == [(engine_client, UUID, 'busybox', ['sw1-worker-0'])]
    assert closed == [1]
