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

"""magnum-lite-aio: the API and a conductor in one process.

For a laptop or a test: no broker (in-process messaging), the database
migrated at start (SQLite in the state directory unless [database] says
otherwise), noauth unless the configuration asks for Keystone, and a real
Heat API and engine with our Docker resources in a child process
([aio] start_heat) for the clusters.
"""

import importlib.util
import sys

from oslo_log import log as logging

from magnum_lite import cmd
from magnum_lite.cmd import api as api_cmd
from magnum_lite.common import rpc
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

HEAT_MISSING = (
    'magnum-lite-aio runs a Heat engine for its clusters, and Heat is not '
    'installed in this Python environment. Install the all-in-one extra: '
    "pip install 'magnum-lite[aio]'; or use a Heat of your own with "
    '[aio] start_heat = false and [heat_client] endpoint_override.')


def heat_installed():
    return importlib.util.find_spec('heat') is not None


def _start_heat():
    """The child Heat the clusters are made with, unless one is given."""
    if not CONF.aio.start_heat or CONF.heat_client.endpoint_override:
        return None
    if not heat_installed():
        raise SystemExit(HEAT_MISSING)
    import os

    from magnum_lite.aio import heat as heat_service
    heat = heat_service.HeatService(
        os.path.join(os.path.expanduser(CONF.state_path), 'heat'),
        port=CONF.aio.heat_port or None)
    heat.start()
    CONF.set_override('endpoint_override', heat.endpoint,
                      group='heat_client')
    # Our Heat has no Keystone, whatever the API authenticates with.
    CONF.set_override('noauth', True, group='heat_client')
    LOG.info('Heat for clusters: %s', heat.endpoint)
    return heat


def main(argv=None):
    cmd.prepare_service(sys.argv[1:] if argv is None else argv,
                        'magnum-lite-aio')
    # One process: the API's casts must reach this conductor, whatever a
    # shared configuration file says about a broker.
    CONF.set_override('transport_url', rpc.IN_PROCESS_URL)
    from magnum_lite.api import app
    from magnum_lite.conductor import service
    from magnum_lite.db import api as db_api
    db_api.setup_database()
    heat = _start_heat()
    conductor = service.ConductorService()
    conductor.start()

    def stop_conductor():
        conductor.stop(graceful=True)
        rpc.cleanup()
        if heat is not None:
            heat.stop()

    api_cmd.serve(app.load_app(), CONF.api.host, CONF.api.port,
                  on_stop=stop_conductor)
    return 0


if __name__ == '__main__':
    sys.exit(main())
