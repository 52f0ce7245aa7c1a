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

"""Version documents, microversion negotiation and per-feature gates."""

import pytest

from magnum_lite.api import versions
from tests.harness import pecan_app


def test_root_document_needs_no_version(api):
    response = api.get('/', version=None, status=200)
    (v1,) = response.json['versions']
    assert v1['id'] == 'v1'
    assert (v1['min_version'], v1['max_version']) == ('1.1', '1.15')
    assert v1['links'][0]['href'] == 'http://localhost/v1/'
    assert 'OpenStack-API-Version' not in response.headers


def test_v1_document_lists_resources(api):
    document = api.get('/v1', version=None, status=200).json
    assert document['media_types'][0]['type'] == (
        'application/vnd.openstack.magnum.v1+json')
    for name in ('clustertemplates', 'clusters', 'quotas', 'certificates',
                 'mservices', 'stats', 'federations', 'nodegroups',
                 'credentials'):
        assert document[name][0]['rel'] == 'self', name


def test_no_header_means_minimum_and_headers_say_so(api):
    response = api.get('/v1/clusters', version=None, status=200)
    assert response.headers['OpenStack-API-Version'] == 'container-infra 1.1'
    assert response.headers['OpenStack-API-Minimum-Version'] == (
        'container-infra 1.1')
    assert response.headers['OpenStack-API-Maximum-Version'] == (
        'container-infra 1.15')
    assert response.headers['Vary'] == 'OpenStack-API-Version'


@pytest.mark.parametrize('service', versions.SERVICE_NAMES)
def test_every_service_name_and_latest(api, service):
    response = api.get('/v1/clusters', version=None, status=200, headers={
        'OpenStack-API-Version': '%s latest' % service})
    assert response.headers['OpenStack-API-Version'] == '%s 1.15' % service


def test_header_among_other_services(api):
    response = api.get('/v1/clusters', version=None, status=200, headers={
        'OpenStack-API-Version': 'compute 2.90, container-infra 1.9'})
    assert response.headers['OpenStack-API-Version'] == 'container-infra 1.9'


@pytest.mark.parametrize('value', [
    'container-infra 1.16', 'container-infra 2.1', 'container-infra 1.0',
    'container-infra 0.9', 'container-infra one', 'container-infra',
    'compute 1.2', '1.2', 'container-infra 1.2.3'])
def test_unacceptable_versions_are_406(api, value):
    response = api.get('/v1/clusters', version=None, status=406,
                       headers={'OpenStack-API-Version': value})
    error = pecan_app.error_of(response)
    assert error['code'] == 'magnum.microversion-unsupported'
    assert error['title'] == 'Requested microversion is unsupported'
    assert error['max_version'] == '1.15'
    assert error['min_version'] == '1.1'
    assert error['links'][0]['rel'] == 'help'
    assert response.headers['OpenStack-API-Maximum-Version'].endswith('1.15')


def test_paths_without_v1_are_served(api):
    api.make_template()
    assert api.get('/clustertemplates', status=200).json[
        'clustertemplates'][0]['name'] == 'k8s-tmpl'


@pytest.mark.parametrize('method, path, version, body', [
    ('GET', '/v1/clusters/c1/nodegroups', '1.8', None),
    ('POST', '/v1/clusters/c1/actions/resize', '1.6', {'node_count': 1}),
    ('PATCH', '/v1/credentials/c1', '1.11', None),
    ('POST', '/v1/clusters/c1/actions/upgrade', '1.6',
     {'cluster_template': 'k8s-tmpl'}),
])
def test_features_need_their_version(api, method, path, version, body):
    template = api.make_template()
    api.make_cluster(template['uuid'], status='CREATE_COMPLETE')
    response = api.request(method, path, body, version=version, status=406)
    assert 'not supported for this version' in pecan_app.error_of(
        response)['detail']


def test_upgrade_at_1_7_is_not_supported(api):
    template = api.make_template()
    api.make_cluster(template['uuid'], status='CREATE_COMPLETE')
    response = api.post('/v1/clusters/c1/actions/upgrade',
                        {'cluster_template': 'k8s-tmpl'}, version='1.7',
                        status=400)
    assert 'not supported' in pecan_app.error_of(response)['detail']


def test_stack_id_until_1_13_then_cluster_id(api):
    template = api.make_template()
    uuid = api.make_cluster(template['uuid'])
    api.set_cluster(uuid, stack_id='stack-1')
    old = api.get('/v1/clusters/c1', version='1.12', status=200).json
    new = api.get('/v1/clusters/c1', version='1.13', status=200).json
    assert old['stack_id'] == 'stack-1' and 'cluster_id' not in old
    assert new['cluster_id'] == 'stack-1' and 'stack_id' not in new
    summary = api.get('/v1/clusters', version='1.1').json['clusters'][0]
    assert summary['stack_id'] == 'stack-1'
