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

"""Docker clients of a cluster's nodes, for the container API.

Shared by the drivers whose nodes run containers (swarm_docker,
swarm_heat). Each node's dockerd serves TLS on 2376 with a certificate
from the cluster CA that names the node's address. The conductor talks
to it with a client certificate signed by the same CA, made once per
cluster and kept under <state_path>/containers/<cluster uuid>/ (files
0600): a new key and signature per request would cost more than the
request itself. A kept certificate is made again when the cluster CA
changed (a rotation) or it is about to expire.
"""

import datetime
import ipaddress
import os
import threading

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography import x509 as crypto_x509
from cryptography.x509 import oid
from oslo_log import log as logging

from magnum_lite.certificates import x509
from magnum_lite.common import docker_client
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import base

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

DOCKER_PORT = 2376
CLIENT_NAME = 'magnum-lite-containers'
# A kept certificate closer than this to its end is replaced.
RENEW_BEFORE = datetime.timedelta(days=1)
FILES = ('ca.pem', 'cert.pem', 'key.pem')

CLIENT_USAGES = (oid.ExtendedKeyUsageOID.CLIENT_AUTH,)

_lock = threading.Lock()


# -- certificates ------------------------------------------------------------

def certificate_extensions(usages, dns_names=(), ip_addresses=()):
    """(extension, critical) pairs of a TLS certificate for a Docker API.

    `usages` are extended key usages; the names and addresses, if any,
    become its subjectAltName.
    """
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


def new_key():
    """A private key for a node or client certificate.

    P-256 rather than the CA's RSA: a new RSA key costs up to half a
    second on a small host, once per node on every create and resize;
    an EC key takes a millisecond and Go and Python TLS accept it.
    """
    return ec.generate_private_key(ec.SECP256R1())


def client_certificate(services, cluster_uuid, name='magnum-lite'):
    """(CA PEM, certificate PEM, key PEM) for talking to a node's API.

    `services` is the driver's ClusterServices, which signs.
    """
    csr, key = x509.make_csr(name, key=new_key(),
                             extensions=certificate_extensions(CLIENT_USAGES))
    return (services.ca_certificate(cluster_uuid),
            services.sign(cluster_uuid, csr),
            key.decode('ascii'))


# -- the kept client certificate -------------------------------------------

def cache_dir(cluster_uuid):
    return os.path.join(os.path.expanduser(CONF.state_path), 'containers',
                        cluster_uuid)


def _read(directory):
    try:
        pems = []
        for name in FILES:
            with open(os.path.join(directory, name)) as pem_file:
                pems.append(pem_file.read())
        return pems
    except FileNotFoundError:
        return None


def _write(directory, pems):
    os.makedirs(directory, mode=0o700, exist_ok=True)
    for name, pem in zip(FILES, pems):
        path = os.path.join(directory, name)
        # Written aside and renamed: a reader never sees half a key.
        partial = path + '.new'
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as pem_file:
            pem_file.write(pem)
        os.replace(partial, path)


def _still_good(pems, ca_pem, now=None):
    if pems is None or pems[0] != ca_pem:
        return False
    try:
        cert = crypto_x509.load_pem_x509_certificate(pems[1].encode())
    except ValueError:
        return False
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return cert.not_valid_after_utc - RENEW_BEFORE > now


def client_files(services, cluster_uuid):
    """Paths of (CA, certificate, key) for this cluster, made if needed."""
    directory = cache_dir(cluster_uuid)
    ca_pem = services.ca_certificate(cluster_uuid)
    with _lock:
        if not _still_good(_read(directory), ca_pem):
            LOG.info('Cluster %s: new client certificate for its nodes',
                     cluster_uuid)
            _write(directory, client_certificate(services, cluster_uuid,
                                                 CLIENT_NAME))
    return [os.path.join(directory, name) for name in FILES]


def forget(cluster_uuid):
    """Drop the kept certificate of a cluster (e.g. once it is deleted)."""
    directory = cache_dir(cluster_uuid)
    with _lock:
        for name in FILES:
            try:
                os.unlink(os.path.join(directory, name))
            except FileNotFoundError:
                pass
        try:
            os.rmdir(directory)
        except OSError:
            pass


# -- clients -------------------------------------------------------------------

def node_client(services, cluster_uuid, address):
    """A docker.DockerClient of one node's TLS API (close it after use).

    Its requests connect within [docker] connect_timeout: a node that is
    down (stopped, paused, gone) is answered well before an RPC times
    out, while a slow call still has [docker] default_timeout.
    """
    ca, cert, key = client_files(services, cluster_uuid)
    return docker_client.client(
        base_url='tcp://%s:%d' % (address, DOCKER_PORT),
        tls=docker_client.tls_config(ca_cert=ca, client_cert=cert,
                                     client_key=key),
        timeout=CONF.docker.default_timeout,
        connect_timeout=CONF.docker.connect_timeout)


class NodeContainerHost(base.ContainerHost):
    """Containers on nodes whose Docker API trusts the cluster CA.

    Images are not copied: a node has them or gets them from its
    registry.
    """

    def __init__(self, services):
        self.services = services

    def node_client(self, cluster_uuid, address):
        return node_client(self.services, cluster_uuid, address)

    def ensure_image(self, cluster, client, image):
        pass

    def forget(self, cluster_uuid):
        forget(cluster_uuid)
