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

"""/v1/clusters and its actions."""

import pytest

from magnum_lite.common import states
from tests.harness import pecan_app

COMPLETE = states.CREATE_COMPLETE


@pytest.fixture
def template(api):
    return api.make_template(labels={'kube_tag': 'v1.30.0', 'a': '1'})


def test_create_writes_rows_before_the_cast(api, template):
    # What "openstack coe cluster create" sends.
    response = api.post('/v1/clusters', {
        'cluster_template_id': 'k8s-tmpl', 'create_timeout': 60,
        'discovery_url': None, 'keypair': 'kp1', 'master_count': 1,
        'name': 'c1', 'node_count': 2, 'labels': {'a': 'b'}}, status=202)
    uuid = response.json['uuid']
    assert list(response.json) == ['uuid']
    assert api.conductor.calls == [('create_cluster', uuid, 60)]
    cluster = api.get('/v1/clusters/' + uuid, status=200).json
    assert cluster['status'] == 'CREATE_IN_PROGRESS'
    assert cluster['cluster_template_id'] == template['uuid']
    assert (cluster['node_count'], cluster['master_count']) == (2, 1)
    assert cluster['keypair'] == 'kp1'
    assert cluster['flavor_id'] == 'ds2G'
    assert cluster['labels'] == {'a': 'b'}
    assert cluster['labels_skipped'] == {'kube_tag': 'v1.30.0'}
    assert cluster['labels_overridden'] == {'a': 'b'}
    groups = api.get('/v1/clusters/c1/nodegroups/', status=200).json[
        'nodegroups']
    assert sorted((g['name'], g['role'], g['node_count'], g['status'])
                  for g in groups) == [
        ('default-master', 'master', 1, 'CREATE_IN_PROGRESS'),
        ('default-worker', 'worker', 2, 'CREATE_IN_PROGRESS')]


def test_create_defaults_and_merged_labels(api, template):
    uuid = api.post('/v1/clusters', {
        'cluster_template_id': template['uuid'], 'labels': {'b': '2'},
        'merge_labels': True}, status=202).json['uuid']
    cluster = api.get('/v1/clusters/' + uuid).json
    assert cluster['name'].endswith('-cluster')
    assert (cluster['node_count'], cluster['master_count']) == (1, 1)
    assert cluster['create_timeout'] == 60
    assert cluster['labels'] == {'kube_tag': 'v1.30.0', 'a': '1', 'b': '2'}
    assert cluster['labels_added'] == {'b': '2'}


def test_create_with_magnum_ui_strings(api, template):
    uuid = api.post('/v1/clusters', {
        'cluster_template_id': template['uuid'], 'name': 'ui',
        'node_count': '3', 'master_count': '1',
        'master_lb_enabled': 'False', 'create_timeout': '30'},
        version='1.13', status=202).json['uuid']
    cluster = api.get('/v1/clusters/' + uuid).json
    assert (cluster['node_count'], cluster['create_timeout']) == (3, 30)


@pytest.mark.parametrize('version, status', [('1.1', 400), ('1.9', 400),
                                             ('1.10', 404)])
def test_unknown_template(api, version, status):
    response = api.post('/v1/clusters', {'cluster_template_id': 'nope'},
                        version=version, status=status)
    assert 'nope' in pecan_app.error_of(response)['detail']


@pytest.mark.parametrize('version, status', [('1.9', 400), ('1.10', 202)])
def test_zero_nodes_from_1_10(api, template, version, status):
    api.post('/v1/clusters', {'cluster_template_id': 'k8s-tmpl',
                              'node_count': 0},
             version=version, status=status)


@pytest.mark.parametrize('body, word', [
    ({'master_count': 0}, 'master_count'),
    ({'master_count': 3}, 'master_lb_enabled'),
    ({'name': '1starts-with-digit'}, 'name'),
    ({'name': 'x' * 243}, 'name'),
    ({'node_count': -1}, 'node_count'),
    ({'create_timeout': 'soon'}, 'create_timeout'),
    ({'labels': {'kube_tag': 'latest'}}, 'kube_tag'),
    ({'stack_id': 'x'}, 'stack_id'),
])
def test_invalid_create_is_400(api, template, body, word):
    body = dict({'cluster_template_id': 'k8s-tmpl'}, **body)
    response = api.post('/v1/clusters', body, status=400)
    assert word in pecan_app.error_of(response)['detail']
    assert api.conductor.calls == []


def test_master_count_above_one_with_a_load_balancer(api, template):
    api.post('/v1/clusters', {'cluster_template_id': 'k8s-tmpl',
                              'master_count': 3, 'master_lb_enabled': True},
             status=202)


def test_quota_exceeded_is_403(api, template):
    api.post('/v1/quotas', {'project_id': 'admin', 'resource': 'Cluster',
                            'hard_limit': 1}, status=201)
    api.make_cluster(template['uuid'])
    response = api.post('/v1/clusters', {'cluster_template_id': 'k8s-tmpl',
                                         'name': 'c2'}, status=403)
    assert 'Resource Limit Exceeded' in pecan_app.error_of(response)['detail']


def test_default_quota_from_configuration(api, template):
    pecan_app.CONF.set_override('max_clusters_per_project', 0, group='quotas')
    try:
        api.post('/v1/clusters', {'cluster_template_id': 'k8s-tmpl'},
                 status=403)
    finally:
        pecan_app.CONF.clear_override('max_clusters_per_project', group='quotas')


def test_list_detail_and_paging(api, template):
    for name in ('a1', 'a2', 'a3'):
        api.make_cluster(template['uuid'], name=name)
    summary = api.get('/v1/clusters', status=200).json['clusters']
    assert [c['name'] for c in summary] == ['a1', 'a2', 'a3']
    assert 'status_reason' not in summary[0]
    assert summary[0]['links'][0]['href'].startswith(
        'http://localhost/v1/clusters/')
    detail = api.get('/v1/clusters/detail', status=200).json['clusters']
    assert 'labels_skipped' in detail[0] and 'api_address' in detail[0]
    page = api.get('/v1/clusters?limit=2&sort_dir=desc', status=200).json
    assert [c['name'] for c in page['clusters']] == ['a3', 'a2']
    rest = api.get(page['next'].replace('http://localhost', '')).json
    assert [c['name'] for c in rest['clusters']] == ['a1']


def test_faults_of_a_failed_cluster(api, template):
    uuid = api.make_cluster(template['uuid'])
    api.set_cluster(uuid, status='CREATE_FAILED',
                    faults={'kube_masters': 'Quota exceeded'})
    worker = api.dbapi.get_cluster_by_uuid(
        pecan_app.make_admin_context(), uuid).default_nodegroup('worker')
    api.dbapi.update_nodegroup(uuid, worker.uuid, {
        'status': 'CREATE_FAILED', 'status_reason': 'no flavor'})
    cluster = api.get('/v1/clusters/c1', status=200).json
    assert cluster['faults'] == {'kube_masters': 'Quota exceeded',
                                 'default-worker': 'no flavor'}


def test_update_node_count(api, template):
    uuid = api.make_cluster(template['uuid'], status=COMPLETE)
    # What "openstack coe cluster update c1 --node-count 3 --rollback" sends.
    response = api.patch('/v1/clusters/c1/?rollback=True', [
        {'op': 'replace', 'path': '/node_count', 'value': 3}], status=202)
    assert response.json == {'uuid': uuid}
    assert api.conductor.last('update_cluster') == (
        'update_cluster', uuid, 3, True)
    assert api.get('/v1/clusters/c1').json['status'] == 'UPDATE_IN_PROGRESS'


def test_rollback_is_ignored_before_1_3(api, template):
    uuid = api.make_cluster(template['uuid'], status=COMPLETE)
    api.patch('/v1/clusters/c1?rollback=True', [
        {'op': 'replace', 'path': '/node_count', 'value': 3}],
        version='1.2', status=202)
    assert api.conductor.last('update_cluster') == (
        'update_cluster', uuid, 3, False)


def test_update_of_a_busy_cluster_is_409(api, template):
    api.make_cluster(template['uuid'])
    response = api.patch('/v1/clusters/c1', [
        {'op': 'replace', 'path': '/node_count', 'value': 3}], status=409)
    assert 'CREATE_IN_PROGRESS' in pecan_app.error_of(response)['detail']
    assert api.conductor.last('update_cluster') is None


@pytest.mark.parametrize('patch, status', [
    ([{'op': 'replace', 'path': '/name', 'value': 'x'}], 400),
    ([{'op': 'replace', 'path': '/master_count', 'value': 3}], 400),
    ([{'op': 'add', 'path': '/labels/x', 'value': 'y'}], 400),
    ([{'op': 'replace', 'path': '/api_address', 'value': 'x'}], 400),
    ([{'op': 'replace', 'path': '/node_count', 'value': 'x'}], 400),
    ([{'op': 'replace', 'path': '/node_count', 'value': -2}], 400),
    ([{'op': 'remove', 'path': '/node_count'}], 400),
    ([{'op': 'replace', 'path': '/health_status', 'value': 'SO-SO'}], 400),
    ({'node_count': 3}, 400),
])
def test_invalid_updates(api, template, patch, status):
    api.make_cluster(template['uuid'], status=COMPLETE)
    pecan_app.error_of(api.patch('/v1/clusters/c1', patch, status=status))


def test_zero_node_update_needs_1_10(api, template):
    api.make_cluster(template['uuid'], status=COMPLETE)
    patch = [{'op': 'replace', 'path': '/node_count', 'value': 0}]
    api.patch('/v1/clusters/c1', patch, version='1.9', status=400)
    api.patch('/v1/clusters/c1', patch, version='1.10', status=202)


def test_health_status_update_does_not_touch_status(api, template):
    api.make_cluster(template['uuid'])
    api.patch('/v1/clusters/c1', [
        {'op': 'replace', 'path': '/health_status', 'value': 'UNHEALTHY'},
        {'op': 'replace', 'path': '/health_status_reason',
         'value': "{'api': 'down'}"}], status=202)
    cluster = api.get('/v1/clusters/c1').json
    assert cluster['health_status'] == 'UNHEALTHY'
    assert cluster['health_status_reason'] == {'api': 'down'}
    assert cluster['status'] == 'CREATE_IN_PROGRESS'


def test_delete(api, template):
    uuid = api.make_cluster(template['uuid'])
    api.delete('/v1/clusters/c1', status=204)
    assert api.conductor.last('delete_cluster') == ('delete_cluster', uuid)
    assert api.get('/v1/clusters/c1').json['status'] == 'DELETE_IN_PROGRESS'
    response = api.delete('/v1/clusters/c1', status=409)
    assert 'DELETE_IN_PROGRESS' in pecan_app.error_of(response)['detail']


def test_resize(api, template):
    uuid = api.make_cluster(template['uuid'], status=COMPLETE)
    api.post('/v1/clusters/%s/actions/resize' % uuid, {
        'node_count': 5, 'nodes_to_remove': ['server-1']}, status=202)
    name, cluster_uuid, ng_uuid, count, remove = api.conductor.last(
        'resize_cluster')
    worker = api.get('/v1/clusters/c1/nodegroups/default-worker').json
    assert (cluster_uuid, ng_uuid, count, remove) == (
        uuid, worker['uuid'], 5, ['server-1'])
    # A resize may follow a failed or running update (autoscaler).
    api.set_cluster(uuid, status='UPDATE_FAILED')
    api.post('/v1/clusters/c1/actions/resize', {'node_count': 4}, status=202)


@pytest.mark.parametrize('body, status, word', [
    ({'node_count': 2, 'nodegroup': 'default-master'}, 400, 'master'),
    ({'node_count': 0}, 400, 'node_count'),
    ({'node_count': 2, 'nodegroup': 'nope'}, 404, 'nope'),
    ({'nodes_to_remove': []}, 400, 'node_count'),
])
def test_invalid_resize(api, template, body, status, word):
    api.make_cluster(template['uuid'], status=COMPLETE)
    response = api.post('/v1/clusters/c1/actions/resize', body,
                        version='1.9', status=status)
    assert word in pecan_app.error_of(response)['detail']


def test_resize_respects_nodegroup_bounds(api, template):
    uuid = api.make_cluster(template['uuid'], status=COMPLETE,
                            labels={'max_node_count': '4'})
    response = api.post('/v1/clusters/%s/actions/resize' % uuid,
                        {'node_count': 5}, status=400)
    assert 'max_node_count = 4' in pecan_app.error_of(response)['detail']


def test_resize_of_a_deleting_cluster_is_409(api, template):
    api.make_cluster(template['uuid'], status='DELETE_IN_PROGRESS')
    api.post('/v1/clusters/c1/actions/resize', {'node_count': 1},
             status=409)


def test_upgrade(api, template):
    uuid = api.make_cluster(template['uuid'], status=COMPLETE)
    newer = api.make_template(name='newer',
                              labels={'kube_tag': 'v1.31.0'})
    api.post('/v1/clusters/%s/actions/upgrade' % uuid, {
        'cluster_template': 'newer', 'max_batch_size': 2}, status=202)
    assert api.conductor.last('upgrade_cluster') == (
        'upgrade_cluster', uuid, newer['uuid'], 2, None)
    response = api.post('/v1/clusters/c1/actions/upgrade',
                        {'cluster_template': 'newer'}, status=409)
    pecan_app.error_of(response)


def test_upgrade_to_unknown_template_is_404(api, template):
    api.make_cluster(template['uuid'], status=COMPLETE)
    api.post('/v1/clusters/c1/actions/upgrade', {'cluster_template': 'x'},
             status=404)


@pytest.fixture
def heat_drivers():
    """The k8s_heat and swarm_heat drivers, as the only ones installed."""
    from magnum_lite.drivers.k8s_heat import driver as k8s_driver
    from magnum_lite.drivers import loader
    from magnum_lite.drivers.swarm_heat import driver as swarm_driver
    saved = loader._drivers
    loader._drivers = loader._Registry({
        'k8s_heat': k8s_driver.KubernetesHeatDriver(),
        'swarm_heat': swarm_driver.SwarmHeatDriver()})
    yield
    loader._drivers = saved


def _heat_cluster(api, coe='kubernetes', driver='k8s_heat', labels=None,
                  **templates):
    """A finished cluster of a Heat driver, and more templates by name."""
    from tests.harness import cluster_rows
    template = cluster_rows.make_template(
        api.dbapi, name='current', coe=coe, labels=labels or {})
    cluster = cluster_rows.make_cluster(api.dbapi, template, status=COMPLETE,
                                        name='c1', driver=driver)
    for name, values in templates.items():
        cluster_rows.make_template(api.dbapi, name=name, **values)
    return cluster.uuid


@pytest.mark.parametrize('new, reason', [
    ({'labels': {'kube_tag': 'v1.31.0'}}, 'older than the cluster'),
    ({'labels': {}}, 'has no kube_tag label'),
    ({'labels': {'kube_tag': 'v1.34.0'}}, 'skips a minor version'),
    ({'coe': 'swarm-mode', 'labels': {'kube_tag': 'v1.33.0'}},
     'an upgrade keeps the COE and the driver'),
])
def test_upgrade_of_a_k8s_heat_cluster_is_checked(api, heat_drivers, new,
                                                  reason):
    uuid = _heat_cluster(api, labels={'kube_tag': 'v1.32.2'}, new=new)
    response = api.post('/v1/clusters/%s/actions/upgrade' % uuid,
                        {'cluster_template': 'new'}, status=400)
    assert reason in pecan_app.error_of(response)['detail']
    assert api.conductor.calls == []
    cluster = api.get('/v1/clusters/' + uuid, status=200).json
    assert cluster['status'] == COMPLETE


@pytest.mark.parametrize('tag', ['v1.32.2', 'v1.32.9', 'v1.33.0'])
def test_upgrade_of_a_k8s_heat_cluster_is_accepted(api, heat_drivers, tag):
    """A newer patch or the next minor version; the same one is a no-op."""
    uuid = _heat_cluster(api, labels={'kube_tag': 'v1.32.2'},
                         new={'labels': {'kube_tag': tag}})
    api.post('/v1/clusters/%s/actions/upgrade' % uuid,
             {'cluster_template': 'new', 'max_batch_size': 3}, status=202)
    assert api.conductor.last('upgrade_cluster')[3] == 3


def test_upgrade_of_a_swarm_heat_cluster_says_why_not(api, heat_drivers):
    uuid = _heat_cluster(api, coe='swarm-mode', driver='swarm_heat',
                         new={'coe': 'swarm-mode'})
    response = api.post('/v1/clusters/%s/actions/upgrade' % uuid,
                        {'cluster_template': 'new'}, status=400)
    detail = pecan_app.error_of(response)['detail']
    assert 'Upgrading a Docker Swarm cluster in place' in detail
    assert 'not supported' in detail
