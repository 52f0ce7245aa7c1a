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

"""Pecan hooks: who is asking, how to reach the conductor, the request id."""

from oslo_config import cfg
from oslo_log import log
from pecan import hooks

from magnum_lite.api import method
from magnum_lite.common import context
from magnum_lite.common import policy

CONF = cfg.CONF
LOG = log.getLogger(__name__)

# Who a request is when nothing says otherwise in noauth mode: an admin
# of project "admin", which is what a single-user test cloud expects.
NOAUTH_PROJECT = 'admin'
NOAUTH_USER = 'admin'
NOAUTH_ROLES = ('admin', 'member', 'reader')


def _roles(header_value):
    return [r.strip() for r in (header_value or '').split(',') if r.strip()]


class ContextHook(hooks.PecanHook):
    """Build the RequestContext of a request.

    With keystone, the identity comes from the headers keystonemiddleware
    sets after validating the token. With noauth there is no token; the
    same headers may still say who the caller is (tests act as several
    projects this way), and everything missing defaults to an admin.
    """

    def before(self, state):
        environ = state.request.environ
        headers = state.request.headers
        ctx = context.RequestContext.from_environ(environ)
        if CONF.api.auth_strategy == 'noauth':
            ctx.project_id = headers.get('X-Project-Id') or NOAUTH_PROJECT
            ctx.user_id = headers.get('X-User-Id') or NOAUTH_USER
            roles = _roles(headers.get('X-Roles'))
            ctx.roles = roles if 'X-Roles' in headers else list(NOAUTH_ROLES)
        ctx.request_id = environ.get(method.REQUEST_ID_KEY, ctx.request_id)
        ctx.is_admin = policy.check(ctx, 'context_is_admin')
        state.request.context = ctx


class RPCHook(hooks.PecanHook):
    """Give controllers the conductor RPC client as request.rpcapi.

    The client is created on first use and shared, so that a process
    without a reachable broker still answers every read-only request.
    """

    def __init__(self, rpcapi=None):
        self._rpcapi = rpcapi

    def _client(self):
        if self._rpcapi is None:
            from magnum_lite.conductor import rpcapi
            self._rpcapi = rpcapi.ConductorAPI()
        return self._rpcapi

    def before(self, state):
        state.request.rpcapi = _LazyClient(self._client)


class _LazyClient:
    def __init__(self, factory):
        self._factory = factory

    def __getattr__(self, name):
        return getattr(self._factory(), name)


class RequestIdHook(hooks.PecanHook):
    """Echo the request id even when the request_id middleware is absent."""

    def after(self, state):
        request_id = state.request.environ.get(method.REQUEST_ID_KEY)
        if request_id and 'X-OpenStack-Request-Id' not in state.response.headers:
            state.response.headers['X-OpenStack-Request-Id'] = request_id
