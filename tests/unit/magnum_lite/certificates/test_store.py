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

"""The CA store: CAs of clusters in the database, keys sealed at rest."""

import os
import stat

from cryptography import fernet
from cryptography import x509 as cx509
import pytest

from magnum_lite.certificates import store
from magnum_lite.certificates import x509
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite import conf as ml_conf
from tests.harness import cluster_rows

CONF = ml_conf.CONF

pytestmark = pytest.mark.usefixtures('certificate_config')


def test_private_keys_are_encrypted_at_rest(database):
    template = cluster_rows.make_template(database)
    cluster = cluster_rows.make_cluster(database, template)
    store.generate_cluster_cas(database, cluster)
    row = database.get_certificate(cluster.uuid, x509.KUBERNETES)
    assert 'PRIVATE KEY' not in row.private_key
    assert 'BEGIN CERTIFICATE' in row.certificate
    key_pem = store.decrypt_private_key(row.private_key)
    assert b'PRIVATE KEY' in key_pem

    other = fernet.Fernet.generate_key().decode()
    CONF.set_override('encryption_key', other, group='certificates')
    with pytest.raises(exception.CertificateKeyUnavailable):
        store.sign_certificate(database, cluster.uuid, x509.make_csr('n')[0])


def test_ca_rotation_replaces_every_ca(database):
    template = cluster_rows.make_template(database)
    cluster = cluster_rows.make_cluster(database, template,
                                        status=states.CREATE_COMPLETE)
    store.generate_cluster_cas(database, cluster)
    before = {t: store.get_ca_certificate(database, cluster.uuid, t)
              for t in x509.CA_TYPES}
    # Made at create only once: a retried create keeps them.
    store.generate_cluster_cas(database, cluster)
    assert before == {
        t: store.get_ca_certificate(database, cluster.uuid, t)
        for t in x509.CA_TYPES}
    store.rotate_cluster_cas(database, cluster)
    for ca_type in x509.CA_TYPES:
        new = store.get_ca_certificate(database, cluster.uuid, ca_type)
        assert new != before[ca_type]
    csr, _key = x509.make_csr('admin', 'system:masters')
    signed = store.sign_certificate(database, cluster.uuid, csr,
                                    'front-proxy')
    cx509.load_pem_x509_certificate(signed.encode()).verify_directly_issued_by(
        cx509.load_pem_x509_certificate(store.get_ca_certificate(
            database, cluster.uuid, 'front_proxy').encode()))


def test_a_ca_key_pair_is_the_ca_and_its_opened_key(database):
    template = cluster_rows.make_template(database)
    cluster = cluster_rows.make_cluster(database, template)
    store.generate_cluster_cas(database, cluster)
    cert, key = store.get_ca_key_pair(database, cluster.uuid, 'kubelet')
    assert cert == store.get_ca_certificate(database, cluster.uuid)
    # The key signs what the CA certificate verifies: they are one pair.
    csr, _key = x509.make_csr('node-0')
    signed = x509.sign_csr(csr, cert, key)
    cx509.load_pem_x509_certificate(signed).verify_directly_issued_by(
        cx509.load_pem_x509_certificate(cert.encode()))


def test_generated_key_file_is_private_and_reused(tmp_path):
    CONF.clear_override('encryption_key', group='certificates')
    CONF.set_override('state_path', str(tmp_path / 'state'))
    token = store.encrypt_private_key(b'secret')
    path = store.key_file_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert store.decrypt_private_key(token) == b'secret'


def test_a_bad_configured_key_is_reported():
    CONF.set_override('encryption_key', 'short', group='certificates')
    with pytest.raises(exception.InvalidParameterValue) as raised:
        store.encrypt_private_key(b'x')
    assert 'encryption_key' in str(raised.value)
