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

"""What a swarm_docker template may name: the host engine's images and networks.

The nodes are containers of the engine that runs them (engine.py), so a
template's image and external network are checked there, not in Glance or
Neutron:
- image_id: an image the engine has, or a name of the node image the
  driver builds itself (image.py), which is what it runs either way;
- external_network_id: "none" (each cluster gets a private network of
  its own), or a network the engine has.
Flavors and keypairs mean nothing to a docker-in-docker node: any value
is accepted, as before.
"""

from docker import errors as docker_errors
import requests

from magnum_lite.common import exception
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import image

# Names that stand for the node image the driver builds: the README's
# "dind", "none", and the image's own repository (any tag).
BUILT_IMAGE_NAMES = ('dind', 'none', image.REPOSITORY)
NO_NETWORK = 'none'


def is_built_image(name):
    return name in BUILT_IMAGE_NAMES or name.startswith(
        image.REPOSITORY + ':')


def _unavailable(what, exc):
    return exception.CloudServiceUnavailable(
        service='Docker engine', what=what, reason=exc)


def _engine_has(inspect, name, what):
    try:
        inspect(name)
        return True
    except docker_errors.NotFound:
        return False
    except (docker_errors.DockerException, requests.RequestException) as exc:
        raise _unavailable(what, exc)


def validate(names, client_factory=engine.host_client):
    """Raise ImageNotFound or ExternalNetworkNotFound (400)."""
    wanted_image = names.get('image_id')
    network = names.get('external_network_id')
    check_image = wanted_image is not None and not is_built_image(
        wanted_image)
    check_network = network is not None and network != NO_NETWORK
    if not (check_image or check_network):
        return
    try:
        client = client_factory()
    except docker_errors.DockerException as exc:
        raise _unavailable('the template', exc)
    try:
        if check_image and not _engine_has(
                client.inspect_image, wanted_image, 'image %s' % wanted_image):
            raise exception.ImageNotFound(image_id=wanted_image)
        if check_network and not _engine_has(
                client.inspect_network, network, 'network %s' % network):
            raise exception.ExternalNetworkNotFound(network=network)
    finally:
        client.close()
