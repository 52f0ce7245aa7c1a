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

import pytest

from tests.functional.heat_templates import worker_client


@pytest.fixture(scope='session')
def heat(tmp_path_factory):
    """Heat's full validation, in a worker process of its own."""
    where = tmp_path_factory.mktemp('heat')
    worker = worker_client.HeatWorker(str(where / 'heat.db'),
                                      str(where / 'heat.log'))
    yield worker
    worker.close()


def make_ca(common_name):
    """A CA as magnum-lite makes one: (certificate, key) PEM."""
    import datetime

    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0),
                           critical=True)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM).decode(),
            key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode())


@pytest.fixture(scope='session')
def ca():
    """The cluster's Kubernetes (default) CA."""
    return make_ca('demo')


@pytest.fixture(scope='session')
def other_cas():
    """The cluster's etcd and front-proxy CAs, as k8s_heat's extra."""
    etcd, front_proxy = make_ca('demo-etcd'), make_ca('demo-front-proxy')
    return {'etcd_ca_cert': etcd[0], 'etcd_ca_key': etcd[1],
            'front_proxy_ca_cert': front_proxy[0],
            'front_proxy_ca_key': front_proxy[1]}
