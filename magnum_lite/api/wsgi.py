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

"""WSGI entry points: `application` for servers, `init_application` for pbr.

uWSGI or mod_wsgi import `magnum_lite.api.wsgi:application`; the
configuration is read on the first request rather than at import, so that
importing this module (e.g. to check it) has no side effects.
"""

import os
import threading

from oslo_config import cfg
from oslo_log import log

from magnum_lite.api import app
from magnum_lite.api import method
from magnum_lite.api import middleware
from magnum_lite.common import exception

CONF = cfg.CONF
LOG = log.getLogger(__name__)

CONFIG_ENV = 'MAGNUM_LITE_CONFIG_FILE'


def _parsed():
    # The all-in-one command and tests parse the configuration themselves.
    return getattr(CONF, '_namespace', None) is not None


def init_application(argv=None):
    """Read the configuration, set up logging and load the pipeline.

    The configuration is found as the console scripts find it
    (/etc/magnum_lite/magnum_lite.conf), or named by
    $MAGNUM_LITE_CONFIG_FILE; with none the defaults apply (SQLite in the
    state directory, noauth, in-process messaging).
    """
    if not _parsed():
        if argv is None:
            argv = []
            if os.environ.get(CONFIG_ENV):
                argv = ['--config-file', os.environ[CONFIG_ENV]]
        from magnum_lite import cmd
        cmd.prepare_service(argv, 'magnum-lite-api')
    from magnum_lite.db import migration
    migration.check_schema()
    return app.load_app()


class _LazyApplication:
    """Load the real application once, on the first request.

    Until the database is at this release's schema every request gets a
    503 saying so, and the next request tries again: the operator runs
    magnum-lite-db-manage upgrade, and the API serves without a restart.
    """

    def __init__(self):
        self._app = None
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if self._app is None:
            with self._lock:
                if self._app is None:
                    try:
                        self._app = init_application()
                    except exception.DatabaseNotMigrated as exc:
                        LOG.error('%s', exc)
                        return middleware.start_json(
                            start_response, exc.code,
                            method.error_document(exc.code, str(exc), ''))
        return self._app(environ, start_response)


application = _LazyApplication()
