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

"""Cluster CAs and CSR signing with real keys; the CA types."""

from cryptography import x509 as cx509
from cryptography.x509 import oid
import pytest

from magnum_lite.certificates import x509
from magnum_lite.common import exception
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF

pytestmark = pytest.mark.usefixtures('certificate_config')


def _ca():
    cert_pem, key_pem = x509.generate_ca('cluster-1 kubernetes CA')
    return cert_pem, key_pem


def _sign(extensions=(), allow_ca=None):
    ca_cert, ca_key = _ca()
    csr, _key = x509.make_csr('node-0', 'system:nodes', extensions=extensions)
    signed = x509.sign_csr(csr, ca_cert, ca_key, allow_ca=allow_ca)
    return (cx509.load_pem_x509_certificate(signed),
            cx509.load_pem_x509_certificate(ca_cert))


def _usage(**values):
    names = ('digital_signature', 'content_commitment', 'key_encipherment',
             'data_encipherment', 'key_agreement', 'key_cert_sign',
             'crl_sign', 'encipher_only', 'decipher_only')
    return cx509.KeyUsage(**{n: values.get(n, False) for n in names})


def test_ca_is_a_ca_with_configured_key_size():
    cert_pem, key_pem = _ca()
    ca = cx509.load_pem_x509_certificate(cert_pem)
    constraints = ca.extensions.get_extension_for_class(
        cx509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    assert constraints.value.path_length == 0
    usage = ca.extensions.get_extension_for_class(cx509.KeyUsage).value
    assert usage.key_cert_sign and not usage.digital_signature
    assert ca.public_key().key_size == 1024
    assert ca.issuer == ca.subject
    ca.verify_directly_issued_by(ca)
    assert x509.load_private_key(key_pem).key_size == 1024


def test_signed_certificate_keeps_subject_and_chains_to_ca():
    extensions = [
        (cx509.SubjectAlternativeName([cx509.DNSName('node-0.local'),
                                       cx509.DNSName('node-0')]), False),
        (cx509.ExtendedKeyUsage([oid.ExtendedKeyUsageOID.CLIENT_AUTH]),
         False),
    ]
    certificate, ca = _sign(extensions)
    certificate.verify_directly_issued_by(ca)
    assert certificate.subject.get_attributes_for_oid(
        oid.NameOID.COMMON_NAME)[0].value == 'node-0'
    assert certificate.issuer == ca.subject
    san = certificate.extensions.get_extension_for_class(
        cx509.SubjectAlternativeName).value
    assert san.get_values_for_type(cx509.DNSName) == ['node-0.local',
                                                      'node-0']
    assert certificate.extensions.get_extension_for_class(
        cx509.ExtendedKeyUsage).value == cx509.ExtendedKeyUsage(
            [oid.ExtendedKeyUsageOID.CLIENT_AUTH])


def test_ca_request_is_stripped_unless_allowed():
    extensions = [
        (cx509.BasicConstraints(ca=True, path_length=None), True),
        (_usage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                data_encipherment=True), True),
    ]
    certificate, _ca_cert = _sign(extensions)
    assert not certificate.extensions.get_extension_for_class(
        cx509.BasicConstraints).value.ca
    usage = certificate.extensions.get_extension_for_class(
        cx509.KeyUsage).value
    assert usage.digital_signature
    # Neither CA usages nor usages outside allowed_key_usage survive.
    assert not usage.key_cert_sign and not usage.crl_sign
    assert not usage.data_encipherment

    certificate, _ca_cert = _sign(extensions, allow_ca=True)
    assert certificate.extensions.get_extension_for_class(
        cx509.BasicConstraints).value.ca
    assert certificate.extensions.get_extension_for_class(
        cx509.KeyUsage).value.key_cert_sign


def test_extensions_outside_the_allowed_list_are_dropped():
    CONF.set_override('allowed_extensions', ['keyUsage'], group='x509')
    try:
        extensions = [
            (cx509.SubjectAlternativeName([cx509.DNSName('x')]), False),
            (_usage(digital_signature=True), True),
            (cx509.OCSPNoCheck(), False),
        ]
        certificate, _ca_cert = _sign(extensions)
    finally:
        CONF.clear_override('allowed_extensions', group='x509')
    kinds = {type(e.value) for e in certificate.extensions}
    assert cx509.SubjectAlternativeName not in kinds
    assert cx509.OCSPNoCheck not in kinds
    assert cx509.KeyUsage in kinds


@pytest.mark.parametrize('csr', [
    b'not a csr',
    '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n'
    '-----END CERTIFICATE REQUEST-----\n',
])
def test_invalid_csr_is_a_400(csr):
    ca_cert, ca_key = _ca()
    with pytest.raises(exception.InvalidCsr) as raised:
        x509.sign_csr(csr, ca_cert, ca_key)
    assert raised.value.code == 400


@pytest.mark.parametrize('given, expected', [
    (None, 'kubernetes'), ('', 'kubernetes'), ('kubelet', 'kubernetes'),
    ('kubernetes', 'kubernetes'), ('etcd', 'etcd'),
    ('front-proxy', 'front_proxy'), ('front_proxy', 'front_proxy'),
])
def test_ca_type_spellings(given, expected):
    assert x509.canonical_ca_type(given) == expected


def test_unknown_ca_type_is_a_400():
    with pytest.raises(exception.InvalidCaCertType) as raised:
        x509.canonical_ca_type('vault')
    assert raised.value.code == 400
