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

"""The CAs of a cluster: made at create, used to sign CSRs, rotated.

Each cluster has one CA per type (Kubernetes, etcd, front proxy) like
Magnum. The certificates are public; the private keys are encrypted with
Fernet before they reach the database, using [certificates] encryption_key
or, when that is unset, a key generated once in <state_path> (mode 0600).
Every conductor of a deployment needs the same key: set encryption_key
when more than one host runs a conductor.

Every function works on the DB API it is handed. Drivers never call this
module: the conductor lends them a cluster's CA operations through the
driver interface (magnum_lite.drivers.base.ClusterServices).
"""

from concurrent import futures
import os
import threading

from cryptography import fernet
from oslo_log import log as logging

from magnum_lite.certificates import x509
from magnum_lite.common import exception
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

KEY_FILE_NAME = 'certificates.key'

_key_lock = threading.Lock()


def key_file_path():
    return os.path.join(os.path.expanduser(CONF.state_path), KEY_FILE_NAME)


def _read_or_create_key_file(path):
    with _key_lock:
        try:
            with open(path, 'rb') as key_file:
                return key_file.read().strip()
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(path), exist_ok=True)
        key = fernet.Fernet.generate_key()
        try:
            # O_EXCL: two processes starting together must not each write
            # a different key; the loser reads the winner's.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            with open(path, 'rb') as key_file:
                return key_file.read().strip()
        with os.fdopen(fd, 'wb') as key_file:
            key_file.write(key)
        LOG.warning('No [certificates] encryption_key is set: generated %s. '
                    'Set the same key on every conductor host.', path)
        return key


def encryption_key():
    """The Fernet key protecting CA private keys at rest."""
    configured = CONF.certificates.encryption_key
    if configured:
        return configured.encode('ascii')
    return _read_or_create_key_file(key_file_path())


def _fernet():
    try:
        return fernet.Fernet(encryption_key())
    except ValueError as exc:
        raise exception.InvalidParameterValue(
            err='[certificates] encryption_key is not a Fernet key (32 '
                'url-safe base64-encoded bytes): %s' % exc)


def encrypt_private_key(private_key_pem):
    return _fernet().encrypt(private_key_pem).decode('ascii')


def decrypt_private_key(stored, cluster_uuid=None):
    try:
        return _fernet().decrypt(stored.encode('ascii'))
    except fernet.InvalidToken:
        raise exception.CertificateKeyUnavailable(cluster=cluster_uuid)


def _issuer_name(cluster, ca_type):
    return '%s %s CA' % (cluster.name or cluster.uuid, ca_type)


def _values(cluster, ca_type):
    certificate, private_key = x509.generate_ca(_issuer_name(cluster, ca_type))
    return {'certificate': certificate.decode('ascii'),
            'private_key': encrypt_private_key(private_key)}


def _new_cas(cluster, ca_types):
    """{CA type: values} of new CAs of those types.

    Made side by side: generating an RSA key releases the GIL, and the
    keys are most of a create's time before its backend is asked for.
    """
    if not ca_types:
        return {}
    with futures.ThreadPoolExecutor(max_workers=len(ca_types)) as pool:
        made = pool.map(lambda ca_type: _values(cluster, ca_type), ca_types)
        return dict(zip(ca_types, made))


def _has_ca(dbapi, cluster_uuid, ca_type):
    try:
        dbapi.get_certificate(cluster_uuid, ca_type)
        return True
    except exception.CertificateNotFound:
        return False


def generate_cluster_cas(dbapi, cluster):
    """Make every CA of a new cluster (idempotent: existing ones stay).

    A create retried after a conductor restart finds the CAs made the first
    time; regenerating them would orphan certificates already handed out.
    """
    missing = [ca_type for ca_type in x509.CA_TYPES
               if not _has_ca(dbapi, cluster.uuid, ca_type)]
    for ca_type, values in _new_cas(cluster, missing).items():
        values.update(cluster_uuid=cluster.uuid, ca_cert_type=ca_type,
                      project_id=cluster.project_id,
                      user_id=cluster.user_id)
        dbapi.create_certificate(values)


def rotate_cluster_cas(dbapi, cluster):
    """Replace every CA of the cluster with a new one."""
    for ca_type, values in _new_cas(cluster, list(x509.CA_TYPES)).items():
        try:
            dbapi.update_certificate(cluster.uuid, ca_type, values)
        except exception.CertificateNotFound:
            values.update(cluster_uuid=cluster.uuid, ca_cert_type=ca_type,
                          project_id=cluster.project_id,
                          user_id=cluster.user_id)
            dbapi.create_certificate(values)


def get_ca_certificate(dbapi, cluster_uuid, ca_cert_type=None):
    """The CA certificate PEM (a str) of that type."""
    ca_type = x509.canonical_ca_type(ca_cert_type)
    return dbapi.get_certificate(cluster_uuid, ca_type).certificate


def get_ca_key_pair(dbapi, cluster_uuid, ca_cert_type=None):
    """(certificate PEM, private key PEM) of the CA of that type, as str.

    For drivers that install the CA itself on a cluster's nodes.
    """
    ca_type = x509.canonical_ca_type(ca_cert_type)
    row = dbapi.get_certificate(cluster_uuid, ca_type)
    key = decrypt_private_key(row.private_key, cluster_uuid)
    return row.certificate, key.decode('ascii')


def sign_certificate(dbapi, cluster_uuid, csr, ca_cert_type=None):
    """The CSR signed by the cluster CA of that type, as a PEM str."""
    ca_type = x509.canonical_ca_type(ca_cert_type)
    row = dbapi.get_certificate(cluster_uuid, ca_type)
    private_key = decrypt_private_key(row.private_key, cluster_uuid)
    return x509.sign_csr(csr, row.certificate, private_key).decode('ascii')
