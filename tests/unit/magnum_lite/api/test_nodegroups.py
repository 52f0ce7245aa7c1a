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

"""/v1/clusters/{cluster}/nodegroups."""

import pytest

from magnum_lite.common import states
from tests.harness import pecan_app


@pytest.fixture
def cluster(api):
    template = api.make_template()
    uuid = api.make_cluster(template['uuid'], labels={'z': '1'})
    api.set_cluster(uuid, status=states.CREATE_COMPLETE,
                    api_address='https://10.0.0.5:6443')
    return uuid


def _create(api, status=202, **values):
    # What "openstack coe nodegroup create c1 ng1 ..." sends.
    body = {'name': 'ng1', 'node_count': 1, 'max_node_count': None,
            'min_node_count': 0, 'role': 'worker'}
    body.update(values)
    return api.post('/v1/clusters/c1/nodegroups/', body, status=status)


def test_list_with_trailing_slash_and_role_filter(api, cluster):
    everything = api.get('/v1/clusters/c1/nodegroups/', status=200).json
    assert len(everything['nodegroups']) == 2
    masters = api.get('/v1/clusters/%s/nodegroups/?role=master' % cluster,
                      status=200).json['nodegroups']
    assert [g['name'] for g in masters] == ['default-master']
    assert set(masters[0]) >= {'uuid', 'name', 'flavor_id', 'image_id',
                               'node_count', 'role', 'is_default', 'status'}


def test_show_by_name_uuid_and_id(api, cluster):
    worker = api.get('/v1/clusters/c1/nodegroups/default-worker',
                     status=200).json
    assert worker['labels_skipped'] == {}
    assert worker['node_labels'] == {} and worker['node_taints'] == []
    by_uuid = api.get('/v1/clusters/c1/nodegroups/' + worker['uuid']).json
    by_id = api.get('/v1/clusters/c1/nodegroups/%d' % worker['id']).json
    assert by_uuid['name'] == by_id['name'] == 'default-worker'
    old = api.get('/v1/clusters/c1/nodegroups/default-worker',
                  version='1.13').json
    assert 'node_labels' not in old
    api.get('/v1/clusters/c1/nodegroups/nope', status=404)


def test_create(api, cluster):
    group = _create(api, node_labels={'tier': 'gpu'},
                    node_taints=[{'key': 'gpu', 'value': 'yes',
                                  'effect': 'NoSchedule'}],
                    labels={'x': 'y'}, merge_labels=True).json
    assert group['status'] == 'CREATE_IN_PROGRESS'
    assert group['is_default'] is False
    assert group['labels'] == {'z': '1', 'x': 'y'}
    assert group['image_id'] == 'fedora-coreos'
    assert group['node_taints'][0]['effect'] == 'NoSchedule'
    assert api.conductor.last('create_nodegroup') == (
        'create_nodegroup', cluster, group['uuid'])
    response = _create(api, status=409)
    assert 'already exists' in pecan_app.error_of(response)['detail']


@pytest.mark.parametrize('values, status, word', [
    ({'role': 'master'}, 400, 'master'),
    ({'min_node_count': 3, 'node_count': 1}, 409, 'min_node_count'),
    ({'max_node_count': 1, 'node_count': 2}, 409, 'max_node_count'),
    ({'node_labels': {'node-role.kubernetes.io/master': ''}}, 409,
     'reserved'),
    ({'node_taints': [{'key': 'a', 'effect': 'Sometimes'}]}, 400,
     'effect'),
    ({'node_taints': [{'effect': 'NoSchedule'}]}, 400, 'key'),
    ({'name': None}, 400, 'name'),
])
def test_invalid_create(api, cluster, values, status, word):
    response = _create(api, status=status, **values)
    assert word in pecan_app.error_of(response)['detail']


def test_node_labels_need_1_14(api, cluster):
    api.post('/v1/clusters/c1/nodegroups', {
        'name': 'ng1', 'node_labels': {'a': 'b'}}, version='1.13',
        status=400)


def test_create_before_the_api_address_is_known_is_409(api, cluster):
    api.set_cluster(cluster, api_address=None)
    response = _create(api, status=409)
    assert 'API address' in pecan_app.error_of(response)['detail']


def test_update_with_string_encoded_values(api, cluster):
    uuid = _create(api).json['uuid']
    api.dbapi.update_nodegroup(cluster, uuid, {'status': 'CREATE_COMPLETE'})
    # What "openstack coe nodegroup update" sends: str() of a dict/list.
    group = api.patch('/v1/clusters/c1/nodegroups/ng1', [
        {'op': 'replace', 'path': '/max_node_count', 'value': 5},
        {'op': 'replace', 'path': '/node_labels', 'value': "{'a': 'b'}"},
        {'op': 'replace', 'path': '/node_taints',
         'value': "[{'key': 'k', 'value': 'v', 'effect': 'NoExecute'}]"},
    ], status=202).json
    assert group['max_node_count'] == 5
    assert group['node_labels'] == {'a': 'b'}
    assert group['node_taints'] == [
        {'key': 'k', 'value': 'v', 'effect': 'NoExecute'}]
    assert group['status'] == 'UPDATE_IN_PROGRESS'
    assert api.conductor.last('update_nodegroup') == (
        'update_nodegroup', cluster, uuid)
    response = api.patch('/v1/clusters/c1/nodegroups/ng1', [
        {'op': 'replace', 'path': '/max_node_count', 'value': 6}],
        status=409)
    pecan_app.error_of(response)


@pytest.mark.parametrize('patch, status', [
    ([{'op': 'replace', 'path': '/node_count', 'value': 4}], 400),
    ([{'op': 'replace', 'path': '/name', 'value': 'x'}], 400),
    ([{'op': 'replace', 'path': '/node_labels', 'value': '{broken'}], 400),
    ([{'op': 'replace', 'path': '/node_labels', 'value': "['a']"}], 400),
    ([{'op': 'replace', 'path': '/node_labels',
       'value': "{'kubernetes.io/role': 'x'}"}], 409),
    ([{'op': 'replace', 'path': '/min_node_count', 'value': 9}], 409),
    ([{'op': 'replace', 'path': '/min_node_count', 'value': 'x'}], 400),
])
def test_invalid_updates(api, cluster, patch, status):
    pecan_app.error_of(api.patch(
        '/v1/clusters/c1/nodegroups/default-worker', patch, status=status))


def test_taints_on_masters_are_409(api, cluster):
    response = api.patch('/v1/clusters/c1/nodegroups/default-master', [
        {'op': 'replace', 'path': '/node_taints',
         'value': [{'key': 'a', 'effect': 'NoSchedule'}]}], status=409)
    assert 'master' in pecan_app.error_of(response)['detail']


def test_delete(api, cluster):
    uuid = _create(api).json['uuid']
    api.dbapi.update_nodegroup(cluster, uuid, {'status': 'CREATE_COMPLETE'})
    api.delete('/v1/clusters/c1/nodegroups/ng1', status=204)
    assert api.conductor.last('delete_nodegroup') == (
        'delete_nodegroup', cluster, uuid)
    api.delete('/v1/clusters/c1/nodegroups/ng1', status=409)
    response = api.delete('/v1/clusters/c1/nodegroups/default-worker',
                          status=400)
    assert 'default' in pecan_app.error_of(response)['detail']


def test_nodegroups_of_an_unknown_cluster_are_404(api, cluster):
    api.get('/v1/clusters/nope/nodegroups/', status=404)
