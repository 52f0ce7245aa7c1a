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

"""heat-wsgi-api's application and heat-engine in one process.

Usage: python -m tests.harness.heat_api_server CONF PORT

The API is the paste application heat-wsgi-api serves, the engine is
heat-engine's EngineService (RPC server, convergence workers), and they talk
over oslo.messaging's in-memory fake:// transport. A shared RabbitMQ would
not isolate a test engine: Heat's queue names are fixed, so engines of
other runs on the same broker would take this run's messages.
"""

import signal
import sys
import wsgiref.simple_server

from oslo_service import backend

backend.init_backend(backend.BackendType.THREADING)

from heat.common import config  # noqa: E402
from heat.common import messaging  # noqa: E402
from oslo_config import cfg  # noqa: E402
from oslo_log import log as logging  # noqa: E402


class _QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        # Heat logs each request itself.
        pass


def main(config_file, port):
    logging.register_options(cfg.CONF)
    cfg.CONF(['--config-file', config_file], project='heat',
             prog='heat-api-and-engine')
    logging.setup(cfg.CONF, 'heat-api-and-engine')
    config.set_config_defaults()
    # One transport for both sides: fake:// lives inside one process.
    messaging.setup('fake://')

    from heat.db import api as db_api
    from heat.db import models
    models.BASE.metadata.create_all(db_api.get_engine())

    from heat.engine import service
    from heat.rpc import api as rpc_api
    engine = service.EngineService(cfg.CONF.host, rpc_api.ENGINE_TOPIC)
    engine.start()

    app = config.load_paste_app('heat-api')
    server = wsgiref.simple_server.make_server(
        '127.0.0.1', port, app, handler_class=_QuietHandler)
    # SIGTERM ends serve_forever through SystemExit, so the engine stops
    # and exit handlers (the plugins' TLS files) run.
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
    try:
        server.serve_forever()
    finally:
        engine.stop()


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]))
