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

"""A conductor: the RPC server in front of a ConductorManager."""

from oslo_log import log as logging
import oslo_messaging as messaging

from magnum_lite.common import rpc
from magnum_lite.conductor import manager as conductor_manager
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)


class ConductorService:

    def __init__(self, host=None, dbapi=None):
        self.manager = conductor_manager.ConductorManager(host, dbapi)
        self.server = None

    @property
    def host(self):
        return self.manager.host

    def start(self):
        self.manager.prepare()
        # Listening on the topic (any conductor) and on topic.host (casts
        # for the clusters this conductor owns) before announcing itself.
        target = messaging.Target(topic=CONF.conductor.topic,
                                  server=self.host)
        self.server = rpc.get_server(target, [self.manager])
        self.server.start()
        self.manager.announce()
        LOG.info('Conductor %s listening on topic %s', self.host,
                 CONF.conductor.topic)

    def stop(self, graceful=True):
        """Stop taking RPCs, finish running work, mark the service down."""
        if self.server is not None:
            self.server.stop()
        self.manager.stop(graceful=graceful)
        if self.server is not None:
            self.server.wait()
            self.server = None
