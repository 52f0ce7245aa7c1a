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

"""magnum-lite-api: serves the REST API on [api] host and port."""

import signal
import sys
import threading

from oslo_log import log as logging

from magnum_lite import cmd
from magnum_lite.cmd import wsgi_server
from magnum_lite.common import rpc
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)


def serve(app, host, port, on_stop=None):
    """Serve until SIGTERM or SIGINT; requests in flight finish.

    `on_stop` runs however serving ends, a port already in use included,
    so what the caller started beside the API (a conductor, a child Heat)
    is stopped too.
    """
    try:
        server = wsgi_server.make_server(app, host, port)
    except Exception:
        LOG.exception('Cannot serve the API on %s:%s', host, port)
        if on_stop is not None:
            on_stop()
        raise

    def handler(signum, _frame):
        LOG.info('Signal %s received, stopping the API', signum)
        # shutdown() waits for serve_forever to return: not from the
        # thread running it.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    LOG.info('Serving the API on http://%s:%s/', host, server.server_port)
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
        if on_stop is not None:
            on_stop()


def main(argv=None):
    cmd.prepare_service(sys.argv[1:] if argv is None else argv,
                        'magnum-lite-api')
    cmd.check_database('magnum-lite-api')
    from magnum_lite.api import app
    serve(app.load_app(), CONF.api.host, CONF.api.port,
          on_stop=rpc.cleanup)
    return 0


if __name__ == '__main__':
    sys.exit(main())
