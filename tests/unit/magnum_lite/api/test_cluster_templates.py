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

"""/v1/clustertemplates."""

import pytest

from tests.harness import pecan_app

# What "openstack coe cluster template create" sends: every key, unset
# ones as null.
CLIENT_BODY = {
    'name': 'k8s-tmpl', 'image_id': 'fedora-coreos-latest',
    'keypair_id': None, 'external_network_id': 'public',
    'coe': 'kubernetes', 'fixed_network': None, 'fixed_subnet': None,
    'network_driver': 'flannel', 'volume_driver': None, 'driver': None,
    'dns_nameserver': '8.8.8.8', 'flavor_id': 'ds2G',
    'master_flavor_id': 'ds2G', 'docker_volume_size': 10,
    'docker_storage_driver': 'overlay2', 'http_proxy': None,
    'https_proxy': None, 'no_proxy': None,
    'labels': {'kube_tag': 'v1.30.0', 'foo': 'bar'}, 'tls_disabled': False,
    'public': False, 'registry_enabled': False, 'insecure_registry': None,
    'server_type': 'vm', 'master_lb_enabled': False,
    'floating_ip_enabled': False}


def test_create_as_the_client_sends_it(api):
    response = api.post('/v1/clustertemplates', CLIENT_BODY, status=201)
    template = response.json
    assert response.headers['Location'].endswith(
        '/v1/clustertemplates/' + template['uuid'])
    assert template['keypair_id'] is None
    assert template['floating_ip_enabled'] is False
    assert template['labels'] == {'kube_tag': 'v1.30.0', 'foo': 'bar'}
    assert template['project_id'] == 'admin'
    assert template['links'][1]['rel'] == 'bookmark'
    assert template['created_at'].endswith('+00:00')


def test_defaults(api):
    template = api.post('/v1/clustertemplates', {
        'coe': 'kubernetes', 'image_id': 'img'}, status=201).json
    assert template['name'].endswith('-template')
    assert template['server_type'] == 'vm'
    assert template['network_driver'] == 'flannel'
    assert template['floating_ip_enabled'] is True
    assert template['public'] is False and template['hidden'] is False


def test_strings_are_coerced_as_magnum_ui_sends_them(api):
    template = api.post('/v1/clustertemplates', {
        'coe': 'kubernetes', 'image_id': 'img', 'docker_volume_size': '5',
        'master_lb_enabled': 'True', 'tls_disabled': 'false'},
        status=201).json
    assert template['docker_volume_size'] == 5
    assert template['master_lb_enabled'] is True
    assert template['tls_disabled'] is False


@pytest.mark.parametrize('change, word', [
    ({'coe': None}, 'coe'), ({'image_id': ''}, 'image_id'),
    ({'coe': 'mesos'}, 'coe'), ({'docker_volume_size': 0}, 'docker'),
    ({'docker_volume_size': 'many'}, 'docker'),
    ({'server_type': 'cloud'}, 'server_type'),
    ({'network_driver': 'weave'}, 'Network driver'),
    ({'volume_driver': 'rexray'}, 'Volume driver'),
    ({'dns_nameserver': 'dns.example'}, 'dns_nameserver'),
    ({'apiserver_port': 80}, 'apiserver_port'),
    ({'labels': {'kube_tag': '1.30'}}, 'kube_tag'),
    ({'labels': 'a=b'}, 'labels'),
    ({'driver': 'nonexistent'}, 'nonexistent'),
    ({'coe': 'swarm'}, 'not supported'),
    ({'docker_storage_driver': 'devicemapper', 'docker_volume_size': 2},
     'devicemapper'),
])
def test_invalid_templates_are_400(api, change, word):
    body = dict(CLIENT_BODY, **change)
    if body['coe'] is None:
        del body['coe']
    response = api.post('/v1/clustertemplates', body, status=400)
    assert word in pecan_app.error_of(response)['detail']


def test_get_by_name_and_uuid_list_and_detail(api):
    template = api.make_template()
    assert api.get('/v1/clustertemplates/k8s-tmpl',
                   status=200).json['uuid'] == template['uuid']
    assert api.get('/v1/clustertemplates/' + template['uuid'],
                   status=200).json['name'] == 'k8s-tmpl'
    for path in ('/v1/clustertemplates', '/v1/clustertemplates/detail'):
        (listed,) = api.get(path, status=200).json['clustertemplates']
        assert listed['uuid'] == template['uuid']


def test_duplicate_names_make_the_name_ambiguous(api):
    api.make_template()
    api.make_template()
    response = api.get('/v1/clustertemplates/k8s-tmpl', status=409)
    pecan_app.error_of(response)


def test_update_as_the_client_sends_it(api):
    api.make_template()
    template = api.patch('/v1/clustertemplates/k8s-tmpl', [
        {'op': 'replace', 'path': '/docker_volume_size', 'value': 20},
        {'op': 'add', 'path': '/labels/x', 'value': 'y'},
        {'op': 'remove', 'path': '/labels/kube_tag'},
        {'op': 'replace', 'path': '/name', 'value': 'renamed'},
        {'op': 'replace', 'path': '/master_lb_enabled', 'value': 'True'},
    ], status=200).json
    assert template['docker_volume_size'] == 20
    assert template['labels'] == {'x': 'y'}
    assert template['name'] == 'renamed'
    assert template['master_lb_enabled'] is True
    assert template['updated_at'] is not None


@pytest.mark.parametrize('patch', [
    {'op': 'replace', 'path': '/name', 'value': 'x'},
    [{'op': 'replace', 'path': '/uuid', 'value': 'x'}],
    [{'op': 'replace', 'path': '/project_id', 'value': 'x'}],
    [{'op': 'remove', 'path': '/image_id'}],
    [{'op': 'remove', 'path': '/coe'}],
    [{'op': 'remove', 'path': '/public'}],
    [{'op': 'add', 'path': '/colour', 'value': 'blue'}],
    [{'op': 'move', 'path': '/name', 'from': '/image_id'}],
    [{'op': 'replace', 'path': 'name', 'value': 'x'}],
    [{'op': 'replace', 'path': '/name'}],
    [{'op': 'remove', 'path': '/labels/absent'}],
    [{'op': 'replace', 'path': '/coe', 'value': 'mesos'}],
    [{'op': 'replace', 'path': '/docker_volume_size', 'value': -1}],
    [{'op': 'replace', 'path': '/labels', 'value': 'not a dict'}],
])
def test_invalid_patches_are_400(api, patch):
    api.make_template()
    response = api.patch('/v1/clustertemplates/k8s-tmpl', patch, status=400)
    pecan_app.error_of(response)


def test_null_unsets_an_optional_field(api):
    api.make_template(keypair_id='kp')
    template = api.patch('/v1/clustertemplates/k8s-tmpl', [
        {'op': 'replace', 'path': '/keypair_id', 'value': None}],
        status=200).json
    assert template['keypair_id'] is None


def test_a_used_template_can_only_be_renamed(api):
    template = api.make_template()
    api.make_cluster(template['uuid'])
    api.patch('/v1/clustertemplates/k8s-tmpl', [
        {'op': 'replace', 'path': '/name', 'value': 'new'}], status=200)
    response = api.patch('/v1/clustertemplates/new', [
        {'op': 'replace', 'path': '/image_id', 'value': 'other'}],
        status=400)
    pecan_app.error_of(response)
    response = api.delete('/v1/clustertemplates/new', status=400)
    assert 'referenced' in pecan_app.error_of(response)['detail']


def test_delete(api):
    api.make_template()
    api.delete('/v1/clustertemplates/k8s-tmpl', status=204)
    api.get('/v1/clustertemplates/k8s-tmpl', status=404)
    api.delete('/v1/clustertemplates/k8s-tmpl', status=404)


def test_paging_with_next(api):
    for index in range(3):
        api.make_template(name='t%d' % index)
    first = api.get('/v1/clustertemplates?limit=2&sort_key=name',
                    status=200).json
    assert [t['name'] for t in first['clustertemplates']] == ['t0', 't1']
    next_path = first['next'].replace('http://localhost', '')
    assert 'marker=' in next_path and 'sort_key=name' in next_path
    second = api.get(next_path, status=200).json
    assert [t['name'] for t in second['clustertemplates']] == ['t2']
    assert 'next' not in second


@pytest.mark.parametrize('query', [
    'limit=0', 'limit=-1', 'limit=x', 'sort_dir=up', 'sort_key=colour',
    'marker=00000000-0000-0000-0000-000000000000'])
def test_bad_paging_is_400(api, query):
    api.make_template()
    pecan_app.error_of(api.get('/v1/clustertemplates?' + query, status=400))


def test_magnum_ui_create_and_update(api):
    # magnum-ui sends every value through str(), unset ones as ''.
    template = api.post('/v1/clustertemplates', {
        'name': 'ui', 'coe': 'kubernetes', 'image_id': 'img',
        'keypair_id': '', 'docker_volume_size': '', 'public': 'False',
        'master_lb_enabled': 'True', 'labels': {'kube_tag': 'v1'}},
        status=201).json
    assert template['keypair_id'] is None
    assert template['docker_volume_size'] is None
    assert template['master_lb_enabled'] is True
    template = api.patch('/v1/clustertemplates/ui', [
        {'op': 'replace', 'path': '/labels', 'value': "{'kube_tag': 'v2'}"},
        {'op': 'replace', 'path': '/docker_volume_size', 'value': '7'},
        {'op': 'remove', 'path': '/keypair_id'}], status=200).json
    assert template['labels'] == {'kube_tag': 'v2'}
    assert template['docker_volume_size'] == 7
