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

"""Docker SDK clients for the Heat resources, and their error messages.

A client is built from ``docker_endpoint`` plus optional TLS material; the
CA, certificate and key may each be a file path or the PEM text itself
(templates usually carry PEM text from parameters). Without an endpoint the
local engine's socket is used.
"""

import atexit
import contextlib
import hashlib
import os
import shutil
import tempfile
import threading

import docker
from docker import errors as docker_errors
from docker import tls as docker_tls
import requests

# Docker answers most calls in well under a second; a minute covers a slow
# image pull start or a busy remote engine without hanging a stack forever.
DEFAULT_TIMEOUT = 60

PEM_MARKER = '-----BEGIN'

_clients = {}
_clients_lock = threading.Lock()
_pem_dir = None


class DockerConnectionError(Exception):
    """The Docker endpoint cannot be reached or refused the connection."""


class DockerError(Exception):
    """A Docker call failed; the message is meant for the template author."""

    def __init__(self, message, status_code=None):
        super().__init__(message)
        self.status_code = status_code


class _TLSConfig(docker_tls.TLSConfig):
    """TLS settings that the process environment cannot override."""

    def configure_client(self, client):
        super().configure_client(client)
        # requests prefers REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE over a session's
        # CA file, which would verify the engine against the system CAs
        # instead of tls_ca_cert. Proxy settings are not meant for the
        # engine's API either.
        client.trust_env = False


def _pem_file(value, kind):
    """Return a path for TLS material given as a path or as PEM text.

    PEM text is written once per content into a private directory, because
    the SDK (through ``ssl``) only reads certificates from files.
    """
    global _pem_dir
    if PEM_MARKER not in value:
        if not os.path.isfile(value):
            raise DockerConnectionError(
                'TLS %s file %s does not exist' % (kind, value))
        return value
    if _pem_dir is None:
        _pem_dir = tempfile.mkdtemp(prefix='heat-docker-tls-')
        # Keys do not outlive the process that needed them.
        atexit.register(shutil.rmtree, _pem_dir, ignore_errors=True)
    digest = hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]
    path = os.path.join(_pem_dir, '%s-%s.pem' % (kind, digest))
    if not os.path.exists(path):
        fd = os.open(path + '.tmp', os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                     0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(value)
        os.replace(path + '.tmp', path)
    return path


def tls_config(ca_cert=None, client_cert=None, client_key=None, verify=True):
    """Build a docker TLSConfig, or None when no TLS material is given."""
    if not (ca_cert or client_cert or client_key):
        return None
    if bool(client_cert) != bool(client_key):
        raise DockerConnectionError(
            'TLS needs both a client certificate and its key')
    cert = None
    if client_cert:
        cert = (_pem_file(client_cert, 'cert'), _pem_file(client_key, 'key'))
    ca = _pem_file(ca_cert, 'ca') if ca_cert else None
    try:
        return _TLSConfig(client_cert=cert, ca_cert=ca, verify=verify)
    except docker_errors.TLSParameterError as exc:
        raise DockerConnectionError('invalid TLS parameters: %s' % exc)


def get_client(endpoint=None, ca_cert=None, client_cert=None,
               client_key=None, verify=True, timeout=DEFAULT_TIMEOUT):
    """Return a cached low-level client for one endpoint and TLS setting.

    Building a client asks the engine for its API version, so clients are
    kept per connection parameters instead of being made per call.
    """
    key = (endpoint, ca_cert, client_cert, client_key, verify, timeout)
    with _clients_lock:
        client = _clients.get(key)
    if client is not None:
        return client
    tls = tls_config(ca_cert, client_cert, client_key, verify)
    where = endpoint or 'the local Docker engine'
    try:
        # With TLS the SDK turns tcp:// into https:// by itself.
        client = docker.APIClient(base_url=endpoint or None,
                                  tls=tls or False, version='auto',
                                  timeout=timeout)
    except docker_errors.DockerException as exc:
        raise DockerConnectionError(
            'cannot connect to Docker endpoint %s: %s' % (where, exc))
    with _clients_lock:
        _clients[key] = client
    return client


def forget_clients():
    """Drop cached clients (a test or an endpoint change needs fresh ones)."""
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def is_not_found(exc):
    return isinstance(exc, docker_errors.NotFound) or (
        isinstance(exc, DockerError) and exc.status_code == 404)


def explanation(exc):
    """The engine's own words for an API error, without the URL noise."""
    text = getattr(exc, 'explanation', None)
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    return text or str(exc)


@contextlib.contextmanager
def translated(what, endpoint=None):
    """Turn SDK and transport errors into DockerError/DockerConnectionError.

    ``what`` says what was being done ("create container web"), so the
    message reads as a sentence a template author can act on.
    """
    try:
        yield
    except docker_errors.APIError as exc:
        raise DockerError('%s failed: %s' % (what, explanation(exc)),
                          status_code=exc.status_code)
    except (requests.exceptions.ConnectionError,
            requests.exceptions.Timeout) as exc:
        raise DockerConnectionError(
            '%s failed: cannot reach Docker endpoint %s: %s'
            % (what, endpoint or 'the local Docker engine', exc))
