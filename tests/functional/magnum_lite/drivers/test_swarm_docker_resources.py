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

"""swarm_docker templates name the host engine's images and networks.

The real Pecan app (noauth, no catalog: the all-in-one) with the real
swarm_docker driver, checking a template's image and external network
against the real Docker engine: a 400 in Magnum's words for what the
engine lacks, the driver's own node image ("dind", "none") and "none" for
the network always accepted, flavors and keypairs never asked about.
"""

import uuid

import pytest

from magnum_lite.drivers import loader
from magnum_lite.drivers.swarm_docker import driver as swarm_driver
from magnum_lite.drivers.swarm_docker import resources
from tests.harness import database as db_fixture
from tests.harness import docker_engine
from tests.harness.pecan_app import api  # noqa: F401
from tests.harness.pecan_app import error_of
from tests.harness import services


@pytest.fixture
def database(tmp_path):
    from magnum_lite.db import api as db_api
    db_fixture.fresh_sqlite_database(str(tmp_path))
    yield db_api.get_instance()
    db_fixture.release()


@pytest.fixture
def fake_driver():
    """The real swarm_docker driver as the only one.

    (Named as the driver fixture the api fixture asks for.)
    """
    saved = loader._drivers
    loader._drivers = loader._Registry(
        {'swarm_docker': swarm_driver.SwarmDockerDriver()})
    yield loader._drivers
    loader._drivers = saved


@pytest.fixture
def engine():
    """The host engine, with a test image and a test network on it."""
    client = services.require_docker()
    image = docker_engine.ensure_image(client.api)
    network = 'ml-test-%s' % uuid.uuid4().hex[:8]
    client.api.create_network(network)
    yield {'image': image, 'network': network}
    client.api.remove_network(network)
    client.close()


def _template(api, **values):  # noqa: F811
    body = {'name': 'swarm-%s' % uuid.uuid4().hex[:6], 'coe': 'swarm-mode',
            'server_type': 'container', 'image_id': 'dind',
            'external_network_id': 'none'}
    body.update(values)
    return api.post('/v1/clustertemplates', body)


def test_the_readme_template_is_accepted(api, engine):  # noqa: F811
    for image in ('dind', 'none', resources.image.REPOSITORY + ':any'):
        response = _template(api, image_id=image)
        assert response.status_int == 201, response.text


def test_what_the_engine_has_is_accepted(api, engine):  # noqa: F811
    response = _template(api, image_id=engine['image'],
                         external_network_id=engine['network'],
                         # Meaningless to docker-in-docker nodes.
                         flavor_id='m1.anything', keypair_id='nobody')
    assert response.status_int == 201, response.text
    cluster = api.post('/v1/clusters', {
        'name': 'c', 'cluster_template_id': response.json['uuid'],
        'keypair': 'nobody', 'flavor_id': 'm9.huge'})
    assert cluster.status_int == 202, cluster.text


@pytest.mark.parametrize('values,detail', [
    ({'image_id': 'ml-test/no-such-image:0'},
     'Image ml-test/no-such-image:0 could not be found.'),
    ({'external_network_id': 'ml-test-no-such-network'},
     'Unable to find external network ml-test-no-such-network.'),
])
def test_what_the_engine_lacks_is_a_400(api, engine, values, detail):  # noqa: F811
    response = _template(api, **values)
    assert response.status_int == 400, response.text
    assert error_of(response)['detail'] == detail


def test_an_update_checks_the_new_image(api, engine):  # noqa: F811
    uuid_ = _template(api).json['uuid']
    response = api.patch('/v1/clustertemplates/%s' % uuid_, [
        {'op': 'replace', 'path': '/image_id', 'value': 'ml-test/gone:0'}])
    assert response.status_int == 400, response.text
    assert error_of(response)['detail'] == (
        'Image ml-test/gone:0 could not be found.')
    response = api.patch('/v1/clustertemplates/%s' % uuid_, [
        {'op': 'replace', 'path': '/image_id', 'value': engine['image']}])
    assert response.status_int == 200, response.text
