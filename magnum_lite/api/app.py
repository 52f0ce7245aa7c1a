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

"""The API application: the Pecan app, its middleware and paste factories."""

import functools
import os

from oslo_config import cfg
from oslo_log import log
from paste import deploy
import pecan
from pecan import compat as pecan_compat
from pecan import util as pecan_util

from magnum_lite.api import hooks
from magnum_lite.api import middleware

CONF = cfg.CONF
LOG = log.getLogger(__name__)

PACKAGED_PASTE_CONFIG = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', 'etc', 'magnum_lite',
    'api-paste.ini'))


# Pecan inspects the controller methods' signatures several times per
# request, building a new named tuple each time; the methods never change,
# so the answers are kept (about a fifth of a cluster show's CPU).
pecan_util._getargspec = functools.lru_cache(maxsize=None)(
    pecan_compat.getargspec)


def setup_app(rpcapi=None):
    """The Pecan application wrapped in version and error middleware.

    `rpcapi` replaces the conductor client (tests pass a recorder).
    """
    app = pecan.make_app(
        'magnum_lite.api.controllers.root.RootController',
        hooks=[hooks.ContextHook(), hooks.RPCHook(rpcapi),
               hooks.RequestIdHook()],
        force_canonical=False,
        guess_content_type_from_ext=False,
        debug=False,
        logging=False,
    )
    return middleware.ErrorEnvelope(middleware.VersionNegotiation(
        middleware.OpaqueBody(app)))


def app_factory(global_config, **local_conf):
    """Paste factory of the API application."""
    return setup_app()


def paste_config_path():
    """The configured paste file, else the one shipped with the package."""
    path = CONF.api.api_paste_config
    if not os.path.isabs(path):
        try:
            path = CONF.find_file(path) or path
        except cfg.NotInitializedError:
            pass
    if not os.path.exists(path):
        path = PACKAGED_PASTE_CONFIG
    return os.path.abspath(path)


def load_app():
    """The whole WSGI pipeline, as the paste configuration describes it."""
    path = paste_config_path()
    pipeline = 'keystone' if CONF.api.auth_strategy == 'keystone' else 'noauth'
    LOG.info('Loading the API pipeline "%s" from %s', pipeline, path)
    return deploy.loadapp('config:' + path, name=pipeline)
