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

"""Docker clients of a Swarm cluster's nodes, for the container API.

Each node's dockerd serves TLS on 2376 with a certificate from the
cluster CA that names the node's fixed address. The conductor talks to it
with a client certificate signed by the same CA, made once per cluster
and kept under <state_path>/containers/<cluster uuid>/ (files 0600): a new
key and signature per request would cost more than the request itself. A
kept certificate is made again when the cluster CA changed (a rotation)
or it is about to expire.
"""

import datetime
import os
import threading

from cryptography import x509 as crypto_x509
import docker
from oslo_log import log as logging

from magnum_lite.conductor import certificates
from magnum_lite import conf as ml_conf
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import tls

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

DOCKER_PORT = 2376
# A node that does not take the connection within this many seconds is
# down (stopped, paused, gone): answered well before an RPC times out.
CONNECT_TIMEOUT = 5
CLIENT_NAME = 'magnum-lite-containers'
# A kept certificate closer than this to its end is replaced.
RENEW_BEFORE = datetime.timedelta(days=1)
FILES = ('ca.pem', 'cert.pem', 'key.pem')

_lock = threading.Lock()


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


def client_files(dbapi, cluster_uuid):
    """Paths of (CA, certificate, key) for this cluster, made if needed."""
    directory = cache_dir(cluster_uuid)
    ca_pem = certificates.get_ca_certificate(dbapi, cluster_uuid)
    with _lock:
        if not _still_good(_read(directory), ca_pem):
            LOG.info('Cluster %s: new client certificate for its nodes',
                     cluster_uuid)
            _write(directory, tls.client_certificate(dbapi, cluster_uuid,
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


class _NodeAPIClient(docker.APIClient):
    """An API client whose requests connect within CONNECT_TIMEOUT.

    The SDK has one timeout for connecting and reading; a node that is
    down would hold every request for the whole read timeout.
    """

    def _set_request_timeout(self, kwargs):
        kwargs = super()._set_request_timeout(kwargs)
        timeout = kwargs.get('timeout')
        if isinstance(timeout, (int, float)):
            kwargs['timeout'] = (min(CONNECT_TIMEOUT, timeout), timeout)
        return kwargs


class NodeClient(docker.DockerClient):
    """docker.DockerClient over _NodeAPIClient."""

    def __init__(self, *args, **kwargs):
        # DockerClient's own __init__ only makes its API client.
        self.api = _NodeAPIClient(*args, **kwargs)


def node_client(dbapi, cluster_uuid, address, timeout=engine.API_TIMEOUT):
    """A docker SDK client of one node's TLS API (close it after use)."""
    ca, cert, key = client_files(dbapi, cluster_uuid)
    tls_config = engine.TLSConfig(client_cert=(cert, key), ca_cert=ca,
                                  verify=True)
    return NodeClient(
        base_url='tcp://%s:%d' % (address, DOCKER_PORT), tls=tls_config,
        version='auto', timeout=timeout)
