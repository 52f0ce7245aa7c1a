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

"""The names a user gives, checked as Magnum checks them.

The real Pecan app in Keystone mode, with the headers keystonemiddleware
would send (the user's token and service catalog), and the real clients
(python-novaclient, keystoneauth1 sessions) asking a loopback stand-in of
Nova, Glance and Neutron (tests/harness/cloud_stand_in.py).
"""

import pytest

from magnum_lite import conf as ml_conf
from magnum_lite.drivers import loader
from tests.harness import cloud_stand_in
from tests.harness.cloud_stand_in import cloud  # noqa: F401
from tests.harness import pecan_app

CONF = ml_conf.CONF


class CoreosSwarmDriver(pecan_app.FakeDriver):
    """Serves one distribution only, so the image's os_distro picks it."""

    provides = [('vm', 'fedora-coreos', 'swarm')]


@pytest.fixture
def keystone(api, cloud):  # noqa: F811
    """The API in Keystone mode; requests carry the stand-in's catalog."""
    CONF.set_override('auth_strategy', 'keystone', group='api')
    saved = loader._drivers
    loader._drivers = loader._Registry({
        'fake': pecan_app.FakeDriver(), 'coreos_swarm': CoreosSwarmDriver()})
    yield api
    loader._drivers = saved
    CONF.clear_override('auth_strategy', group='api')


def _template(api, cloud, services=('compute', 'image', 'network'),  # noqa: F811
              **values):
    body = {'name': 't', 'coe': 'kubernetes',
            'image_id': 'fedora-coreos-40', 'external_network_id': 'public',
            'flavor_id': 'ds2G', 'master_flavor_id': 'ds2G'}
    body.update(values)
    body = {k: v for k, v in body.items() if v is not None}
    return api.post('/v1/clustertemplates', body,
                    headers=cloud.headers(services))


TEMPLATE_ERRORS = [
    ({'image_id': 'missing'}, 400, 'Image missing could not be found.'),
    ({'image_id': 'no-distro'}, 400,
     "Image no-distro doesn't contain os_distro field."),
    ({'image_id': cloud_stand_in.BARE_IMAGE_ID}, 400,
     "Image %s doesn't contain os_distro field."
     % cloud_stand_in.BARE_IMAGE_ID),
    ({'flavor_id': 'm9.huge'}, 400, 'Unable to find flavor m9.huge.'),
    ({'master_flavor_id': 'm9.huge'}, 400, 'Unable to find flavor m9.huge.'),
    ({'external_network_id': 'nowhere'}, 400,
     'Unable to find external network nowhere.'),
    # A network that is not external is not an external network.
    ({'external_network_id': 'private'}, 400,
     'Unable to find external network private.'),
    ({'fixed_network': 'nowhere'}, 400,
     'Unable to find fixed network nowhere.'),
    ({'fixed_subnet': 'nowhere'}, 400, 'Unable to find fixed subnet nowhere.'),
]


@pytest.mark.parametrize('values,status,detail', TEMPLATE_ERRORS)
def test_template_create_refuses_what_the_cloud_lacks(
        keystone, cloud, values, status, detail):  # noqa: F811
    response = _template(keystone, cloud, **values)
    assert response.status_int == status, response.text
    error = pecan_app.error_of(response)
    assert error['detail'] == detail
    assert detail.startswith(error['title'])
    assert error['code'] == 'client'
    assert keystone.dbapi.get_cluster_template_list(
        pecan_app.make_admin_context()) == []


TEMPLATE_ACCEPTED = [
    {},
    {'image_id': cloud_stand_in.IMAGE_ID, 'flavor_id': '42',
     'master_flavor_id': 'm1.large',
     'external_network_id': cloud_stand_in.PUBLIC_NET_ID,
     'fixed_network': cloud_stand_in.PRIVATE_NET_ID,
     'fixed_subnet': cloud_stand_in.SUBNET_ID},
    {'fixed_network': 'private', 'fixed_subnet': 'private-subnet',
     'flavor_id': None, 'master_flavor_id': None},
]


@pytest.mark.parametrize('values', TEMPLATE_ACCEPTED)
def test_template_create_accepts_names_and_ids(keystone, cloud, values):  # noqa: F811
    response = _template(keystone, cloud, **values)
    assert response.status_int == 201, response.text
    # No label names the distribution: the image's os_distro does.
    assert response.json['cluster_distro'] == 'fedora-coreos'


def test_image_os_distro_selects_the_driver(keystone, cloud):  # noqa: F811
    response = _template(keystone, cloud, coe='swarm')
    assert response.status_int == 201, response.text
    assert response.json['cluster_distro'] == 'fedora-coreos'
    # The same template without an image service: nothing names the
    # distribution, and no driver serves (vm, None, swarm).
    response = _template(keystone, cloud, services=('compute', 'network'),
                         coe='swarm', name='t2')
    assert response.status_int == 400
    detail = pecan_app.error_of(response)['detail']
    assert 'Cluster type (vm, None, swarm) not supported' in detail


def test_a_label_still_names_the_distribution(keystone, cloud):  # noqa: F811
    response = _template(keystone, cloud, coe='swarm',
                         labels={'os_distro': 'fedora-coreos'},
                         image_id='fedora-coreos-40')
    assert response.status_int == 201, response.text


def test_each_question_is_asked_once(keystone, cloud):  # noqa: F811
    response = _template(keystone, cloud, fixed_network='private')
    assert response.status_int == 201, response.text
    paths = [r[1] for r in cloud.requests]
    assert paths.count('/compute/v2.1/flavors/detail') == 1
    assert paths.count('/image/v2/images') == 1
    assert paths.count('/network/v2.0/networks') == 2  # external, all
    assert len(paths) == 4


def test_a_service_missing_from_the_catalog_is_not_asked(
        keystone, cloud):  # noqa: F811
    response = _template(keystone, cloud, services=('compute', 'image'),
                         external_network_id='nowhere',
                         fixed_subnet='nowhere')
    assert response.status_int == 201, response.text
    assert not cloud.asked('/network')


def test_noauth_ignores_a_catalog_header(api, cloud):  # noqa: F811
    response = _template(api, cloud, image_id='missing',
                         labels={'os_distro': 'fedora-coreos'})
    assert response.status_int == 201, response.text
    assert cloud.requests == []


def test_duplicate_names_are_a_conflict(keystone, cloud):  # noqa: F811
    cloud.data['images'].append(cloud_stand_in.image(
        'a9e0c3b1-0000-4000-8000-000000000001', 'fedora-coreos-40',
        os_distro='fedora-coreos'))
    response = _template(keystone, cloud)
    assert response.status_int == 409
    assert pecan_app.error_of(response)['detail'] == (
        "Multiple images exist with same name 'fedora-coreos-40'. Please "
        "use the image ID instead.")


PATCH_ERRORS = [
    ('/image_id', 'missing', 400, 'Image missing could not be found.'),
    ('/flavor_id', 'm9.huge', 400, 'Unable to find flavor m9.huge.'),
    ('/external_network_id', 'private', 400,
     'Unable to find external network private.'),
    ('/fixed_subnet', 'nowhere', 400, 'Unable to find fixed subnet nowhere.'),
    ('/external_network_id', cloud_stand_in.PUBLIC_NET_ID, 200, None),
    ('/name', 'renamed', 200, None),
]


@pytest.mark.parametrize('path,value,status,detail', PATCH_ERRORS)
def test_template_update_checks_the_changed_names(keystone, cloud, path,  # noqa: F811
                                                  value, status, detail):
    uuid = _template(keystone, cloud).json['uuid']
    before = len(cloud.requests)
    response = keystone.patch(
        '/v1/clustertemplates/%s' % uuid,
        [{'op': 'replace', 'path': path, 'value': value}],
        headers=cloud.headers())
    assert response.status_int == status, response.text
    if detail:
        assert pecan_app.error_of(response)['detail'] == detail
    if path == '/name':
        assert len(cloud.requests) == before


def _cluster(api, cloud, template, **values):  # noqa: F811
    body = {'name': 'c1', 'cluster_template_id': template,
            'node_count': 1, 'master_count': 1}
    body.update(values)
    return api.post('/v1/clusters', body, headers=cloud.headers())


CLUSTER_CASES = [
    # (template values, cluster values, status, detail)
    ({}, {'keypair': 'default'}, 202, None),
    ({}, {}, 202, None),
    ({'keypair_id': 'default'}, {}, 202, None),
    # Magnum answers a missing keypair with 404.
    ({}, {'keypair': 'lost'}, 404, 'Unable to find keypair lost.'),
    ({'keypair_id': 'lost'}, {}, 404, 'Unable to find keypair lost.'),
    ({'keypair_id': 'lost'}, {'keypair': 'default'}, 202, None),
    ({}, {'flavor_id': 'm9.huge'}, 400, 'Unable to find flavor m9.huge.'),
    ({}, {'master_flavor_id': 'm9.huge'}, 400,
     'Unable to find flavor m9.huge.'),
    ({}, {'fixed_network': 'nowhere'}, 400,
     'Unable to find fixed network nowhere.'),
    ({}, {'flavor_id': 'm1.large', 'master_flavor_id': '42'}, 202, None),
]


@pytest.mark.parametrize('template_values,values,status,detail',
                         CLUSTER_CASES)
def test_cluster_create_checks_keypair_and_flavors(keystone, cloud,  # noqa: F811
                                                   template_values, values,
                                                   status, detail):
    template = _template(keystone, cloud, **template_values)
    assert template.status_int == 201, template.text
    response = _cluster(keystone, cloud, template.json['uuid'], **values)
    assert response.status_int == status, response.text
    if detail:
        assert pecan_app.error_of(response)['detail'] == detail
        assert keystone.conductor.calls == []


@pytest.mark.parametrize('flavor,status', [('m9.huge', 400), ('ds2G', 202)])
def test_nodegroup_create_checks_its_flavor(keystone, cloud, flavor,  # noqa: F811
                                            status):
    template = _template(keystone, cloud).json['uuid']
    uuid = _cluster(keystone, cloud, template).json['uuid']
    keystone.set_cluster(uuid, api_address='https://192.0.2.1:6443')
    response = keystone.post(
        '/v1/clusters/%s/nodegroups' % uuid,
        {'name': 'extra', 'flavor_id': flavor, 'node_count': 1},
        headers=cloud.headers())
    assert response.status_int == status, response.text
    if status == 400:
        assert pecan_app.error_of(response)['detail'] == (
            'Unable to find flavor m9.huge.')


def test_a_new_image_names_the_new_distribution(keystone, cloud):  # noqa: F811
    cloud.data['images'].append(cloud_stand_in.image(
        'a9e0c3b1-0000-4000-8000-000000000002', 'ubuntu-24.04',
        os_distro='ubuntu'))
    uuid = _template(keystone, cloud).json['uuid']
    response = keystone.patch(
        '/v1/clustertemplates/%s' % uuid,
        [{'op': 'replace', 'path': '/image_id', 'value': 'ubuntu-24.04'}],
        headers=cloud.headers())
    assert response.status_int == 200, response.text
    assert response.json['cluster_distro'] == 'ubuntu'
