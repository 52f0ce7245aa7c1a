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

"""Certificates of swarm_docker nodes, from the cluster CA.

Every node's dockerd serves TLS with a certificate naming the node (its
name, fixed address and 127.0.0.1, where its API is published). The same
certificate carries clientAuth: a joining node shows it to the first
manager to get the join token. Clients of a node's API get theirs from
magnum_lite.drivers.docker_nodes.
"""

from cryptography import x509 as crypto_x509
from cryptography.x509 import oid

from magnum_lite.certificates import x509
from magnum_lite.drivers import docker_nodes

SERVER_USAGES = (oid.ExtendedKeyUsageOID.SERVER_AUTH,
                 oid.ExtendedKeyUsageOID.CLIENT_AUTH)


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


def node_certificate(services, cluster_uuid, name, address):
    """(certificate PEM, key PEM) of one node, signed by the cluster CA.

    `services` is the driver's ClusterServices, which signs.
    """
    dns_names, addresses = subject_alt_names(name, address)
    csr, key = x509.make_csr(
        name, organization='swarm-node', key=docker_nodes.new_key(),
        extensions=docker_nodes.certificate_extensions(
            SERVER_USAGES, dns_names, addresses))
    return services.sign(cluster_uuid, csr), key.decode('ascii')
