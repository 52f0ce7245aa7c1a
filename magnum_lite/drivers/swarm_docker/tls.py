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

"""Certificates of swarm_docker nodes and clients, from the cluster CA.

Every node's dockerd serves TLS with a certificate naming the node (its
name, fixed address and 127.0.0.1, where its API is published). The same
certificate carries clientAuth: a joining node shows it to the first
manager to get the join token.
"""

import ipaddress

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography import x509 as crypto_x509
from cryptography.x509 import oid

from magnum_lite.common import x509
from magnum_lite.conductor import certificates

SERVER_USAGES = (oid.ExtendedKeyUsageOID.SERVER_AUTH,
                 oid.ExtendedKeyUsageOID.CLIENT_AUTH)
CLIENT_USAGES = (oid.ExtendedKeyUsageOID.CLIENT_AUTH,)


def _extensions(usages, dns_names=(), ip_addresses=()):
    extensions = [
        (crypto_x509.KeyUsage(
            digital_signature=True, content_commitment=False,
            key_encipherment=True, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), True),
        (crypto_x509.ExtendedKeyUsage(list(usages)), False),
    ]
    names = [crypto_x509.DNSName(n) for n in dns_names if n]
    names += [crypto_x509.IPAddress(ipaddress.ip_address(a))
              for a in ip_addresses if a]
    if names:
        extensions.append((crypto_x509.SubjectAlternativeName(names), False))
    return extensions


def _key():
    # P-256 rather than the CA's RSA: a new RSA key costs up to half a
    # second on a small host, once per node on every create and resize;
    # an EC key takes a millisecond and Go and Python TLS accept it.
    return ec.generate_private_key(ec.SECP256R1())


def subject_alt_names(name, address):
    """DNS names and addresses a node's API answers to."""
    return [name, 'localhost'], [a for a in (address, '127.0.0.1') if a]


def node_address(cert_pem):
    """The fixed address a node's certificate names ('' if none).

    A node made while Docker chose its address names only 127.0.0.1.
    """
    cert = crypto_x509.load_pem_x509_certificate(cert_pem.encode())
    try:
        names = cert.extensions.get_extension_for_class(
            crypto_x509.SubjectAlternativeName).value
    except crypto_x509.ExtensionNotFound:
        return ''
    for address in names.get_values_for_type(crypto_x509.IPAddress):
        if not address.is_loopback:
            return str(address)
    return ''


def node_certificate(dbapi, cluster_uuid, name, address):
    """(certificate PEM, key PEM) of one node, signed by the cluster CA."""
    dns_names, addresses = subject_alt_names(name, address)
    csr, key = x509.make_csr(name, organization='swarm-node', key=_key(),
                             extensions=_extensions(SERVER_USAGES, dns_names,
                                                    addresses))
    return (certificates.sign_certificate(dbapi, cluster_uuid, csr),
            key.decode('ascii'))


def client_certificate(dbapi, cluster_uuid, name='magnum-lite'):
    """(CA PEM, certificate PEM, key PEM) for talking to a node's API."""
    csr, key = x509.make_csr(name, key=_key(),
                             extensions=_extensions(CLIENT_USAGES))
    return (certificates.get_ca_certificate(dbapi, cluster_uuid),
            certificates.sign_certificate(dbapi, cluster_uuid, csr),
            key.decode('ascii'))
