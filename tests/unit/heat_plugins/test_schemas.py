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

"""The resource types, their properties and what updates in place."""

import pytest

from heat_plugins.resources import container
from heat_plugins.resources import network
from heat_plugins.resources import volume

# What templates written for the DockerInc::Docker::Container type of
# earlier Heat releases use; they must keep working unchanged.
LEGACY_PROPERTIES = (
    'docker_endpoint', 'hostname', 'user', 'memory', 'port_specs',
    'port_bindings', 'links', 'name', 'privileged', 'tty', 'open_stdin',
    'stdin_once', 'env', 'cmd', 'dns', 'image', 'volumes', 'volumes_from',
    'restart_policy', 'cap_add', 'cap_drop', 'read_only', 'cpu_shares',
    'devices', 'cpu_set')
LEGACY_ATTRIBUTES = (
    'info', 'network_info', 'network_ip', 'network_gateway',
    'network_tcp_ports', 'network_udp_ports', 'logs', 'logs_head',
    'logs_tail')


@pytest.mark.parametrize('module, name, cls', [
    (container, 'DockerInc::Docker::Container', container.DockerContainer),
    (network, 'DockerInc::Docker::Network', network.DockerNetwork),
    (volume, 'DockerInc::Docker::Volume', volume.DockerVolume),
])
def test_resource_mapping(module, name, cls):
    assert module.resource_mapping() == {name: cls}


@pytest.mark.parametrize('name', LEGACY_PROPERTIES)
def test_legacy_property_kept(name):
    assert name in container.DockerContainer.properties_schema


@pytest.mark.parametrize('name', LEGACY_ATTRIBUTES)
def test_legacy_attribute_kept(name):
    assert name in container.DockerContainer.attributes_schema


@pytest.mark.parametrize('cls', [container.DockerContainer,
                                 network.DockerNetwork, volume.DockerVolume])
def test_every_resource_takes_tls_endpoint(cls):
    for name in ('docker_endpoint', 'tls_ca_cert', 'tls_client_cert',
                 'tls_client_key', 'tls_verify'):
        assert name in cls.properties_schema
    assert set(cls.PROPERTIES) == set(cls.properties_schema)
    assert set(cls.ATTRIBUTES) == set(cls.attributes_schema)


def test_only_what_docker_can_change_updates_in_place():
    schema = container.DockerContainer.properties_schema
    in_place = {k for k, v in schema.items() if v.update_allowed}
    tls = {'tls_ca_cert', 'tls_client_cert', 'tls_client_key', 'tls_verify'}
    assert in_place == {
        'name', 'restart_policy', 'memory', 'memory_reservation',
        'memory_swap', 'cpu_shares', 'cpu_set', 'cpu_quota',
        'cpu_period'} | tls
    # Docker cannot change networks and volumes: only new TLS material
    # is taken without a new object.
    for cls in (network.DockerNetwork, volume.DockerVolume):
        assert {k for k, v in cls.properties_schema.items()
                if v.update_allowed} == tls
