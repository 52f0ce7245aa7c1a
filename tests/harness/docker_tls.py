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

"""A TLS front for the local Docker engine, and the certificates for it.

dockerd's TLS API is the Docker socket behind mutual TLS; a small proxy that
requires a client certificate signed by its CA and forwards the bytes to
/var/run/docker.sock gives the tests a real TLS endpoint without a second
engine.
"""

import datetime
import ipaddress
import os
import socket
import ssl
import threading

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

DOCKER_SOCKET = '/var/run/docker.sock'


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _cert(subject, key, issuer, issuer_key, ca=False, usage=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([
                   x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([
                   x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None),
                              critical=True))
    if usage == 'server':
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName('localhost'),
             x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
            critical=False).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
            critical=False)
    elif usage == 'client':
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False)
    cert = builder.sign(issuer_key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def make_pki(name='heat-plugins-test'):
    """A CA with a server (127.0.0.1) and a client certificate, as PEM."""
    ca_key, server_key, client_key = _key(), _key(), _key()
    ca = _cert(name + '-ca', ca_key, name + '-ca', ca_key, ca=True)
    return {
        'ca': ca,
        'server_cert': _cert('localhost', server_key, name + '-ca', ca_key,
                             usage='server'),
        'server_key': _pem_key(server_key),
        'client_cert': _cert(name + '-client', client_key, name + '-ca',
                             ca_key, usage='client'),
        'client_key': _pem_key(client_key),
    }


def write_pki(pki, directory):
    """Write the PEM texts to files; return their paths by the same keys."""
    paths = {}
    for key, text in pki.items():
        paths[key] = os.path.join(directory, key + '.pem')
        with open(paths[key], 'w') as f:
            f.write(text)
    return paths


def _pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class TLSDockerProxy(object):
    """Mutual-TLS listener on 127.0.0.1 forwarding to the Docker socket."""

    def __init__(self, paths):
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH,
                                                  cafile=paths['ca'])
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.context.load_cert_chain(paths['server_cert'],
                                     paths['server_key'])
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = self.listener.getsockname()[1]
        self.endpoint = 'tcp://127.0.0.1:%d' % self.port
        self.handshakes_refused = 0
        self._stopped = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self._stopped:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(raw,),
                             daemon=True).start()

    def _handle(self, raw):
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            self.handshakes_refused += 1
            raw.close()
            return
        engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        engine.connect(DOCKER_SOCKET)
        threading.Thread(target=_pipe, args=(engine, conn),
                         daemon=True).start()
        _pipe(conn, engine)

    def stop(self):
        self._stopped = True
        self.listener.close()


def free_port():
    """A loopback port nothing listens on (for unreachable endpoints)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]
