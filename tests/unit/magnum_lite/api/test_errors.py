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

"""Every error is Magnum's JSON envelope, and bad input is never a 500."""

import pytest

from magnum_lite.api import method
from magnum_lite.common import exception
from tests.harness import pecan_app


@pytest.mark.parametrize('method, path', [
    ('GET', '/v1/nothing'), ('GET', '/v1/clusters/nope'),
    ('GET', '/v1/clustertemplates/nope'), ('DELETE', '/v1/clusters/nope'),
    ('GET', '/v1/certificates/nope'), ('GET', '/nothing/at/all'),
])
def test_not_found_is_an_envelope(api, method, path):
    error = pecan_app.error_of(api.request(method, path, status=404))
    assert error['code'] == 'client'
    assert error['request_id'].startswith('req-')


def test_not_found_names_the_object(api):
    error = pecan_app.error_of(api.get('/v1/clusters/nope', status=404))
    assert error['detail'] == 'Cluster nope could not be found.'
    assert error['title'] == 'Cluster nope could not be found'


def test_method_not_allowed_is_an_envelope(api):
    response = api.request('PUT', '/v1/clusters', status=405)
    assert pecan_app.error_of(response)['title'] == 'Method Not Allowed'
    # A verb a resource does not have is a client error too.
    response = api.post('/v1/mservices', {})
    assert response.status_int in (404, 405)
    pecan_app.error_of(response)


@pytest.mark.parametrize('raw', [
    '{', 'not json', '[1, 2', '{"name": NaN}', b'\xff\xfe',
    '{"a": ' * 3000 + '1' + '}' * 3000])
def test_malformed_json_is_400(api, raw):
    response = api.post('/v1/clustertemplates', raw=raw, status=400)
    pecan_app.error_of(response)


@pytest.mark.parametrize('body', [[], 'a string', 42, None, {'coe': 5}])
def test_wrong_body_shape_is_400(api, body):
    response = api.request('POST', '/v1/clustertemplates', status=400,
                           raw='null' if body is None else None,
                           body=body)
    pecan_app.error_of(response)


def test_unknown_field_is_400(api):
    response = api.post('/v1/clustertemplates', {
        'coe': 'kubernetes', 'image_id': 'i', 'colour': 'blue'}, status=400)
    assert 'colour' in pecan_app.error_of(response)['detail']


def test_too_many_path_segments_are_client_errors(api):
    response = api.get('/v1/clusters/a/b/c/d')
    assert 400 <= response.status_int < 500
    pecan_app.error_of(response)


def test_unexpected_errors_hide_their_details(api):
    template = api.make_template()
    api.make_cluster(template['uuid'])
    api.conductor.fail_with = RuntimeError('secret internals')
    response = api.get('/v1/certificates/c1', status=500)
    error = pecan_app.error_of(response)
    assert error['code'] == 'server'
    assert 'secret' not in response.text


def test_unreachable_conductor_fails_the_cluster_and_says_503(api):
    template = api.make_template()
    api.conductor.fail_with = RuntimeError('no broker')
    response = api.post('/v1/clusters', {
        'name': 'c1', 'cluster_template_id': template['uuid']}, status=503)
    assert 'conductor' in pecan_app.error_of(response)['detail']
    api.conductor.fail_with = None
    cluster = api.get('/v1/clusters/c1', status=200).json
    assert cluster['status'] == 'CREATE_FAILED'
    assert 'conductor' in cluster['status_reason']


def test_errors_keep_version_headers(api):
    response = api.get('/v1/clusters/nope', status=404)
    assert response.headers['OpenStack-API-Version'] == 'container-infra 1.15'
    assert response.headers['Content-Type'] == 'application/json'


@pytest.mark.parametrize('error, status', [
    (exception.ClusterNotFound(cluster='c'), 404),
    (exception.ClusterTemplateNotFound(clustertemplate='t'), 404),
    (exception.NodeGroupNotFound(nodegroup='n'), 404),
    (exception.QuotaNotFound(project_id='p', resource='Cluster'), 404),
    # A missing flavor or image named in a request is the request's fault.
    (exception.FlavorNotFound(flavor='f'), 400),
    (exception.ImageNotFound(image_id='i'), 400),
    (exception.OSDistroFieldNotFound(image_id='i'), 400),
    (exception.InvalidParameterValue(err='x'), 400),
    (exception.PatchError(patch='/x', reason='y'), 400),
    (exception.NotSupported(operation='x'), 400),
    (exception.ClusterTypeNotSupported(server_type='vm', os='o', coe='c'),
     400),
    (exception.ClusterTemplateReferenced(clustertemplate='t'), 400),
    (exception.NGResizeOutBounds(nodegroup='n', min_nc=1, max_nc=2), 400),
    (exception.ZeroNodeCountNotSupported(), 400),
    (exception.PolicyNotAuthorized(action='a'), 403),
    (exception.ClusterTemplatePublishDenied(), 403),
    (exception.ResourceLimitExceeded(msg='m'), 403),
    (exception.ClusterAlreadyExists(uuid='u'), 409),
    (exception.NodeGroupInvalidInput(attr='a', nodegroup='n', expl='e'),
     409),
    (exception.ClusterAPIAddressUnavailable(), 409),
    (exception.InvalidClusterTemplateForUpgrade(reason='r'), 409),
    (exception.OperationInProgress(resource='Cluster', name='c',
                                   status='UPDATE_IN_PROGRESS'), 409),
    (ValueError('internal detail'), 500),
])
def test_status_of_each_exception(error, status):
    code, document = method.exception_document(error, 'req-1')
    assert code == status
    (entry,) = document['errors']
    assert entry['status'] == status
    assert entry['request_id'] == 'req-1'
    assert entry['code'] == ('client' if status < 500 else 'server')
    assert 'internal detail' not in entry['detail']
