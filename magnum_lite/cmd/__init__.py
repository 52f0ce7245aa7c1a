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

"""Console scripts; `prepare_service` is what each does first."""

import os
import warnings

# futurist probes for eventlet, whose import warns that it is deprecated;
# magnum-lite does not use eventlet, so operators need not see that.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

from oslo_config import cfg  # noqa: E402
from oslo_log import log  # noqa: E402

# Chooses oslo.service's threading backend before oslo.messaging loads.
import magnum_lite.conductor  # noqa: E402,F401,I202
from magnum_lite.common import rpc  # noqa: E402,H306
from magnum_lite import conf as ml_conf  # noqa: E402
from magnum_lite.conf import database  # noqa: E402
from magnum_lite.conf import opts  # noqa: E402

CONF = ml_conf.CONF


def register_opts(conf=None):
    conf = conf or CONF
    log.register_options(conf)
    opts.set_defaults(conf)
    rpc.register_opts(conf)


def finish_defaults(conf=None):
    """Defaults that depend on other options, once the files are read.

    Without a [database] connection the SQLite file lives in the state
    directory named by the (possibly configured) state_path.
    """
    conf = conf or CONF
    location = conf.get_location('connection', 'database')
    if location is None or location.location == cfg.Locations.opt_default:
        conf.set_default('connection', database.default_connection(conf),
                         group='database')
    os.makedirs(os.path.expanduser(conf.state_path), exist_ok=True)


def check_database(program):
    """Exit, saying why, unless the database is at this release's schema."""
    from magnum_lite.common import exception
    from magnum_lite.db import migration
    try:
        migration.check_schema()
    except exception.DatabaseNotMigrated as exc:
        log.getLogger(__name__).error('%s', exc)
        raise SystemExit('%s: %s' % (program, exc))


def prepare_service(argv, program, log_to_stderr=False):
    """Parse the command line and the configuration, set up logging.

    `--config-file` may be given; otherwise oslo.config's search path
    finds /etc/magnum_lite/magnum_lite.conf when it exists, and with no
    file at all the defaults run everything locally: SQLite in the state
    directory, noauth, in-process messaging.
    """
    register_opts(CONF)
    if log_to_stderr:
        # Command-line tools print their answer on stdout; logs go apart.
        CONF.set_default('use_stderr', True)
    CONF(argv, project='magnum_lite', prog=program)
    finish_defaults(CONF)
    log.setup(CONF, program)
    return CONF
