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

"""oslo.messaging plumbing shared by the API (client) and the conductor.

One transport per process. When no `transport_url` is configured the
in-process `fake://` driver is used: it only connects a client and a server
living in the same process, which is exactly the all-in-one mode.
"""

import threading

from oslo_config import cfg
import oslo_messaging as messaging
from oslo_messaging import opts as messaging_opts

from magnum_lite.common import context as ml_context
from magnum_lite.common import exception

# Exceptions raised by the conductor in these modules come back to the
# caller as the same types (with their HTTP code), not as RemoteError.
ALLOWED_EXMODS = [exception.__name__]

IN_PROCESS_URL = 'fake://'
CONTROL_EXCHANGE = 'magnum_lite'

_lock = threading.Lock()
_transport = None


def register_opts(conf):
    """Register oslo.messaging's [DEFAULT] options (transport_url...)."""
    # First, so the copies registered here carry our exchange as default
    # and equal the originals oslo.messaging registers later.
    messaging.set_transport_defaults(CONTROL_EXCHANGE)
    for group, opts in messaging_opts.list_opts():
        if group in (None, 'DEFAULT'):
            conf.register_opts(opts)


def configured_url(conf):
    """The transport URL, or `fake://` when the operator set none."""
    register_opts(conf)
    location = conf.get_location('transport_url')
    if location is None or location.location == cfg.Locations.opt_default:
        return IN_PROCESS_URL
    return conf.transport_url


def get_transport(conf=None):
    """The process's RPC transport, made on first use."""
    global _transport
    from magnum_lite import conf as ml_conf
    conf = conf or ml_conf.CONF
    with _lock:
        if _transport is None:
            _transport = messaging.get_rpc_transport(
                conf, url=configured_url(conf),
                allowed_remote_exmods=ALLOWED_EXMODS)
        return _transport


def cleanup():
    """Close the transport (service stop, test teardown)."""
    global _transport
    with _lock:
        if _transport is not None:
            _transport.cleanup()
        _transport = None


class RequestContextSerializer(messaging.Serializer):
    """Carries the RequestContext across RPC; payloads are plain data.

    Casts and calls carry UUIDs and strings only, so entities pass through
    unchanged (or through `base`, when one is given).
    """

    def __init__(self, base=None):
        self._base = base

    def serialize_entity(self, ctxt, entity):
        if self._base is None:
            return entity
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt, entity):
        if self._base is None:
            return entity
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return ml_context.RequestContext.from_dict(ctxt)


def get_client(target, version_cap=None):
    return messaging.get_rpc_client(get_transport(), target,
                                    version_cap=version_cap,
                                    serializer=RequestContextSerializer())


class DeclaredMethodsPolicy(messaging.RPCAccessPolicyBase):
    """Dispatch only the methods an endpoint lists in its RPC_METHODS.

    oslo.messaging's default dispatches every public method: on the
    conductor's manager that would let a message call stop() or
    heartbeat() as well as the operations of its RPC API.
    """

    def is_allowed(self, endpoint, method):
        return method in getattr(endpoint, 'RPC_METHODS', ())


def get_server(target, endpoints):
    # The threading executor: each incoming message runs in a thread of
    # oslo.messaging's pool; manager methods return quickly because they
    # hand long work to their own worker pool.
    return messaging.get_rpc_server(get_transport(), target, endpoints,
                                    executor='threading',
                                    serializer=RequestContextSerializer(),
                                    access_policy=DeclaredMethodsPolicy)
