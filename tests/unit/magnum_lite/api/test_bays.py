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

"""/v1/bays and /v1/baymodels: renamed views of clusters and templates."""

from magnum_lite.common import states
from tests.harness import pecan_app


def _baymodel(api):
    return api.post('/v1/baymodels', {
        'name': 'bm', 'coe': 'kubernetes', 'image_id': 'fedora-coreos',
        'keypair_id': 'kp', 'external_network_id': 'public'},
        status=201).json


def test_baymodels_are_cluster_templates(api):
    baymodel = _baymodel(api)
    assert 'driver' not in baymodel
    assert baymodel['links'][0]['href'].endswith('/v1/baymodels/' +
                                                 baymodel['uuid'])
    template = api.get('/v1/clustertemplates/bm', status=200).json
    assert template['uuid'] == baymodel['uuid']
    (listed,) = api.get('/v1/baymodels', status=200).json['baymodels']
    assert listed['uuid'] == baymodel['uuid']
    api.post('/v1/baymodels', {'coe': 'kubernetes', 'image_id': 'i',
                               'driver': 'fake'}, status=400)
    api.patch('/v1/baymodels/bm', [
        {'op': 'replace', 'path': '/driver', 'value': 'fake'}], status=400)
    api.delete('/v1/baymodels/bm', status=204)
    api.get('/v1/clustertemplates/bm', status=404)


def test_bay_create_at_1_1_answers_with_the_bay(api):
    baymodel = _baymodel(api)
    bay = api.post('/v1/bays', {'name': 'bay1',
                                'baymodel_id': baymodel['uuid'],
                                'node_count': 2, 'bay_create_timeout': 15},
                   version=None, status=201).json
    assert bay['baymodel_id'] == baymodel['uuid']
    assert bay['bay_create_timeout'] == 15
    assert 'cluster_template_id' not in bay and 'stack_id' in bay
    assert bay['status'] == 'CREATE_IN_PROGRESS'
    cluster = api.get('/v1/clusters/bay1', status=200).json
    assert cluster['uuid'] == bay['uuid']
    assert cluster['create_timeout'] == 15


def test_bays_after_1_2_are_asynchronous(api):
    baymodel = _baymodel(api)
    response = api.post('/v1/bays', {'name': 'bay1',
                                     'baymodel_id': baymodel['uuid']},
                        version='1.2', status=202)
    uuid = response.json['uuid']
    (bay,) = api.get('/v1/bays', status=200).json['bays']
    assert bay['uuid'] == uuid and 'baymodel_id' in bay
    api.set_cluster(uuid, status=states.CREATE_FAILED,
                    faults={'x': 'broken'})
    assert api.get('/v1/bays/bay1').json['bay_faults'] == {'x': 'broken'}
    api.delete('/v1/bays/bay1', status=204)
    assert api.conductor.last('delete_cluster') == ('delete_cluster', uuid)


def test_bay_update_at_1_1_answers_with_the_bay(api):
    baymodel = _baymodel(api)
    api.post('/v1/bays', {'name': 'bay1', 'baymodel_id': baymodel['uuid']},
             status=202)
    uuid = api.get('/v1/bays/bay1').json['uuid']
    api.set_cluster(uuid, status=states.CREATE_COMPLETE)
    bay = api.patch('/v1/bays/bay1', [
        {'op': 'replace', 'path': '/node_count', 'value': 2}],
        version=None, status=200).json
    assert bay['status'] == 'UPDATE_IN_PROGRESS'


def test_bays_keep_a_node(api):
    baymodel = _baymodel(api)
    response = api.post('/v1/bays', {'baymodel_id': baymodel['uuid'],
                                     'node_count': 0}, status=400)
    pecan_app.error_of(response)


def test_bays_share_the_cluster_policies(api):
    baymodel = _baymodel(api)
    api.post('/v1/bays', {'name': 'bay1', 'baymodel_id': baymodel['uuid']},
             status=202)
    api.get('/v1/bays/bay1', headers=pecan_app.MEMBER_B, status=404)
    api.post('/v1/bays', {'baymodel_id': baymodel['uuid']},
             headers=pecan_app.READER_A, status=403)
