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

"""The base of tests that boot servers through the whole of Nova.

nova-api, conductor, scheduler and compute run in-process with Placement
(``_IntegratedTestBase``); Glance and Neutron are Nova's fixtures. The
compute service loads the driver by its Nova name, docker.DockerDriver.
"""

import io

import fixtures
from nova.tests.functional import integrated_helpers

from tests.harness import nova_driver
from tests.harness import services


class DockerServerTestBase(integrated_helpers._IntegratedTestBase):
    ADMIN_API = True
    microversion = 'latest'
    REQUIRES_LOCKING = False

    @classmethod
    def tearDownClass(cls):
        nova_driver.remove_test_image()
        super().tearDownClass()

    def setUp(self):
        self.engine = services.require_docker()
        self.compute_host = nova_driver.unique_host()
        super().setUp()
        self.addCleanup(nova_driver.remove_containers, self.engine,
                        self.compute_host)
        self.addCleanup(self._remove_images)
        # Nova's Glance fixture drops uploaded bits; Glance keeps them,
        # and a snapshot must boot again from them.
        update = self.glance.update

        def keep_data(context, image_id, metadata, data=None,
                      purge_props=False):
            if data is not None:
                self.glance._imagedata[image_id] = data.read()
            return update(context, image_id, metadata, data=None,
                          purge_props=purge_props)
        self.glance.update = keep_data
        self.image = self.glance.create(
            None, nova_driver.docker_image_meta(),
            data=io.BytesIO(nova_driver.busybox_tarball()))

    def _setup_compute_service(self):
        services.require_root()
        self.useFixture(nova_driver.NovaVirtAlias())
        self.useFixture(nova_driver.PrivsepInProcess())
        self.flags(compute_driver='docker.DockerDriver')
        self.flags(image_cache_dir=self.useFixture(fixtures.TempDir()).path,
                   group='docker')
        return self._start_compute(self.compute_host)

    def _remove_images(self):
        nova_driver.remove_images(self.engine, list(self.glance.images))

    def _container(self, server):
        containers = self.engine.containers.list(
            all=True, filters={'name': 'nova-' + server['id']})
        return containers[0] if containers else None

    def _status(self, server):
        container = self._container(server)
        return container.status if container else None
