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
(tests.harness.keystone_mode.Deployment: a real Keystone with magnum-lite
in its catalog as container-infra, magnum-lite-aio with keystonemiddleware,
and the fake cluster driver registered through a real entry point, which
the clusters made through magnum-ui's forms use). Unlike there,
magnum-lite-aio starts its own Heat: one real Swarm cluster of the
swarm_docker driver (node containers on the host's Docker engine) hosts
the containers of the Containers panel. It is made through the API while
Horizon starts, so that the two overlap. This adds what Horizon needs
beside them: the stand-ins of catalog_stubs in the catalog, and Horizon
itself.
"""

import os
import re
import shutil

from magnum_lite.drivers.swarm_docker import engine
from tests.functional.horizon import catalog_stubs
from tests.functional.horizon import horizon_server
from tests.harness import keystone_mode
from tests.harness import keystone_server
from tests.harness import processes

PASSWORD = keystone_mode.PASSWORD
MEMBER = 'user-a'
ADMIN_PASSWORD = keystone_server.ADMIN_PASSWORD
# wsgi_server's access log: 127.0.0.1 "GET /v1/clusters HTTP/1.1" 200 -
ACCESS_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[0-9.]+" ([0-9]{3})')
SWARM_TEMPLATE = 'swarm-docker'
SWARM_CLUSTER = 'swarm'
# An image the host engine alone has (made offline, copied into the node
# by the conductor); named after this folder, as other folders' tests may
# make and remove theirs at the same time.
BUSYBOX = 'magnum-lite-test/horizon-busybox:latest'
BUSYBOX_DOCKERFILE = """FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
"""


class Deployment(keystone_mode.Deployment):

    def __init__(self, directory, horizon_python, docker):
        super().__init__(directory)
        (directory / 'keystone').mkdir(exist_ok=True)
        (directory / 'horizon').mkdir(exist_ok=True)
        self.stubs = catalog_stubs.StubServices(processes.free_port())
        self.horizon = horizon_server.Horizon(
            directory / 'horizon', self.keystone.url, horizon_python)
        self.docker = docker
        self.busybox = None
        self.swarm_uuid = None

    def options(self):
        options = super().options()
        # Its own Heat, for the swarm_docker cluster; the API keeps
        # Keystone, and the conductor reaches that Heat without it.
        options['aio'] = {'start_heat': True}
        # The swarm's TLS: OpenSSL refuses a CA of 1024 bits as too weak.
        del options['x509']
        return options

    def create_identities(self):
        super().create_identities()
        admin = self.keystone.admin()
        for service_type, name, url in self.stubs.catalog():
            service = admin.services.create(name, type=service_type)
            for interface in ('public', 'internal', 'admin'):
                admin.endpoints.create(service, url, interface,
                                       region='RegionOne')

    def start(self):
        # magnum-lite-aio (with its Heat) and Horizon take the longest to
        # start, and reach Keystone only for requests: they start while
        # Keystone is set up, Horizon's start overlaps the cluster's create.
        self.start_api()
        self.horizon.start()
        self.stubs.start()
        self.keystone.start()
        self.create_identities()
        self.make_busybox()
        self.wait_until_ready()
        self.create_swarm_cluster()
        self.horizon.wait_until_ready()

    def make_busybox(self):
        context = self.directory / 'busybox'
        context.mkdir()
        shutil.copy('/bin/busybox', context / 'busybox')
        (context / 'Dockerfile').write_text(BUSYBOX_DOCKERFILE)
        self.docker.images.build(path=str(context), tag=BUSYBOX, rm=True,
                                 forcerm=True)
        self.busybox = BUSYBOX

    def create_swarm_cluster(self):
        """Start the create of the Swarm cluster (not waiting for it)."""
        status, body = self.http(MEMBER, 'POST', '/clustertemplates', {
            'name': SWARM_TEMPLATE, 'coe': 'swarm-mode',
            'server_type': 'container', 'driver': 'swarm_docker',
            # No image service: the os_distro label names it.
            'image_id': 'none', 'external_network_id': 'none',
            'labels': {'os_distro': 'debian'}})
        assert status == 201, body
        status, body = self.http(MEMBER, 'POST', '/clusters', {
            'name': SWARM_CLUSTER, 'cluster_template_id': SWARM_TEMPLATE,
            'master_count': 1, 'node_count': 1})
        assert status == 202, body
        self.swarm_uuid = body['uuid']

    def stop(self):
        self.horizon.stop()
        if self.api is not None:
            self.api.stop(timeout=60)
        self.keystone.stop()
        self.stubs.stop()
        # The node containers, networks and volumes the cluster left on
        # the host engine; nothing else of the cluster outlives the
        # deployment's directory.
        left = []
        if self.swarm_uuid is not None:
            left = engine.remove_leftovers(self.docker.api, self.swarm_uuid)
        if self.busybox is not None:
            self.docker.images.remove(self.busybox, force=True)
        assert not left, left

    def api_requests(self):
        """(method, path, status) of every request magnum-lite served."""
        return [(m, p, int(s)) for m, p, s in
                ACCESS_LINE.findall(self.api.log())]

    def logs(self):
        parts = [super().logs()]
        horizon = self.horizon.service
        if horizon is not None:
            parts.append('===== %s =====\n%s' % (horizon.log_path,
                                                 horizon.log()[-20000:]))
        heat_log = self.directory / 'state' / 'heat' / 'heat.log'
        if os.path.exists(heat_log):
            with open(heat_log, errors='replace') as log:
                parts.append('===== %s =====\n%s' % (heat_log,
                                                     log.read()[-20000:]))
        return '\n'.join(parts)
