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

"""The shared Docker client: TLS material, timeouts, environment, labels.

TLS settings are checked on a real requests session, through the same
merge of environment settings that every request of the SDK goes through.
"""

import os
import stat

import pytest
import requests

from magnum_lite.common import docker_client

PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'
ENGINE = 'https://engine.example:2376/version'
# A fixed API version: building a client then never asks an engine.
API_VERSION = '1.41'


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No CA bundle or proxy of the machine running the tests."""
    for variable in docker_client.CA_BUNDLE_VARIABLES + (
            'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy',
            'NO_PROXY', 'no_proxy', 'DOCKER_HOST', 'DOCKER_TLS_VERIFY',
            'DOCKER_CERT_PATH'):
        monkeypatch.delenv(variable, raising=False)


def _session_settings(tls):
    """What a request of a session configured by `tls` would use."""
    session = requests.Session()
    tls.configure_client(session)
    return session, session.merge_environment_settings(
        ENGINE, {}, None, None, None)


@pytest.fixture
def pem_files(tmp_path):
    paths = {}
    for name, text in (('ca', PEM), ('cert', PEM), ('key', KEY)):
        path = tmp_path / ('%s.pem' % name)
        path.write_text(text)
        paths[name] = str(path)
    return paths


# -- TLS material ------------------------------------------------------------

def test_no_tls_material_means_no_tls():
    assert docker_client.tls_config() is None
    assert docker_client.tls_config(verify=False) is None


def test_always_makes_tls_without_material():
    tls = docker_client.tls_config(always=True)
    assert isinstance(tls, docker_client.TLSConfig)
    assert tls.verify is True
    assert tls.cert is None


def test_pem_text_is_written_to_private_files():
    tls = docker_client.tls_config(ca_cert=PEM, client_cert=PEM,
                                   client_key=KEY)
    cert, key = tls.cert
    for path, text in ((tls.ca_cert, PEM), (cert, PEM), (key, KEY)):
        with open(path) as pem_file:
            assert pem_file.read() == text
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # Only the process that wrote them may even list them.
    directory = os.path.dirname(tls.ca_cert)
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert not [name for name in os.listdir(directory)
                if name.endswith('.tmp')]


def test_pem_files_are_named_by_their_content():
    first = docker_client.tls_config(ca_cert=PEM).ca_cert
    assert docker_client.tls_config(ca_cert=PEM).ca_cert == first
    assert docker_client.tls_config(ca_cert=PEM + '\n').ca_cert != first
    # The kind is part of the name: one text may be a CA and a cert.
    as_cert = docker_client.pem_path(PEM, 'cert')
    assert as_cert != first
    assert os.path.basename(first).startswith('ca-')
    assert os.path.basename(as_cert).startswith('cert-')


def test_paths_are_used_as_given(pem_files):
    tls = docker_client.tls_config(ca_cert=pem_files['ca'],
                                   client_cert=pem_files['cert'],
                                   client_key=pem_files['key'])
    assert tls.ca_cert == pem_files['ca']
    assert tls.cert == (pem_files['cert'], pem_files['key'])


@pytest.mark.parametrize('kwargs, message', [
    ({'ca_cert': '/nonexistent/ca.pem'},
     'TLS ca file /nonexistent/ca.pem does not exist'),
    ({'client_cert': '/nonexistent/cert.pem', 'client_key': KEY},
     'TLS cert file /nonexistent/cert.pem does not exist'),
    ({'client_cert': PEM}, 'TLS needs both a client certificate and its key'),
    ({'client_key': KEY}, 'TLS needs both a client certificate and its key'),
    ({'client_key': KEY, 'always': True},
     'TLS needs both a client certificate and its key'),
])
def test_bad_tls_material_is_refused(kwargs, message):
    with pytest.raises(docker_client.TLSMaterialError) as exc:
        docker_client.tls_config(**kwargs)
    assert str(exc.value) == message


# -- verification against the environment ------------------------------------

def test_explicit_ca_beats_requests_ca_bundle(monkeypatch, pem_files):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/certs/other.pem')
    tls = docker_client.tls_config(ca_cert=PEM)
    _, settings = _session_settings(tls)
    assert settings['verify'] == tls.ca_cert
    tls = docker_client.tls_config(ca_cert=pem_files['ca'])
    _, settings = _session_settings(tls)
    assert settings['verify'] == pem_files['ca']


@pytest.mark.parametrize('variable', docker_client.CA_BUNDLE_VARIABLES)
def test_no_ca_and_verify_uses_the_environment_bundle(monkeypatch,
                                                      variable):
    monkeypatch.setenv(variable, '/etc/ssl/certs/site.pem')
    tls = docker_client.tls_config(client_cert=PEM, client_key=KEY)
    assert tls.verify == '/etc/ssl/certs/site.pem'
    _, settings = _session_settings(tls)
    assert settings['verify'] == '/etc/ssl/certs/site.pem'


def test_requests_ca_bundle_comes_before_curl_ca_bundle(monkeypatch):
    monkeypatch.setenv('CURL_CA_BUNDLE', '/etc/ssl/certs/curl.pem')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/certs/requests.pem')
    tls = docker_client.tls_config(always=True)
    assert tls.verify == '/etc/ssl/certs/requests.pem'


def test_no_ca_no_environment_uses_the_default_cas():
    tls = docker_client.tls_config(always=True)
    _, settings = _session_settings(tls)
    assert settings['verify'] is True


def test_verify_off_keeps_the_client_certificate(monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/certs/site.pem')
    tls = docker_client.tls_config(client_cert=PEM, client_key=KEY,
                                   verify=False)
    session, settings = _session_settings(tls)
    assert settings['verify'] is False
    assert session.cert == tls.cert
    assert len(session.cert) == 2


def test_trust_env_is_off_so_proxies_never_apply(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    session, settings = _session_settings(
        docker_client.tls_config(ca_cert=PEM))
    assert session.trust_env is False
    assert settings['proxies'] == {}


# -- clients -----------------------------------------------------------------

@pytest.mark.parametrize('connect_timeout, timeout, expected', [
    (None, 60, 60),
    (5, 60, (5, 60)),
    (90, 60, (60, 60)),
])
def test_connect_timeout_is_split_from_the_read_timeout(
        connect_timeout, timeout, expected):
    api = docker_client.api_client('tcp://127.0.0.1:9', timeout=timeout,
                                   connect_timeout=connect_timeout,
                                   version=API_VERSION)
    assert isinstance(api, docker_client.APIClient)
    assert api._set_request_timeout({})['timeout'] == expected
    # A call that names its own timeout keeps it.
    assert api._set_request_timeout({'timeout': 3})['timeout'] == (
        3 if connect_timeout is None else (min(connect_timeout, 3), 3))


def test_client_takes_tls_and_timeouts():
    tls = docker_client.tls_config(ca_cert=PEM, client_cert=PEM,
                                   client_key=KEY)
    client = docker_client.client('tcp://127.0.0.1:9', tls=tls, timeout=30,
                                  connect_timeout=2, version=API_VERSION)
    assert isinstance(client, docker_client.DockerClient)
    assert isinstance(client.api, docker_client.APIClient)
    # The SDK turns tcp:// into https:// when TLS is on.
    assert client.api.base_url == 'https://127.0.0.1:9'
    assert client.api.verify == tls.ca_cert
    assert client.api.cert == tls.cert
    assert client.api.trust_env is False
    assert client.api._set_request_timeout({})['timeout'] == (2, 30)


def test_client_without_tls():
    api = docker_client.api_client('tcp://127.0.0.1:9', version=API_VERSION)
    assert api.base_url == 'http://127.0.0.1:9'
    assert api.timeout == 60


def test_environment_kwargs_without_docker_variables():
    assert docker_client.environment_kwargs() == {'base_url': None,
                                                  'tls': None}


def test_environment_kwargs_read_docker_host_and_cert_path(monkeypatch,
                                                           tmp_path):
    for name, text in (('ca', PEM), ('cert', PEM), ('key', KEY)):
        (tmp_path / ('%s.pem' % name)).write_text(text)
    monkeypatch.setenv('DOCKER_HOST', 'tcp://engine.example:2376')
    monkeypatch.setenv('DOCKER_TLS_VERIFY', '1')
    monkeypatch.setenv('DOCKER_CERT_PATH', str(tmp_path))
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/certs/other.pem')
    kwargs = docker_client.environment_kwargs()
    assert kwargs['base_url'] == 'tcp://engine.example:2376'
    tls = kwargs['tls']
    assert isinstance(tls, docker_client.TLSConfig)
    assert tls.cert == (str(tmp_path / 'cert.pem'),
                        str(tmp_path / 'key.pem'))
    session, settings = _session_settings(tls)
    # DOCKER_CERT_PATH's CA, not the environment's bundle.
    assert settings['verify'] == str(tmp_path / 'ca.pem')
    assert session.trust_env is False


def test_environment_kwargs_cert_path_without_verify(monkeypatch, tmp_path):
    for name, text in (('ca', PEM), ('cert', PEM), ('key', KEY)):
        (tmp_path / ('%s.pem' % name)).write_text(text)
    monkeypatch.setenv('DOCKER_HOST', 'tcp://engine.example:2376')
    monkeypatch.setenv('DOCKER_CERT_PATH', str(tmp_path))
    tls = docker_client.environment_kwargs()['tls']
    assert isinstance(tls, docker_client.TLSConfig)
    _, settings = _session_settings(tls)
    assert settings['verify'] is False


# -- labels ------------------------------------------------------------------

@pytest.mark.parametrize('component, key, name', [
    ('nova', 'instance-uuid', 'org.openstack.nova.instance-uuid'),
    ('nova', 'host', 'org.openstack.nova.host'),
    ('heat', 'stack-id', 'org.openstack.heat.stack-id'),
    ('magnum-lite', 'cluster', 'org.openstack.magnum-lite.cluster'),
])
def test_label_names_follow_one_convention(component, key, name):
    assert docker_client.label(component, key) == name


def test_every_legacy_label_has_a_current_name_in_the_convention():
    for current, legacy in docker_client.LEGACY_LABELS.items():
        assert current.startswith(docker_client.LABEL_PREFIX + '.')
        assert current == current.lower()
        assert '_' not in current
        assert legacy and current not in legacy


def test_label_names_list_the_current_name_first():
    assert docker_client.label_names('org.openstack.heat.stack-id') == (
        'org.openstack.heat.stack-id', 'heat.stack_id')
    assert docker_client.label_names('org.openstack.nova.host') == (
        'org.openstack.nova.host',)


@pytest.mark.parametrize('labels, expected', [
    ({'org.openstack.heat.stack-id': 'new'}, 'new'),
    ({'heat.stack_id': 'old'}, 'old'),
    # An object carrying both is read under the current name.
    ({'heat.stack_id': 'old', 'org.openstack.heat.stack-id': 'new'}, 'new'),
    ({'heat.stack_name': 'other'}, 'default'),
    ({}, 'default'),
    (None, 'default'),
])
def test_read_label_falls_back_to_legacy_names(labels, expected):
    assert docker_client.read_label(
        labels, 'org.openstack.heat.stack-id', default='default') == expected


def test_read_label_without_legacy_names():
    assert docker_client.read_label({'org.openstack.nova.host': 'h'},
                                    'org.openstack.nova.host') == 'h'
    assert docker_client.read_label({}, 'org.openstack.nova.host') is None


def test_label_filters_one_per_name():
    assert docker_client.label_filters('org.openstack.heat.stack-id',
                                       's-1') == [
        {'label': 'org.openstack.heat.stack-id=s-1'},
        {'label': 'heat.stack_id=s-1'}]
    assert docker_client.label_filters('org.openstack.heat.stack-id') == [
        {'label': 'org.openstack.heat.stack-id'},
        {'label': 'heat.stack_id'}]
    assert docker_client.label_filters('org.openstack.nova.host', 'h') == [
        {'label': 'org.openstack.nova.host=h'}]
