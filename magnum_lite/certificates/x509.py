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

"""X.509 operations: self-signed cluster CAs and CSR signing.

Pure functions over PEM bytes, and the types of CA a cluster has;
storing and encrypting the keys is the caller's business
(magnum_lite.certificates.store).
"""

import datetime
import uuid

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509 import oid

from magnum_lite.common import exception
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF

# The CAs of a cluster, one per type, as in Magnum.
KUBERNETES = 'kubernetes'
ETCD = 'etcd'
FRONT_PROXY = 'front_proxy'
CA_TYPES = (KUBERNETES, ETCD, FRONT_PROXY)

# Spellings clients send for the same CA. Node scripts ask for "kubelet"
# and "front-proxy"; no type at all means the Kubernetes CA.
_CA_TYPE_ALIASES = {None: KUBERNETES, '': KUBERNETES, 'kubelet': KUBERNETES,
                    'front-proxy': FRONT_PROXY}

# Names of [x509] allowed_extensions → cryptography's extension classes.
_EXTENSIONS = {
    'keyUsage': x509.KeyUsage,
    'extendedKeyUsage': x509.ExtendedKeyUsage,
    'subjectAltName': x509.SubjectAlternativeName,
    'basicConstraints': x509.BasicConstraints,
    'subjectKeyIdentifier': x509.SubjectKeyIdentifier,
    'authorityKeyIdentifier': x509.AuthorityKeyIdentifier,
}

_KEY_USAGES = ('digital_signature', 'content_commitment', 'key_encipherment',
               'data_encipherment', 'key_agreement', 'key_cert_sign',
               'crl_sign', 'encipher_only', 'decipher_only')

# Usages that let a certificate act as a CA; stripped unless allow_ca.
_CA_KEY_USAGES = ('key_cert_sign', 'crl_sign')

# Signed certificates start a little in the past: a node whose clock is a
# few minutes behind the conductor's must still accept them.
_CLOCK_SKEW = datetime.timedelta(minutes=5)


def canonical_ca_type(ca_cert_type):
    """The CA type a client's spelling names (InvalidCaCertType if none)."""
    ca_type = _CA_TYPE_ALIASES.get(ca_cert_type, ca_cert_type)
    if ca_type not in CA_TYPES:
        raise exception.InvalidCaCertType(
            ca_cert_type=ca_cert_type, expected=', '.join(CA_TYPES))
    return ca_type


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def generate_private_key(key_size=None):
    return rsa.generate_private_key(
        public_exponent=65537, key_size=key_size or CONF.x509.rsa_key_size)


def private_key_to_pem(key):
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_certificate(pem):
    return x509.load_pem_x509_certificate(_as_bytes(pem))


def load_private_key(pem):
    return serialization.load_pem_private_key(_as_bytes(pem), password=None)


def load_own_private_key(pem):
    """A key this service made and kept sealed (see store.py).

    Checking an RSA key's consistency costs about 30 ms, paid for every
    certificate a CA signs; a key that can only come from our own store,
    where its Fernet token authenticates it, needs no check.
    """
    return serialization.load_pem_private_key(
        _as_bytes(pem), password=None, unsafe_skip_rsa_key_validation=True)


def _as_bytes(value):
    return value.encode('ascii') if isinstance(value, str) else value


def _name(common_name, organization=None):
    attributes = [x509.NameAttribute(oid.NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.append(
            x509.NameAttribute(oid.NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attributes)


def generate_ca(common_name, validity_days=None, key_size=None):
    """A self-signed CA: returns (certificate PEM, private key PEM)."""
    key = generate_private_key(key_size)
    name = _name(common_name)
    now = _now()
    days = validity_days or CONF.x509.term_of_validity
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=days))
        # path_length=0: the cluster CA signs node certificates only,
        # never another CA.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0),
                       critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False,
            key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key),
                       critical=False)
        .sign(key, hashes.SHA256()))
    return (certificate.public_bytes(serialization.Encoding.PEM),
            private_key_to_pem(key))


def load_csr(csr_pem):
    try:
        csr = x509.load_pem_x509_csr(_as_bytes(csr_pem))
    except (ValueError, TypeError) as exc:
        raise exception.InvalidCsr(reason=str(exc))
    if not csr.is_signature_valid:
        raise exception.InvalidCsr(reason='the CSR signature does not match '
                                          'its public key')
    return csr


def _filtered_key_usage(usage, allowed, allow_ca):
    values = {}
    for name in _KEY_USAGES:
        try:
            value = getattr(usage, name)
        except ValueError:
            # encipher_only/decipher_only are only defined with
            # key_agreement; read them as False otherwise.
            value = False
        keep = name in allowed or (allow_ca and name in _CA_KEY_USAGES)
        values[name] = bool(value and keep)
    if not values['key_agreement']:
        values['encipher_only'] = values['decipher_only'] = False
    if not any(values.values()):
        return None
    return x509.KeyUsage(**values)


def filter_extensions(extensions, allowed_extensions=None,
                      allowed_key_usage=None, allow_ca=None):
    """The CSR extensions that may go into a signed certificate.

    Only extensions named in [x509] allowed_extensions pass; key usages are
    narrowed to [x509] allowed_key_usage, and a CA request (basic
    constraints ca=True, keyCertSign, cRLSign) is dropped unless allow_ca.
    Returns a list of (extension value, critical).
    """
    if allowed_extensions is None:
        allowed_extensions = CONF.x509.allowed_extensions
    if allowed_key_usage is None:
        allowed_key_usage = CONF.x509.allowed_key_usage
    if allow_ca is None:
        allow_ca = CONF.x509.allow_ca
    allowed_types = tuple(_EXTENSIONS[name] for name in allowed_extensions
                          if name in _EXTENSIONS)
    kept = []
    for extension in extensions:
        value = extension.value
        if not isinstance(value, allowed_types):
            continue
        if isinstance(value, x509.BasicConstraints):
            if value.ca and not allow_ca:
                value = x509.BasicConstraints(ca=False, path_length=None)
        elif isinstance(value, x509.KeyUsage):
            value = _filtered_key_usage(value, allowed_key_usage, allow_ca)
            if value is None:
                continue
        elif isinstance(value, (x509.SubjectKeyIdentifier,
                                x509.AuthorityKeyIdentifier)):
            # Computed below from the real keys; a CSR cannot choose them.
            continue
        kept.append((value, extension.critical))
    return kept


def sign_csr(csr_pem, ca_certificate_pem, ca_private_key_pem,
             validity_days=None, allow_ca=None):
    """Sign a CSR with a CA; returns the certificate PEM.

    The CA's key must be one this service made (load_own_private_key).
    The subject and public key come from the CSR, the issuer from the CA;
    extensions are filtered by `filter_extensions`.
    """
    csr = load_csr(csr_pem)
    ca_certificate = load_certificate(ca_certificate_pem)
    ca_key = load_own_private_key(ca_private_key_pem)
    now = _now()
    days = validity_days or CONF.x509.term_of_validity
    builder = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca_certificate.subject)
        .public_key(csr.public_key())
        .serial_number(int(uuid.uuid4()))
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=days)))
    for value, critical in filter_extensions(csr.extensions,
                                             allow_ca=allow_ca):
        builder = builder.add_extension(value, critical=critical)
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(csr.public_key()),
        critical=False)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False)
    certificate = builder.sign(ca_key, hashes.SHA256())
    return certificate.public_bytes(serialization.Encoding.PEM)


def make_csr(common_name, organization=None, key=None, extensions=()):
    """A CSR and its key; used by clients and the tests.

    `extensions` is a sequence of (extension value, critical).
    Returns (CSR PEM, private key PEM).
    """
    key = key or generate_private_key()
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        _name(common_name, organization))
    for value, critical in extensions:
        builder = builder.add_extension(value, critical=critical)
    csr = builder.sign(key, hashes.SHA256())
    return (csr.public_bytes(serialization.Encoding.PEM),
            private_key_to_pem(key))
