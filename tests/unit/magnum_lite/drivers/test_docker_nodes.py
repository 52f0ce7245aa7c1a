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

"""Clients of the nodes' Docker APIs: the kept client certificate."""

import datetime
import os
import stat

from cryptography import x509 as crypto_x509
from cryptography.x509 import oid

from magnum_lite.certificates import store
from magnum_lite.common import docker_client
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import base
from magnum_lite.drivers import docker_nodes
from tests.harness import cluster_rows

CONF = ml_conf.CONF


def _cluster(database):
    template = cluster_rows.make_template(database)
    cluster = cluster_rows.make_cluster(database, template)
    store.generate_cluster_cas(database, cluster)
    return cluster


def _contents(paths):
    result = []
    for path in paths:
        with open(path) as pem_file:
            result.append(pem_file.read())
    return result


def test_made_once_kept_private_and_signed_by_the_cluster_ca(
        database, services, certificate_config, tmp_path):
    cluster = _cluster(database)
    paths = docker_nodes.client_files(services, cluster.uuid)
    assert os.path.dirname(paths[0]) == str(
        tmp_path / 'containers' / cluster.uuid)
    for path in paths:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    ca_pem, cert_pem, _ = _contents(paths)
    assert ca_pem == store.get_ca_certificate(database, cluster.uuid)
    cert = crypto_x509.load_pem_x509_certificate(cert_pem.encode())
    ca = crypto_x509.load_pem_x509_certificate(ca_pem.encode())
    assert cert.issuer == ca.subject
    usage = cert.extensions.get_extension_for_class(
        crypto_x509.ExtendedKeyUsage).value
    assert list(usage) == [oid.ExtendedKeyUsageOID.CLIENT_AUTH]
    # Asked again: the same files, not a new key.
    assert _contents(docker_nodes.client_files(
        services, cluster.uuid)) == _contents(paths)


def test_made_again_after_a_ca_rotation(database, services,
                                        certificate_config):
    cluster = _cluster(database)
    before = _contents(docker_nodes.client_files(services, cluster.uuid))
    store.rotate_cluster_cas(database, cluster)
    after = _contents(docker_nodes.client_files(services, cluster.uuid))
    assert after[0] != before[0] and after[1] != before[1]


def test_a_certificate_near_its_end_is_not_kept(database, services,
                                                certificate_config):
    cluster = _cluster(database)
    paths = docker_nodes.client_files(services, cluster.uuid)
    pems = _contents(paths)
    cert = crypto_x509.load_pem_x509_certificate(pems[1].encode())
    assert docker_nodes._still_good(pems, pems[0])
    late = cert.not_valid_after_utc - datetime.timedelta(hours=1)
    assert not docker_nodes._still_good(pems, pems[0], now=late)
    assert not docker_nodes._still_good(pems, 'another CA')
    assert not docker_nodes._still_good(None, pems[0])


def test_forget_removes_the_files(database, services, certificate_config):
    cluster = _cluster(database)
    paths = docker_nodes.client_files(services, cluster.uuid)
    docker_nodes.NodeContainerHost(services).forget(cluster.uuid)
    assert not any(os.path.exists(p) for p in paths)
    assert not os.path.exists(docker_nodes.cache_dir(cluster.uuid))


def test_node_requests_connect_within_the_connect_timeout(
        database, services, certificate_config, monkeypatch):
    cluster = _cluster(database)
    CONF.set_override('connect_timeout', 3, group='docker')
    CONF.set_override('default_timeout', 40, group='docker')
    made = []
    real_client = docker_client.client

    def pinned(**kwargs):
        # A fixed API version: making the client asks no node.
        made.append(kwargs)
        return real_client(**dict(kwargs, version='1.41'))

    monkeypatch.setattr(docker_client, 'client', pinned)
    host = docker_nodes.NodeContainerHost(services)
    try:
        client = host.node_client(cluster.uuid, '192.0.2.7')
    finally:
        CONF.clear_override('connect_timeout', group='docker')
        CONF.clear_override('default_timeout', group='docker')
    assert made[0]['base_url'] == 'tcp://192.0.2.7:2376'
    assert made[0]['tls'].ca_cert == docker_nodes.client_files(
        services, cluster.uuid)[0]
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
    assert [k['timeout'] for k in sent] == [(3, 40), (3, 50)]
    client.close()


def test_a_node_container_host_leaves_images_to_the_node():
    host = docker_nodes.NodeContainerHost(services=None)
    assert isinstance(host, base.ContainerHost)
    # No client call at all: the node pulls what it lacks.
    assert host.ensure_image(None, object(), 'busybox') is None
