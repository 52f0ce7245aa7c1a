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

"""Policies: personas, project isolation and the rules themselves."""

import os
import subprocess
import sys

import pytest

from magnum_lite.common import policies
from magnum_lite.common import states
from tests.harness import pecan_app

A, B, READER = pecan_app.MEMBER_A, pecan_app.MEMBER_B, pecan_app.READER_A


@pytest.fixture
def objects(api):
    """Project A's template and cluster (made by a member of A)."""
    template = api.make_template(headers=A)
    uuid = api.make_cluster(template['uuid'], headers=A,
                            status=states.CREATE_COMPLETE)
    api.set_cluster(uuid, api_address='https://10.0.0.5:6443')
    return template['uuid'], uuid


def test_rule_names_are_magnum_s():
    names = {rule.name for rule in policies.list_rules()}
    for name in ('cluster:create', 'cluster:get_all_all_projects',
                 'cluster:update_health_status', 'cluster:resize',
                 'cluster:upgrade', 'clustertemplate:publish',
                 'certificate:rotate_ca', 'nodegroup:get_one_all_projects',
                 'quota:update', 'stats:get_all', 'magnum-service:get_all',
                 'federation:detail', 'credential:rotate'):
        assert name in names, name


@pytest.mark.parametrize('method, path, body', [
    ('GET', '/v1/clusters/{cluster}', None),
    ('PATCH', '/v1/clusters/{cluster}',
     [{'op': 'replace', 'path': '/node_count', 'value': 3}]),
    ('DELETE', '/v1/clusters/{cluster}', None),
    ('POST', '/v1/clusters/{cluster}/actions/resize', {'node_count': 2}),
    ('POST', '/v1/clusters/{cluster}/actions/upgrade',
     {'cluster_template': '{template}'}),
    ('GET', '/v1/clusters/{cluster}/nodegroups/', None),
    ('GET', '/v1/clusters/{cluster}/nodegroups/default-worker', None),
    ('POST', '/v1/clusters/{cluster}/nodegroups/', {'name': 'ng'}),
    ('DELETE', '/v1/clusters/{cluster}/nodegroups/default-worker', None),
    ('GET', '/v1/certificates/{cluster}', None),
    ('PATCH', '/v1/certificates/{cluster}', None),
    ('PATCH', '/v1/credentials/{cluster}', None),
    ('GET', '/v1/clustertemplates/{template}', None),
    ('PATCH', '/v1/clustertemplates/{template}',
     [{'op': 'replace', 'path': '/name', 'value': 'x'}]),
    ('DELETE', '/v1/clustertemplates/{template}', None),
])
def test_another_project_s_objects_are_invisible(api, objects, method, path,
                                                 body):
    template, cluster = objects
    path = path.format(cluster=cluster, template=template)
    if isinstance(body, dict):
        body = {k: v.format(template=template) if isinstance(v, str) else v
                for k, v in body.items()}
    response = api.request(method, path, body, headers=B, status=404)
    pecan_app.error_of(response)
    assert api.conductor.names() == ['create_cluster']


def test_sign_for_another_project_s_cluster_is_400(api, objects):
    api.post('/v1/certificates', {'cluster_uuid': objects[1], 'csr': 'x'},
             headers=B, status=400)


def test_lists_hold_only_the_caller_s_project(api, objects):
    assert api.get('/v1/clusters', headers=B).json['clusters'] == []
    assert api.get('/v1/clustertemplates',
                   headers=B).json['clustertemplates'] == []
    assert len(api.get('/v1/clusters', headers=A).json['clusters']) == 1
    assert len(api.get('/v1/clusters/detail',
                       headers=READER).json['clusters']) == 1
    # The admin sees every project.
    assert len(api.get('/v1/clusters', headers=pecan_app.ADMIN).json[
        'clusters']) == 1
    api.get('/v1/clusters/' + objects[1], headers=pecan_app.ADMIN, status=200)


@pytest.mark.parametrize('method, path, body', [
    ('POST', '/v1/clusters', {'cluster_template_id': '{template}'}),
    ('PATCH', '/v1/clusters/{cluster}',
     [{'op': 'replace', 'path': '/node_count', 'value': 3}]),
    ('DELETE', '/v1/clusters/{cluster}', None),
    ('POST', '/v1/clusters/{cluster}/actions/resize', {'node_count': 2}),
    ('POST', '/v1/clusters/{cluster}/nodegroups/', {'name': 'ng'}),
    ('POST', '/v1/clustertemplates', {'coe': 'kubernetes',
                                      'image_id': 'i'}),
    ('PATCH', '/v1/clustertemplates/{template}',
     [{'op': 'replace', 'path': '/name', 'value': 'x'}]),
    ('DELETE', '/v1/clustertemplates/{template}', None),
    ('PATCH', '/v1/certificates/{cluster}', None),
    ('POST', '/v1/certificates', {'cluster_uuid': '{cluster}', 'csr': 'x'}),
    ('PATCH', '/v1/credentials/{cluster}', None),
])
def test_a_reader_cannot_write(api, objects, method, path, body):
    template, cluster = objects
    path = path.format(cluster=cluster, template=template)
    if isinstance(body, dict):
        body = {k: v.format(template=template, cluster=cluster)
                if isinstance(v, str) else v for k, v in body.items()}
    response = api.request(method, path, body, headers=READER, status=403)
    assert 'Policy does not allow' in pecan_app.error_of(response)['detail']


def test_a_reader_can_read(api, objects):
    template, cluster = objects
    for path in ('/v1/clusters/' + cluster, '/v1/clustertemplates',
                 '/v1/clusters/%s/nodegroups' % cluster,
                 '/v1/certificates/' + cluster, '/v1/stats'):
        api.get(path, headers=READER, status=200)


def test_public_templates(api, objects):
    # Only the publish rule (admins) may make a template public.
    response = api.post('/v1/clustertemplates', {
        'coe': 'kubernetes', 'image_id': 'i', 'public': True},
        headers=A, status=403)
    assert 'clustertemplate:publish' in pecan_app.error_of(response)['detail']
    api.patch('/v1/clustertemplates/' + objects[0], [
        {'op': 'replace', 'path': '/public', 'value': True}],
        headers=A, status=403)
    public = api.make_template(name='shared', public=True)
    # Everyone may read and use it, nobody else may change it.
    api.get('/v1/clustertemplates/shared', headers=B, status=200)
    api.post('/v1/clusters', {'cluster_template_id': public['uuid'],
                              'name': 'b1'}, headers=B, status=202)
    api.patch('/v1/clustertemplates/shared', [
        {'op': 'replace', 'path': '/name', 'value': 'x'}], headers=B,
        status=403)
    hidden = api.make_template(name='hidden', public=True, hidden=True)
    api.get('/v1/clustertemplates/' + hidden['uuid'], headers=B,
            status=404)


def test_admin_only_resources(api, objects):
    for method, path, body in (
            ('GET', '/v1/mservices', None),
            ('POST', '/v1/quotas', {'project_id': 'project-a',
                                    'resource': 'Cluster'}),
            ('PATCH', '/v1/quotas/project-a/Cluster', {'hard_limit': 1}),
            ('DELETE', '/v1/quotas/project-a/Cluster', None)):
        pecan_app.error_of(api.request(method, path, body, headers=A,
                                       status=403))


def test_quotas_and_stats_of_another_project_are_403(api, objects):
    api.get('/v1/quotas/project-a/Cluster', headers=A, status=200)
    api.get('/v1/quotas/project-b/Cluster', headers=A, status=403)
    assert api.get('/v1/stats', headers=A).json['clusters'] == 1
    api.get('/v1/stats?project_id=project-b', headers=A, status=403)


def test_health_status_has_its_own_rule(api, objects, tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"cluster:update_health_status": "!"\n')
    pecan_app.CONF.set_override('policy_file', str(policy_file),
                                group='oslo_policy')
    pecan_app.policy.reset()
    try:
        api.patch('/v1/clusters/' + objects[1], [
            {'op': 'replace', 'path': '/health_status',
             'value': 'HEALTHY'}], headers=A, status=403)
        api.patch('/v1/clusters/' + objects[1], [
            {'op': 'replace', 'path': '/node_count', 'value': 3}],
            headers=A, status=202)
    finally:
        pecan_app.CONF.clear_override('policy_file', group='oslo_policy')
        pecan_app.policy.reset()


def test_the_policy_sample_is_current(tmp_path):
    # tox -e genpolicy writes etc/magnum_lite/policy.yaml.sample.
    root = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')
    generated = tmp_path / 'policy.yaml.sample'
    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable),
                      'oslopolicy-sample-generator'),
         '--namespace', 'magnum_lite', '--output-file', str(generated)],
        check=True, capture_output=True)
    with open(os.path.join(root, 'etc', 'magnum_lite',
                           'policy.yaml.sample')) as committed:
        assert generated.read_text() == committed.read(), (
            'run tox -e genpolicy')
