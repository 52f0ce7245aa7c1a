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

"""The client certificate kept per cluster for the nodes' Docker APIs."""

import datetime
import os
import stat

from cryptography import x509 as crypto_x509
from cryptography.x509 import oid

from magnum_lite.conductor import certificates
from magnum_lite.conductor import container_tls
from tests.fakes import fixtures as fake_fixtures


def _cluster(database):
    template = fake_fixtures.make_template(database)
    cluster = fake_fixtures.make_cluster(database, template)
    certificates.generate_cluster_cas(database, cluster)
    return cluster


def _contents(paths):
    result = []
    for path in paths:
        with open(path) as pem_file:
            result.append(pem_file.read())
    return result


def test_made_once_kept_private_and_signed_by_the_cluster_ca(
        database, certificate_config, tmp_path):
    cluster = _cluster(database)
    paths = container_tls.client_files(database, cluster.uuid)
    assert os.path.dirname(paths[0]) == str(
        tmp_path / 'containers' / cluster.uuid)
    for path in paths:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    ca_pem, cert_pem, _ = _contents(paths)
    assert ca_pem == certificates.get_ca_certificate(database, cluster.uuid)
    cert = crypto_x509.load_pem_x509_certificate(cert_pem.encode())
    ca = crypto_x509.load_pem_x509_certificate(ca_pem.encode())
    assert cert.issuer == ca.subject
    usage = cert.extensions.get_extension_for_class(
        crypto_x509.ExtendedKeyUsage).value
    assert list(usage) == [oid.ExtendedKeyUsageOID.CLIENT_AUTH]
    # Asked again: the same files, not a new key.
    assert _contents(container_tls.client_files(
        database, cluster.uuid)) == _contents(paths)


def test_made_again_after_a_ca_rotation(database, certificate_config):
    cluster = _cluster(database)
    before = _contents(container_tls.client_files(database, cluster.uuid))
    certificates.rotate_cluster_cas(database, cluster)
    after = _contents(container_tls.client_files(database, cluster.uuid))
    assert after[0] != before[0] and after[1] != before[1]


def test_a_certificate_near_its_end_is_not_kept(database,
                                                certificate_config):
    cluster = _cluster(database)
    paths = container_tls.client_files(database, cluster.uuid)
    pems = _contents(paths)
    cert = crypto_x509.load_pem_x509_certificate(pems[1].encode())
    assert container_tls._still_good(pems, pems[0])
    late = cert.not_valid_after_utc - datetime.timedelta(hours=1)
    assert not container_tls._still_good(pems, pems[0], now=late)
    assert not container_tls._still_good(pems, 'another CA')
    assert not container_tls._still_good(None, pems[0])


def test_forget_removes_the_files(database, certificate_config):
    cluster = _cluster(database)
    paths = container_tls.client_files(database, cluster.uuid)
    container_tls.forget(cluster.uuid)
    assert not any(os.path.exists(p) for p in paths)
    assert not os.path.exists(container_tls.cache_dir(cluster.uuid))


def test_node_requests_connect_within_the_connect_timeout(monkeypatch):
    client = container_tls.NodeClient(base_url='tcp://127.0.0.1:1',
                                      version='1.41', timeout=60)
    sent = []
    monkeypatch.setattr(client.api, 'get',
                        lambda url, **kwargs: sent.append(kwargs) or 1 / 0)
    monkeypatch.setattr(client.api, 'post',
                        lambda url, **kwargs: sent.append(kwargs) or 1 / 0)
    for call in (lambda: client.api.inspect_container('abc'),
                 # The SDK adds the stop's grace period to its timeout.
                 lambda: client.api.stop('abc', timeout=10)):
        try:
            call()
        except ZeroDivisionError:
            pass
    connect = container_tls.CONNECT_TIMEOUT
    assert [k['timeout'] for k in sent] == [(connect, 60), (connect, 70)]
    client.close()
