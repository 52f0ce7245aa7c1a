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
local engine's socket is used. TLS and the clients themselves come from
magnum_lite.common.docker_client, which every component shares; this
module keeps what is the resources' own: a client per connection
parameters, and errors worded for the template author.
"""

import contextlib
import threading

from docker import errors as docker_errors
import requests

from magnum_lite.common import docker_client as shared

# Docker answers most calls in well under a second; a minute covers a slow
# image pull start or a busy remote engine without hanging a stack forever.
DEFAULT_TIMEOUT = 60

_clients = {}
_clients_lock = threading.Lock()


class DockerConnectionError(Exception):
    """The Docker endpoint cannot be reached or refused the connection."""


class DockerError(Exception):
    """A Docker call failed; the message is meant for the template author."""

    def __init__(self, message, status_code=None):
        super().__init__(message)
        self.status_code = status_code


def tls_config(ca_cert=None, client_cert=None, client_key=None, verify=True):
    """The shared TLS config, or None when no TLS material is given.

    Material that cannot make a client fails the resource the way an
    unreachable engine does.
    """
    try:
        return shared.tls_config(ca_cert, client_cert, client_key, verify)
    except shared.TLSMaterialError as exc:
        raise DockerConnectionError(str(exc))


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
        client = shared.api_client(base_url=endpoint, tls=tls,
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
