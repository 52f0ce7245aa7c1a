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

"""Docker SDK clients with TLS material, shared by every component.

The swarm_docker driver, the container API, the Heat Docker resources and
the Nova Docker driver all talk to a Docker engine, often over TLS with
material that arrives as PEM text (from the CA store or a template
parameter) rather than as files. They share this one module so that they
behave alike:

- TLS material may be PEM text or a file path. PEM text is written once
  per content, mode 0600, into a private directory of the process that is
  removed when it exits: the SDK (through ``ssl``) reads only files.
- An engine is verified against the CA given for it. The process
  environment never overrides that CA (requests prefers
  REQUESTS_CA_BUNDLE over a session's CA), and proxies and .netrc never
  apply to an engine's API. With verification on and no CA given, the CA
  bundle of the environment is used, as requests would.
- A client may connect within a shorter time than it waits for answers,
  so that an engine that is down fails fast while a slow call still ends.

This module imports only the Docker SDK and requests: the Nova driver and
the Heat resources load it without the rest of magnum_lite.
"""

import atexit
import hashlib
import os
import shutil
import tempfile
import threading

import docker
from docker import errors as docker_errors
from docker import tls as docker_tls

PEM_MARKER = '-----BEGIN'
# requests reads these, in this order, when a session has no CA of its own.
CA_BUNDLE_VARIABLES = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')

_pem_dir = None
_pem_lock = threading.Lock()


class TLSMaterialError(ValueError):
    """TLS material that cannot make a client: missing file, half a pair."""


class TLSConfig(docker_tls.TLSConfig):
    """TLS settings that the process environment cannot override."""

    def configure_client(self, client):
        super().configure_client(client)
        client.trust_env = False


def environment_ca_bundle():
    """The CA bundle the environment names for requests, or None."""
    for variable in CA_BUNDLE_VARIABLES:
        if os.environ.get(variable):
            return os.environ[variable]
    return None


def _private_dir():
    global _pem_dir
    with _pem_lock:
        if _pem_dir is None:
            _pem_dir = tempfile.mkdtemp(prefix='docker-tls-')
            # Keys do not outlive the process that needed them.
            atexit.register(shutil.rmtree, _pem_dir, ignore_errors=True)
        return _pem_dir


def pem_path(value, kind):
    """A file path for TLS material given as a path or as PEM text.

    `kind` ("ca", "cert", "key") names the material in errors and files.
    """
    if PEM_MARKER not in value:
        if not os.path.isfile(value):
            raise TLSMaterialError(
                'TLS %s file %s does not exist' % (kind, value))
        return value
    digest = hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]
    path = os.path.join(_private_dir(), '%s-%s.pem' % (kind, digest))
    if not os.path.exists(path):
        # Written aside and renamed: a reader never sees half a key.
        partial = '%s.%d.tmp' % (path, threading.get_ident())
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as pem_file:
            pem_file.write(value)
        os.replace(partial, path)
    return path


def tls_config(ca_cert=None, client_cert=None, client_key=None, verify=True,
               always=False):
    """A TLSConfig from PEM text or paths.

    None (no TLS) when no material is given, unless `always`. With `verify`
    and no `ca_cert`, the engine is checked against the environment's CA
    bundle (REQUESTS_CA_BUNDLE) or, without one, against the CAs requests
    trusts by default.
    """
    if not (always or ca_cert or client_cert or client_key):
        return None
    if bool(client_cert) != bool(client_key):
        raise TLSMaterialError(
            'TLS needs both a client certificate and its key')
    cert = None
    if client_cert:
        cert = (pem_path(client_cert, 'cert'), pem_path(client_key, 'key'))
    ca = pem_path(ca_cert, 'ca') if ca_cert else None
    if verify and ca is None:
        verify = environment_ca_bundle() or True
    try:
        return TLSConfig(client_cert=cert, ca_cert=ca, verify=verify)
    except docker_errors.TLSParameterError as exc:
        raise TLSMaterialError('invalid TLS parameters: %s' % exc)


class APIClient(docker.APIClient):
    """A low-level client that may connect faster than it reads.

    The SDK has one timeout for connecting and reading; with
    `connect_timeout`, an engine that is down fails within it while a long
    call still has the whole `timeout`.
    """

    def __init__(self, *args, connect_timeout=None, **kwargs):
        self._connect_timeout = connect_timeout
        super().__init__(*args, **kwargs)

    def _set_request_timeout(self, kwargs):
        kwargs = super()._set_request_timeout(kwargs)
        timeout = kwargs.get('timeout')
        if self._connect_timeout and isinstance(timeout, (int, float)):
            kwargs['timeout'] = (min(self._connect_timeout, timeout),
                                 timeout)
        return kwargs


class DockerClient(docker.DockerClient):
    """docker.DockerClient over APIClient."""

    def __init__(self, *args, **kwargs):
        # DockerClient's own __init__ only makes its API client.
        self.api = APIClient(*args, **kwargs)


def api_client(base_url=None, tls=None, timeout=60, connect_timeout=None,
               version='auto'):
    """A low-level client of one engine (the local socket by default).

    With TLS the SDK turns tcp:// into https:// by itself.
    """
    return APIClient(base_url=base_url or None, tls=tls or False,
                     version=version, timeout=timeout,
                     connect_timeout=connect_timeout)


def client(base_url=None, tls=None, timeout=60, connect_timeout=None,
           version='auto'):
    """A high-level client of one engine (the local socket by default)."""
    return DockerClient(base_url=base_url or None, tls=tls or False,
                        version=version, timeout=timeout,
                        connect_timeout=connect_timeout)


def environment_kwargs():
    """base_url and tls from DOCKER_HOST and friends, as the CLI reads them.

    The TLS settings get this module's behaviour (the environment's
    REQUESTS_CA_BUNDLE never replaces DOCKER_CERT_PATH's CA).
    """
    kwargs = docker.utils.kwargs_from_env()
    tls = kwargs.get('tls')
    if isinstance(tls, docker_tls.TLSConfig):
        ca = tls.ca_cert if isinstance(tls.verify, bool) else tls.verify
        tls = TLSConfig(client_cert=tls.cert, ca_cert=ca,
                        verify=bool(tls.verify))
    return {'base_url': kwargs.get('base_url'), 'tls': tls}


# -- labels ----------------------------------------------------------------
# Every Docker object a component makes carries labels in one convention,
# Docker's reverse-DNS one: org.openstack.<component>.<key>, lower case,
# words joined by hyphens. Objects made by earlier releases carry older
# names; LEGACY_LABELS maps each current name to them so that those
# objects are still found and read.

LABEL_PREFIX = 'org.openstack'

LEGACY_LABELS = {
    'org.openstack.magnum-lite.cluster': ('magnum_lite.cluster',),
    'org.openstack.magnum-lite.nodegroup': ('magnum_lite.nodegroup',),
    'org.openstack.magnum-lite.index': ('magnum_lite.index',),
    'org.openstack.magnum-lite.node': ('magnum_lite.node',),
    'org.openstack.magnum-lite.role': ('magnum_lite.role',),
    'org.openstack.magnum-lite.container': ('magnum_lite.container',),
    'org.openstack.heat.stack-id': ('heat.stack_id',),
    'org.openstack.heat.stack-name': ('heat.stack_name',),
    'org.openstack.heat.resource-name': ('heat.resource_name',),
}


def label(component, key):
    """The label name of `key` for `component` ("magnum-lite", "nova")."""
    return '%s.%s.%s' % (LABEL_PREFIX, component, key)


def label_names(name):
    """The current name of a label followed by its legacy names."""
    return (name,) + LEGACY_LABELS.get(name, ())


def read_label(labels, name, default=None):
    """A label's value under its current name, else under a legacy one."""
    labels = labels or {}
    for candidate in label_names(name):
        if candidate in labels:
            return labels[candidate]
    return default


def label_filters(name, value=None):
    """Docker `label` filters, one per name the label has had.

    Docker ANDs the labels of one filter, so objects carrying either name
    take one query per name; the caller merges the answers.
    """
    return [{'label': candidate if value is None
             else '%s=%s' % (candidate, value)}
            for candidate in label_names(name)]
