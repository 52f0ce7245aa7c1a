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

"""The database API on a migrated SQLite schema."""

import concurrent.futures

import pytest

from magnum_lite.common import exception
from magnum_lite.common import states
from tests.harness import contexts


def _template(dbapi, project_id='project-a', **values):
    values = dict({'name': 'tmpl', 'coe': 'kubernetes',
                   'project_id': project_id, 'labels': {'kube_tag': 'v1'}},
                  **values)
    return dbapi.create_cluster_template(values)


def _cluster(dbapi, template, name='c1', project_id='project-a',
             status=states.CREATE_IN_PROGRESS, workers=2, masters=1):
    return dbapi.create_cluster(
        {'name': name, 'project_id': project_id, 'status': status,
         'cluster_template_id': template.uuid},
        [{'name': states.DEFAULT_MASTER_NODEGROUP, 'role': 'master',
          'node_count': masters, 'is_default': True,
          'node_addresses': ['10.0.0.1']},
         {'name': states.DEFAULT_WORKER_NODEGROUP, 'role': 'worker',
          'node_count': workers, 'is_default': True,
          'node_addresses': ['10.0.0.2', '10.0.0.3']}])


def test_cluster_counts_and_addresses_come_from_nodegroups(database):
    cluster = _cluster(database, _template(database), workers=2, masters=3)
    assert (cluster.node_count, cluster.master_count) == (2, 3)
    assert cluster.master_addresses == ['10.0.0.1']
    assert cluster.node_addresses == ['10.0.0.2', '10.0.0.3']
    assert cluster.default_nodegroup('worker').name == 'default-worker'


def test_json_columns_round_trip(database, context):
    template = _template(database, labels={'a': '1', 'nested': {'b': [1]}})
    got = database.get_cluster_template_by_uuid(context, template.uuid)
    assert got.labels == {'a': '1', 'nested': {'b': [1]}}


def test_other_projects_clusters_are_invisible(database):
    template = _template(database)
    cluster = _cluster(database, template)
    other = contexts.make_context(project_id='project-b')
    with pytest.raises(exception.ClusterNotFound):
        database.get_cluster_by_uuid(other, cluster.uuid)
    assert database.get_cluster_list(other) == []
    admin = contexts.make_context(project_id='x', is_admin=True,
                                  all_tenants=True)
    assert [c.uuid for c in database.get_cluster_list(admin)] == [
        cluster.uuid]


def test_template_visibility_public_and_hidden(database):
    _template(database, name='own-b', project_id='project-b')
    _template(database, name='public', project_id='project-a', public=True)
    _template(database, name='hidden', project_id='project-a', public=True,
              hidden=True)
    _template(database, name='private', project_id='project-a')
    other = contexts.make_context(project_id='project-b')
    names = sorted(t.name for t in database.get_cluster_template_list(other))
    assert names == ['own-b', 'public']


def test_template_name_lookup_is_ambiguous_when_shared(database, context):
    _template(database, name='dup')
    _template(database, name='dup')
    with pytest.raises(exception.Conflict):
        database.get_cluster_template_by_name(context, 'dup')


def test_template_in_use_only_renames(database, context):
    template = _template(database)
    _cluster(database, template)
    renamed = database.update_cluster_template(template.uuid,
                                               {'name': 'renamed'})
    assert renamed.name == 'renamed'
    with pytest.raises(exception.ClusterTemplateReferenced):
        database.update_cluster_template(template.uuid,
                                         {'image_id': 'other'})
    with pytest.raises(exception.ClusterTemplateReferenced):
        database.destroy_cluster_template(template.uuid)
    assert database.get_cluster_template_by_uuid(
        context, template.uuid).image_id is None


def test_status_compare_and_swap(database):
    cluster = _cluster(database, _template(database),
                       status=states.CREATE_COMPLETE)
    updated = database.update_cluster(
        cluster.uuid, {'status': states.UPDATE_IN_PROGRESS},
        expected_status=states.UPDATE_ALLOWED_FROM)
    assert updated.status == states.UPDATE_IN_PROGRESS
    with pytest.raises(exception.OperationInProgress) as caught:
        database.update_cluster(
            cluster.uuid, {'status': states.DELETE_IN_PROGRESS},
            expected_status=states.UPDATE_ALLOWED_FROM)
    assert caught.value.code == 409
    with pytest.raises(exception.ClusterNotFound):
        database.update_cluster('missing', {'status': 'x'},
                                expected_status=states.ALL)


def test_only_one_of_many_racing_updates_wins(database):
    cluster = _cluster(database, _template(database),
                       status=states.CREATE_COMPLETE)

    def attempt(_):
        try:
            database.update_cluster(
                cluster.uuid, {'status': states.UPDATE_IN_PROGRESS},
                expected_status=(states.CREATE_COMPLETE,))
            return 'won'
        except exception.OperationInProgress:
            return 'conflict'

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(16)))
    assert outcomes.count('won') == 1
    assert outcomes.count('conflict') == 15


def test_destroy_cluster_removes_nodegroups_certificates_containers(
        database, context):
    cluster = _cluster(database, _template(database))
    database.create_certificate({'cluster_uuid': cluster.uuid,
                                 'ca_cert_type': 'kubernetes',
                                 'certificate': 'pem', 'private_key': 'enc'})
    container = database.create_container({
        'name': 'web', 'image': 'busybox', 'cluster_uuid': cluster.uuid,
        'project_id': 'project-a', 'status': 'Running'})
    database.destroy_cluster(cluster.uuid)
    with pytest.raises(exception.ContainerNotFound):
        database.get_container_by_uuid(context, container.uuid)
    with pytest.raises(exception.ClusterNotFound):
        database.get_cluster_by_uuid(context, cluster.uuid)
    assert database.list_cluster_nodegroups(context, cluster.uuid) == []
    with pytest.raises(exception.CertificateNotFound):
        database.get_certificate(cluster.uuid, 'kubernetes')


def test_a_second_ca_of_the_same_type_is_a_conflict(database, context):
    cluster = _cluster(database, _template(database))
    values = {'cluster_uuid': cluster.uuid, 'ca_cert_type': 'kubernetes',
              'certificate': 'pem', 'private_key': 'enc'}
    database.create_certificate(values)
    with pytest.raises(exception.Conflict) as raised:
        database.create_certificate(dict(values, certificate='other'))
    assert 'already has a kubernetes CA' in str(raised.value)
    assert database.get_certificate(cluster.uuid,
                                    'kubernetes').certificate == 'pem'


def test_pagination_with_marker_and_sort(database, context):
    template = _template(database)
    names = ['c%02d' % i for i in range(7)]
    for name in reversed(names):
        _cluster(database, template, name=name)
    first = database.get_cluster_list(context, limit=3, sort_key='name')
    assert [c.name for c in first] == names[:3]
    rest = database.get_cluster_list(context, limit=10, sort_key='name',
                                     marker=first[-1].uuid)
    assert [c.name for c in rest] == names[3:]
    desc = database.get_cluster_list(context, limit=2, sort_key='name',
                                     sort_dir='desc')
    assert [c.name for c in desc] == ['c06', 'c05']


@pytest.mark.parametrize('kwargs', [{'sort_key': 'no_such_column'},
                                    {'sort_dir': 'sideways'},
                                    {'marker': 'not-a-known-uuid'}])
def test_bad_paging_arguments_are_400(database, context, kwargs):
    with pytest.raises(exception.InvalidParameterValue) as caught:
        database.get_cluster_list(context, **kwargs)
    assert caught.value.code == 400


def test_list_filters_accept_sets(database, context):
    template = _template(database)
    _cluster(database, template, name='a', status=states.CREATE_COMPLETE)
    _cluster(database, template, name='b', status=states.UPDATE_IN_PROGRESS)
    _cluster(database, template, name='c', status=states.DELETE_FAILED)
    found = database.get_cluster_list(
        context, filters={'status': states.IN_PROGRESS})
    assert [c.name for c in found] == ['b']


def test_nodegroup_names_are_unique_per_cluster(database, context):
    template = _template(database)
    first = _cluster(database, template, name='one')
    second = _cluster(database, template, name='two')
    ng = database.create_nodegroup({'name': 'extra', 'cluster_id': first.uuid,
                                    'role': 'worker', 'node_count': 1,
                                    'project_id': 'project-a'})
    with pytest.raises(exception.NodeGroupAlreadyExists):
        database.create_nodegroup({'name': 'extra',
                                   'cluster_id': first.uuid})
    database.create_nodegroup({'name': 'extra', 'cluster_id': second.uuid,
                               'project_id': 'project-a'})
    got = database.get_nodegroup_by_name(context, first.uuid, 'extra')
    assert got.uuid == ng.uuid
    workers = database.list_cluster_nodegroups(context, first.uuid,
                                               filters={'role': 'worker'})
    assert sorted(n.name for n in workers) == ['default-worker', 'extra']
    database.update_nodegroup(first.uuid, ng.uuid, {'node_count': 4})
    assert database.get_cluster_by_uuid(context, first.uuid).node_count == 6
    database.destroy_nodegroup(first.uuid, ng.uuid)
    with pytest.raises(exception.NodeGroupNotFound):
        database.get_nodegroup_by_uuid(context, first.uuid, ng.uuid)


def test_stats_count_every_node(database):
    template = _template(database)
    _cluster(database, template, name='a', workers=2, masters=1)
    _cluster(database, template, name='b', project_id='project-b',
             workers=4, masters=3)
    admin = contexts.make_context(is_admin=True, all_tenants=True)
    assert database.get_cluster_stats(admin) == (2, 10)
    assert database.get_cluster_stats(admin, 'project-b') == (1, 7)
    assert database.get_cluster_count(admin, 'project-a') == 1


def test_quotas(database, context):
    database.create_quota({'project_id': 'project-a', 'resource': 'Cluster',
                           'hard_limit': 3})
    with pytest.raises(exception.QuotaAlreadyExists):
        database.create_quota({'project_id': 'project-a',
                               'resource': 'Cluster', 'hard_limit': 1})
    updated = database.update_quota('project-a', 'Cluster',
                                    {'hard_limit': 5, 'project_id': 'evil'})
    assert (updated.project_id, updated.hard_limit) == ('project-a', 5)
    assert len(database.get_quota_list(context)) == 1
    database.delete_quota('project-a', 'Cluster')
    with pytest.raises(exception.QuotaNotFound):
        database.get_quota_by_project_id_resource('project-a', 'Cluster')


def test_heartbeats_create_then_count(database):
    first = database.service_heartbeat('host-1', 'magnum-conductor')
    second = database.service_heartbeat('host-1', 'magnum-conductor')
    assert first.id == second.id
    assert (first.report_count, second.report_count) == (1, 2)
    assert second.last_seen_up >= first.last_seen_up
    assert [s.host for s in database.get_service_list()] == ['host-1']


def test_federation_crud(database, context):
    fed = database.create_federation({'name': 'fed', 'project_id':
                                      'project-a', 'member_ids': ['x'],
                                      'properties': {'dns-zone': 'z.'}})
    assert database.get_federation_by_name(context, 'fed').member_ids == [
        'x']
    database.update_federation(fed.uuid, {'member_ids': ['x', 'y']})
    assert database.get_federation_by_uuid(
        context, fed.uuid).member_ids == ['x', 'y']
    database.destroy_federation(fed.uuid)
    with pytest.raises(exception.FederationNotFound):
        database.get_federation_by_uuid(context, fed.uuid)


@pytest.mark.parametrize('destroy, args, not_found', [
    ('destroy_cluster_template', ('missing',),
     exception.ClusterTemplateNotFound),
    ('destroy_cluster', ('missing',), exception.ClusterNotFound),
    ('destroy_nodegroup', ('missing', 'missing'),
     exception.NodeGroupNotFound),
    ('delete_quota', ('project-a', 'Cluster'), exception.QuotaNotFound),
    ('destroy_federation', ('missing',), exception.FederationNotFound),
    ('destroy_container', ('missing',), exception.ContainerNotFound),
    ('destroy_service', (12345,), exception.ServiceNotFound),
])
def test_destroying_what_is_not_there_is_not_found(database, destroy, args,
                                                   not_found):
    with pytest.raises(not_found) as caught:
        getattr(database, destroy)(*args)
    assert caught.value.code == 404
