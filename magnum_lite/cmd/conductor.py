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

"""magnum-lite-conductor: the conductor service."""

import signal
import sys
import threading

from oslo_log import log as logging

from magnum_lite import cmd
from magnum_lite.common import rpc

LOG = logging.getLogger(__name__)


def wait_for_stop_signal():
    """Block until SIGTERM or SIGINT."""
    stop = threading.Event()

    def handler(signum, _frame):
        LOG.info('Signal %s received, stopping', signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    while not stop.wait(1):
        pass


def main(argv=None):
    cmd.prepare_service(sys.argv[1:] if argv is None else argv,
                        'magnum-lite-conductor')
    cmd.check_database('magnum-lite-conductor')
    from magnum_lite.conductor import service
    from magnum_lite import conf as ml_conf
    if rpc.configured_url(ml_conf.CONF) == rpc.IN_PROCESS_URL:
        LOG.warning('No transport_url is configured: this conductor uses '
                    'in-process messaging, which an API in another process '
                    'cannot reach. Set [DEFAULT] transport_url, or run '
                    'magnum-lite-aio for a single process.')
    conductor = service.ConductorService()
    conductor.start()
    try:
        wait_for_stop_signal()
    finally:
        conductor.stop(graceful=True)
        rpc.cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())
