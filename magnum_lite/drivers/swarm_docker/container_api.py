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

"""Containers of the container API on swarm_docker nodes.

No registry is reachable from the nodes: an image a node lacks is copied
into it from the host engine (see images) before the container is made.
"""

from docker import errors as docker_errors

from magnum_lite.drivers import docker_nodes
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import images


class SwarmDockerContainerHost(docker_nodes.NodeContainerHost):
    """Nodes reached like any swarm's, given images by the host engine."""

    def ensure_image(self, cluster, client, image):
        try:
            client.images.get(image)
            return
        except docker_errors.ImageNotFound:
            pass
        hostname = client.info().get('Name')
        host = engine.host_client()
        try:
            images.copy_image(host, cluster.uuid, image, nodes=[hostname])
        finally:
            host.close()
