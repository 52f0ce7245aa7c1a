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

"""Certificates, credentials, quotas, stats, services and federations."""

import datetime

import pytest

from magnum_lite.common import states
from tests.harness import pecan_app

CSR = '-----BEGIN CERTIFICATE REQUEST-----\nX\n-----END CERTIFICATE REQUEST-----\n'


@pytest.fixture
def cluster(api):
    template = api.make_template()
    return api.make_cluster(template['uuid'], status=states.CREATE_COMPLETE)


def test_ca_show(api, cluster):
    document = api.get('/v1/certificates/c1', status=200).json
    assert document['cluster_uuid'] == cluster
    assert document['pem'] == pecan_app.CA_PEM
    assert api.conductor.last('get_ca_certificate') == (
        'get_ca_certificate', cluster, 'kubernetes')
    api.get('/v1/certificates/c1?ca_cert_type=front-proxy', status=200)
    assert api.conductor.last('get_ca_certificate')[2] == 'front_proxy'
    api.get('/v1/certificates/c1?ca_cert_type=nope', status=400)


def test_ca_sign(api, cluster):
    response = api.post('/v1/certificates', {'cluster_uuid': cluster,
                                             'csr': CSR}, status=201)
    assert response.json['pem'] == pecan_app.SIGNED_PEM
    assert response.json['csr'] == CSR
    api.post('/v1/certificates', {'bay_uuid': 'c1', 'csr': CSR}, status=201)


@pytest.mark.parametrize('body', [
    {'cluster_uuid': 'nope', 'csr': CSR}, {'cluster_uuid': 'c1'},
    {'csr': CSR}, {'cluster_uuid': 'c1', 'csr': 5}])
def test_invalid_sign_is_400(api, cluster, body):
    pecan_app.error_of(api.post('/v1/certificates', body, status=400))


def test_ca_rotate_with_an_empty_octet_stream_body(api, cluster):
    response = api.request('PATCH', '/v1/certificates/' + cluster,
                           content_type='application/octet-stream',
                           status=202)
    assert response.json == {'uuid': cluster}
    assert api.conductor.last('rotate_ca_certificate') == (
        'rotate_ca_certificate', cluster)


def test_ca_rotate_needs_tls(api):
    template = api.make_template(tls_disabled=True)
    api.make_cluster(template['uuid'], status=states.CREATE_COMPLETE)
    response = api.patch('/v1/certificates/c1', status=400)
    assert 'TLS' in pecan_app.error_of(response)['detail']


def test_ca_rotate_of_a_busy_cluster_is_409(api, cluster):
    api.set_cluster(cluster, status=states.UPDATE_IN_PROGRESS)
    api.patch('/v1/certificates/c1', status=409)


def test_credential_rotate_unsupported_is_400(api, cluster):
    response = api.request('PATCH', '/v1/credentials/c1', status=400)
    assert 'not supported' in pecan_app.error_of(response)['detail']
    assert api.conductor.last('rotate_credential') == (
        'rotate_credential', cluster)


def test_quotas_lifecycle(api):
    created = api.post('/v1/quotas', {'project_id': 'p1',
                                      'resource': 'Cluster',
                                      'hard_limit': 10}, status=201).json
    assert (created['project_id'], created['hard_limit']) == ('p1', 10)
    api.post('/v1/quotas', {'project_id': 'p1', 'resource': 'Cluster'},
             status=409)
    assert api.get('/v1/quotas/p1/Cluster').json['hard_limit'] == 10
    # A quota PATCH is a plain object, not JSON-Patch.
    updated = api.patch('/v1/quotas/p1/Cluster', {
        'project_id': 'p1', 'resource': 'Cluster', 'hard_limit': 5},
        status=202).json
    assert updated['hard_limit'] == 5
    listed = api.get('/v1/quotas?all_tenants=True', status=200).json
    assert [q['project_id'] for q in listed['quotas']] == ['p1']
    assert api.get('/v1/quotas', status=200).json['quotas'] == []
    api.delete('/v1/quotas/p1/Cluster', status=204)
    default = api.get('/v1/quotas/p1/Cluster', status=200).json
    assert default['hard_limit'] == 20
    api.delete('/v1/quotas/p1/Cluster', status=404)
    api.patch('/v1/quotas/p1/Cluster', {'hard_limit': 1}, status=404)


def test_quota_patch_takes_the_id_that_magnum_ui_sends_back(api):
    created = api.post('/v1/quotas', {'project_id': 'p1',
                                      'resource': 'Cluster',
                                      'hard_limit': 10}, status=201).json
    updated = api.patch('/v1/quotas/p1/Cluster', {
        'id': created['id'], 'project_id': 'p1', 'resource': 'Cluster',
        'hard_limit': 7}, status=202).json
    assert (updated['id'], updated['hard_limit']) == (created['id'], 7)
    api.patch('/v1/quotas/p1/Cluster', {'hard_limit': 7, 'uuid': 'x'},
              status=400)


@pytest.mark.parametrize('body', [
    {'project_id': 'p1', 'resource': 'Volume'},
    {'project_id': 'p1', 'resource': 'Cluster', 'hard_limit': -1},
    {'resource': 'Cluster'}, [{'op': 'add'}]])
def test_invalid_quotas_are_400(api, body):
    pecan_app.error_of(api.post('/v1/quotas', body, status=400))


def test_stats(api, cluster):
    assert api.get('/v1/stats', status=200).json == {'clusters': 1,
                                                     'nodes': 3}
    assert api.get('/v1/stats?project_id=other&type=cluster',
                   status=200).json == {'clusters': 0, 'nodes': 0}
    api.get('/v1/stats?type=nodes', status=400)


def test_mservices_up_and_down(api):
    api.dbapi.service_heartbeat('host-1', 'magnum-conductor')
    stale = api.dbapi.create_service({'host': 'host-2',
                                      'binary': 'magnum-conductor'})
    api.dbapi.update_service(stale.id, {
        'last_seen_up': datetime.datetime(2020, 1, 1), 'report_count': 3})
    services = api.get('/v1/mservices', status=200).json['mservices']
    assert [(s['host'], s['state']) for s in services] == [
        ('host-1', 'up'), ('host-2', 'down')]
    assert services[0]['binary'] == 'magnum-conductor'
    assert services[0]['report_count'] >= 1


def test_federation_not_supported_leaves_nothing(api, cluster):
    response = api.post('/v1/federations', {
        'name': 'fed', 'hostcluster_id': 'c1', 'member_ids': [cluster],
        'properties': {'dns-zone': 'example.com.'}}, status=400)
    assert 'not supported' in pecan_app.error_of(response)['detail']
    assert api.get('/v1/federations', status=200).json['federations'] == []


@pytest.mark.parametrize('body', [
    {'hostcluster_id': 'nope', 'properties': {'dns-zone': 'z'}},
    {'hostcluster_id': 'c1', 'properties': {}},
    {'hostcluster_id': 'c1'}])
def test_invalid_federations_are_400(api, cluster, body):
    pecan_app.error_of(api.post('/v1/federations', body, status=400))
    assert api.conductor.last('create_federation') is None


def test_stored_federations_are_served(api, cluster):
    api.dbapi.create_federation({
        'uuid': '2c5bb2e4-1d44-4a4b-8d3a-1e1a3f0c0f00', 'name': 'fed',
        'project_id': 'admin', 'hostcluster_id': cluster, 'member_ids': [],
        'properties': {'dns-zone': 'z.'}, 'status': 'CREATE_COMPLETE'})
    assert api.get('/v1/federations/fed', status=200).json[
        'hostcluster_id'] == cluster
    assert len(api.get('/v1/federations/detail').json['federations']) == 1
    response = api.patch('/v1/federations/fed', [
        {'op': 'add', 'path': '/member_ids/-', 'value': cluster}],
        status=400)
    pecan_app.error_of(response)
    assert api.get('/v1/federations/fed').json['member_ids'] == []
    api.delete('/v1/federations/fed', status=400)
