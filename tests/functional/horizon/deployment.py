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

"""Keystone, magnum-lite in keystone mode and Horizon, on loopback.

Keystone and magnum-lite are deployed as in the Keystone mode test
(test_keystone_mode.Deployment: a real Keystone with magnum-lite in its
catalog as container-infra, magnum-lite-aio with keystonemiddleware, no
Heat, and the fake cluster driver registered through a real entry point,
so a cluster reaches CREATE_COMPLETE through the conductor's status sync).
This adds what Horizon needs beside them: the stand-ins of catalog_stubs
in the catalog, and Horizon itself.
"""

import re

from tests.fakes import processes
from tests.functional.horizon import catalog_stubs
from tests.functional.horizon import horizon_server
from tests.functional.keystone import keystone_server
from tests.functional.keystone import test_keystone_mode as keystone_mode

PASSWORD = keystone_mode.PASSWORD
MEMBER = 'user-a'
ADMIN_PASSWORD = keystone_server.ADMIN_PASSWORD
# wsgi_server's access log: 127.0.0.1 "GET /v1/clusters HTTP/1.1" 200 -
ACCESS_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[0-9.]+" ([0-9]{3})')


class Deployment(keystone_mode.Deployment):

    def __init__(self, directory, horizon_python):
        super().__init__(directory)
        (directory / 'keystone').mkdir(exist_ok=True)
        (directory / 'horizon').mkdir(exist_ok=True)
        self.stubs = catalog_stubs.StubServices(processes.free_port())
        self.horizon = horizon_server.Horizon(
            directory / 'horizon', self.keystone.url, horizon_python)

    def create_identities(self):
        super().create_identities()
        admin = self.keystone.admin()
        for service_type, name, url in self.stubs.catalog():
            service = admin.services.create(name, type=service_type)
            for interface in ('public', 'internal', 'admin'):
                admin.endpoints.create(service, url, interface,
                                       region='RegionOne')

    def start(self):
        self.stubs.start()
        self.keystone.start()
        self.create_identities()
        self.start_api()
        self.horizon.start()

    def stop(self):
        self.horizon.stop()
        if self.api is not None:
            self.api.stop(timeout=30)
        self.keystone.stop()
        self.stubs.stop()

    def api_requests(self):
        """(method, path, status) of every request magnum-lite served."""
        return [(m, p, int(s)) for m, p, s in
                ACCESS_LINE.findall(self.api.log())]

    def logs(self):
        horizon = self.horizon.service
        return super().logs() + (
            '\n===== %s =====\n%s' % (horizon.log_path, horizon.log()[-20000:])
            if horizon is not None else '')
