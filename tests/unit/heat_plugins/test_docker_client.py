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

"""Client construction: TLS material, errors, and the plugin directory."""

import os
import subprocess
import sys
from unittest import mock

from docker import errors as docker_errors
import pytest
import requests

from heat_plugins import plugin_dir
from heat_plugins.resources import docker_client
from magnum_lite.common import docker_client as shared

PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'


def test_no_tls_material_means_no_tls():
    assert docker_client.tls_config() is None


# How PEM text and paths become files is the shared module's, and tested
# with it (tests/unit/magnum_lite/common/test_docker_client.py).

def test_tls_material_goes_through_the_shared_module(tmp_path):
    config = docker_client.tls_config(ca_cert=PEM, client_cert=PEM,
                                      client_key=KEY)
    assert isinstance(config, shared.TLSConfig)
    assert config.ca_cert == shared.pem_path(PEM, 'ca')
    assert config.cert == (shared.pem_path(PEM, 'cert'),
                           shared.pem_path(KEY, 'key'))
    ca = tmp_path / 'ca.pem'
    ca.write_text(PEM)
    assert docker_client.tls_config(ca_cert=str(ca)).ca_cert == str(ca)


def test_clients_are_kept_per_connection_parameters(monkeypatch):
    made = []

    def api_client(**kwargs):
        made.append(kwargs)
        return mock.Mock(name='client %d' % len(made))

    monkeypatch.setattr(shared, 'api_client', api_client)
    docker_client.forget_clients()
    first = docker_client.get_client('tcp://h:1', ca_cert=PEM, timeout=5)
    assert docker_client.get_client('tcp://h:1', ca_cert=PEM,
                                    timeout=5) is first
    assert len(made) == 1
    assert (made[0]['base_url'], made[0]['timeout']) == ('tcp://h:1', 5)
    assert made[0]['tls'].ca_cert == shared.pem_path(PEM, 'ca')
    other = docker_client.get_client('tcp://h:1', ca_cert=PEM,
                                     verify=False, timeout=5)
    assert other is not first
    assert made[1]['tls'].verify is False
    assert docker_client.get_client() not in (first, other)
    assert made[2] == {'base_url': None, 'tls': None,
                       'timeout': docker_client.DEFAULT_TIMEOUT}
    docker_client.forget_clients()
    first.close.assert_called_once_with()
    assert docker_client.get_client('tcp://h:1', ca_cert=PEM,
                                    timeout=5) is not first
    docker_client.forget_clients()


@pytest.mark.parametrize('kwargs, message', [
    ({'ca_cert': '/nonexistent/ca.pem'},
     'TLS ca file /nonexistent/ca.pem does not exist'),
    ({'client_cert': PEM}, 'TLS needs both a client certificate and its key'),
    ({'client_key': KEY}, 'TLS needs both a client certificate and its key'),
])
def test_bad_tls_material(kwargs, message):
    with pytest.raises(docker_client.DockerConnectionError) as exc:
        docker_client.tls_config(**kwargs)
    assert str(exc.value) == message


def test_tls_ignores_ca_bundle_from_the_environment():
    class FakeSession(object):
        trust_env = True
    session = FakeSession()
    docker_client.tls_config(ca_cert=PEM).configure_client(session)
    assert session.verify == docker_client.tls_config(ca_cert=PEM).ca_cert
    assert session.trust_env is False


def test_verify_off_keeps_client_certificate():
    session = type('S', (), {})()
    docker_client.tls_config(client_cert=PEM, client_key=KEY,
                             verify=False).configure_client(session)
    assert session.verify is False
    assert len(session.cert) == 2


def test_unreachable_endpoint_names_it():
    with pytest.raises(docker_client.DockerConnectionError) as exc:
        docker_client.get_client('tcp://127.0.0.1:9', timeout=5)
    assert str(exc.value).startswith(
        'cannot connect to Docker endpoint tcp://127.0.0.1:9: ')


def _api_error(status, explanation):
    response = requests.Response()
    response.status_code = status
    cls = docker_errors.NotFound if status == 404 else docker_errors.APIError
    return cls('%d error' % status, response=response,
               explanation=explanation)


@pytest.mark.parametrize('raised, expected_type, message, status', [
    (_api_error(409, 'Conflict. The name is in use'),
     docker_client.DockerError, 'create x failed: Conflict. The name is in '
     'use', 409),
    (_api_error(404, 'No such container: y'), docker_client.DockerError,
     'create x failed: No such container: y', 404),
    (requests.exceptions.ConnectionError('refused'),
     docker_client.DockerConnectionError,
     'create x failed: cannot reach Docker endpoint tcp://h:1: refused',
     None),
])
def test_translated(raised, expected_type, message, status):
    with pytest.raises(expected_type) as exc:
        with docker_client.translated('create x', 'tcp://h:1'):
            raise raised
    assert str(exc.value) == message
    assert getattr(exc.value, 'status_code', None) == status
    assert docker_client.is_not_found(exc.value) is (status == 404)


def test_plugin_dir_is_the_resources_package():
    path = plugin_dir.plugin_dir()
    assert os.path.isfile(os.path.join(path, 'container.py'))
    out = subprocess.run([sys.executable, '-m', 'heat_plugins.plugin_dir'],
                         capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(path)))
    assert out.stdout == path + '\n'
