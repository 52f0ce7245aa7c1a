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

"""Which names a swarm_docker template may give (the engine stood in for).

The real engine is asked in
tests/functional/magnum_lite/drivers/test_swarm_docker_resources.py; here
a stand-in of the docker APIClient says what it has, to cover every case
and that the engine is not asked when nothing needs it.
"""

from docker import errors as docker_errors
import pytest

from magnum_lite.common import exception
from magnum_lite.drivers.swarm_docker import resources


class Engine:
    """The two inspect calls of a docker APIClient, and close."""

    def __init__(self, images=(), networks=(), down=False):
        self.images, self.networks, self.down = images, networks, down
        self.asked = []
        self.closed = False

    def _inspect(self, kind, have, name):
        self.asked.append((kind, name))
        if self.down:
            raise docker_errors.APIError('engine down')
        if name not in have:
            raise docker_errors.NotFound('no such %s' % kind)
        return {'Id': name}

    def inspect_image(self, name):
        return self._inspect('image', self.images, name)

    def inspect_network(self, name):
        return self._inspect('network', self.networks, name)

    def close(self):
        self.closed = True


CASES = [
    # (names, engine, error or None, what the engine is asked)
    ({'image_id': 'dind', 'external_network_id': 'none'}, Engine(), None,
     []),
    ({'image_id': 'none', 'external_network_id': None}, Engine(), None, []),
    ({'image_id': 'magnum-lite/swarm-node:1-abc'}, Engine(), None, []),
    ({'image_id': 'busybox:latest', 'external_network_id': 'bridge'},
     Engine(images=['busybox:latest'], networks=['bridge']), None,
     [('image', 'busybox:latest'), ('network', 'bridge')]),
    ({'image_id': 'lost:1'}, Engine(), exception.ImageNotFound,
     [('image', 'lost:1')]),
    ({'image_id': 'dind', 'external_network_id': 'lost'}, Engine(),
     exception.ExternalNetworkNotFound, [('network', 'lost')]),
    ({'image_id': 'busybox:latest'}, Engine(down=True),
     exception.CloudServiceUnavailable, [('image', 'busybox:latest')]),
    # Flavors and keypairs mean nothing to docker-in-docker nodes.
    ({'flavor_id': 'm9.huge', 'master_flavor_id': 'x'}, Engine(), None, []),
]


@pytest.mark.parametrize('names,engine,error,asked', CASES)
def test_validate(names, engine, error, asked):
    if error is None:
        resources.validate(names, client_factory=lambda: engine)
    else:
        with pytest.raises(error):
            resources.validate(names, client_factory=lambda: engine)
    assert engine.asked == asked
    assert engine.closed == bool(asked)


def test_messages_are_magnums():
    with pytest.raises(exception.ImageNotFound) as raised:
        resources.validate({'image_id': 'lost:1'},
                           client_factory=lambda: Engine())
    assert str(raised.value) == 'Image lost:1 could not be found.'
    assert raised.value.code == 400
