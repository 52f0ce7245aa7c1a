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

"""/v1/containers through the real Pecan app, with a recording conductor."""

import pytest

from magnum_lite.common import exception
from magnum_lite.common import states
from tests.harness import cluster_rows
from tests.harness import pecan_app

V = '1.15'


@pytest.fixture
def swarm(api):
    """A complete swarm-mode cluster of project-a, and a kubernetes one."""
    template = cluster_rows.make_template(
        api.dbapi, name='swarm-t', coe='swarm-mode', server_type='container')
    cluster = cluster_rows.make_cluster(
        api.dbapi, template, name='sw', status=states.CREATE_COMPLETE)
    k8s = cluster_rows.make_template(api.dbapi, name='k8s-t')
    cluster_rows.make_cluster(api.dbapi, k8s, name='kube',
                              status=states.CREATE_COMPLETE)
    return cluster


def _create(api, headers=pecan_app.MEMBER_A, status=202, **body):
    body = dict({'name': 'web', 'image': 'busybox', 'cluster': 'sw'}, **body)
    return api.post('/v1/containers', body, headers=headers, version=V,
                    status=status)


def test_create_writes_the_row_then_casts(api, swarm):
    answer = _create(api, command='sleep 60', environment={'A': '1'},
                     memory='64m').json
    assert answer['status'] == 'Creating'
    assert answer['cluster_uuid'] == answer['bay_uuid'] == swarm.uuid
    assert api.conductor.last('create_container') == (
        'create_container', answer['uuid'])
    row = api.dbapi.get_container_by_uuid(None, answer['uuid'])
    assert (row.command, row.environment, row.memory) == (
        'sleep 60', {'A': '1'}, '64m')
    assert row.project_id == 'project-a'


@pytest.mark.parametrize('body, status, words', [
    ({'cluster': 'kube'}, 400, 'not a Swarm cluster'),
    ({'cluster': 'nope'}, 400, 'nope'),
    ({'cluster': None}, 400, 'cluster'),
    ({'memory': '1x'}, 400, 'memory'),
    ({'memory': '1k'}, 400, 'at least 6m'),
    ({'command': 'echo "unclosed'}, 400, 'cannot be split'),
    ({'environment': {'A': 1}}, 400, 'environment'),
    ({'image': None}, 400, 'image'),
    ({'name': '-bad'}, 400, 'name'),
    ({'surprise': 1}, 400, 'surprise'),
    ({'bay_uuid': 'kube'}, 400, 'name different clusters'),
])
def test_bad_create_bodies(api, swarm, body, status, words):
    response = _create(api, status=status, **body)
    assert words in pecan_app.error_of(response)['detail']
    assert api.conductor.last('create_container') is None
    assert api.dbapi.get_container_list(pecan_app.make_admin_context()) == []


def test_a_cluster_not_complete_is_409(api, swarm):
    api.dbapi.update_cluster(swarm.uuid,
                             {'status': states.UPDATE_IN_PROGRESS})
    response = _create(api, status=409)
    assert 'UPDATE_IN_PROGRESS' in pecan_app.error_of(response)['detail']


def test_no_conductor_marks_the_row_error_and_answers_503(api, swarm):
    api.conductor.fail_with = exception.ConductorUnavailable(reason='down')
    _create(api, status=503)
    (row,) = api.dbapi.get_container_list(pecan_app.make_admin_context())
    assert row.status == 'Error' and 'down' in row.status_reason


@pytest.mark.parametrize('method, path', [
    ('GET', '/v1/containers'), ('POST', '/v1/containers'),
    ('GET', '/v1/containers/web'), ('DELETE', '/v1/containers/web'),
    ('PUT', '/v1/containers/web/start'), ('GET', '/v1/containers/web/logs'),
    ('PUT', '/v1/containers/web/execute?command=ls'),
])
def test_every_route_needs_1_15(api, swarm, method, path):
    _create(api)
    body = {'image': 'x', 'cluster': 'sw'} if method == 'POST' else None
    response = api.request(method, path, body, version='1.14', status=406)
    assert 'containers' in pecan_app.error_of(response)['detail']
    # No header means 1.1: refused the same way.
    api.request(method, path, body, version=None, status=406)


def test_list_and_show_refresh_through_the_conductor(api, swarm):
    uuid = _create(api).json['uuid']
    api.dbapi.update_container(uuid, {'host': '10.0.0.10',
                                      'status': 'Running'})

    def refresh(context, uuids):
        api.conductor.calls.append(('refresh_containers', uuids))
        api.dbapi.update_container(uuids[0], {'status': 'Stopped'})

    api.conductor.refresh_containers = refresh
    listed = api.get('/v1/containers', headers=pecan_app.MEMBER_A, version=V,
                     status=200).json['containers']
    assert [(c['uuid'], c['status']) for c in listed] == [(uuid, 'Stopped')]
    api.dbapi.update_container(uuid, {'status': 'Running'})
    shown = api.get('/v1/containers/web', headers=pecan_app.READER_A, version=V,
                    status=200).json
    assert shown['status'] == 'Stopped' and shown['host'] == '10.0.0.10'
    assert api.conductor.names().count('refresh_containers') == 2


def test_a_failing_refresh_answers_the_stored_status(api, swarm):
    uuid = _create(api).json['uuid']
    api.dbapi.update_container(uuid, {'host': 'h', 'status': 'Running'})

    def refresh(context, uuids):
        raise exception.ConductorUnavailable(reason='timeout')

    api.conductor.refresh_containers = refresh
    assert api.get('/v1/containers/%s' % uuid, headers=pecan_app.MEMBER_A,
                   version=V, status=200).json['status'] == 'Running'


def test_other_projects_containers_are_invisible(api, swarm):
    uuid = _create(api).json['uuid']
    for path in ('/v1/containers/%s' % uuid, '/v1/containers/web'):
        response = api.get(path, headers=pecan_app.MEMBER_B, version=V,
                           status=404)
        assert 'could not be found' in pecan_app.error_of(response)['detail']
    api.request('PUT', '/v1/containers/%s/stop' % uuid,
                headers=pecan_app.MEMBER_B, version=V, status=404)
    assert api.get('/v1/containers', headers=pecan_app.MEMBER_B, version=V,
                   status=200).json['containers'] == []
    # The admin sees every project's.
    assert len(api.get('/v1/containers', version=V,
                       status=200).json['containers']) == 1


def test_a_reader_may_look_but_not_act(api, swarm):
    uuid = _create(api).json['uuid']
    api.get('/v1/containers/%s/logs' % uuid, headers=pecan_app.READER_A,
            version=V, status=200)
    for method, path in (('PUT', 'start'), ('PUT', 'execute?command=ls'),
                         ('DELETE', '')):
        api.request(method, '/v1/containers/%s/%s' % (uuid, path),
                    headers=pecan_app.READER_A, version=V, status=403)
    _create(api, headers=pecan_app.READER_A, status=403)


@pytest.mark.parametrize('action', ['start', 'stop', 'reboot', 'pause',
                                    'unpause'])
def test_actions_call_the_conductor(api, swarm, action):
    uuid = _create(api).json['uuid']
    answer = api.request('PUT', '/v1/containers/web/%s' % action,
                         headers=pecan_app.MEMBER_A, version=V, status=200).json
    assert answer['uuid'] == uuid
    assert api.conductor.last('action_container') == (
        'action_container', uuid, action)


def test_a_conflict_in_the_conductor_is_409(api, swarm):
    _create(api)

    def action(context, uuid, name):
        raise exception.Conflict('Container web is not running')

    api.conductor.action_container = action
    response = api.request('PUT', '/v1/containers/web/pause',
                           headers=pecan_app.MEMBER_A, version=V, status=409)
    assert 'not running' in pecan_app.error_of(response)['detail']


def test_logs_and_execute(api, swarm):
    uuid = _create(api).json['uuid']
    api.conductor.get_container_logs = lambda context, u: 'hello\n'
    api.conductor.execute_container = (
        lambda context, u, command: {'output': ' '.join(command)
                                     if isinstance(command, list)
                                     else command, 'exit_code': 0})
    assert api.get('/v1/containers/%s/logs' % uuid, headers=pecan_app.MEMBER_A,
                   version=V, status=200).json == {'output': 'hello\n'}
    assert api.request(
        'PUT', '/v1/containers/web/execute?command=echo%20hi',
        headers=pecan_app.MEMBER_A, version=V, status=200).json == {
            'output': 'echo hi', 'exit_code': 0}
    response = api.request('PUT', '/v1/containers/web/execute',
                           headers=pecan_app.MEMBER_A, version=V, status=400)
    assert 'command is required' in pecan_app.error_of(response)['detail']


def test_rename_and_delete(api, swarm):
    uuid = _create(api).json['uuid']
    renamed = api.patch('/v1/containers/web',
                        [{'op': 'replace', 'path': '/name', 'value': 'w2'}],
                        headers=pecan_app.MEMBER_A, version=V, status=200).json
    assert renamed['name'] == 'w2'
    response = api.patch('/v1/containers/w2',
                         [{'op': 'replace', 'path': '/image', 'value': 'x'}],
                         headers=pecan_app.MEMBER_A, version=V, status=400)
    assert 'image' in pecan_app.error_of(response)['detail']
    api.delete('/v1/containers/w2', headers=pecan_app.MEMBER_A, version=V,
               status=204)
    assert api.conductor.last('delete_container') == (
        'delete_container', uuid)


def test_v1_document_links_containers(api):
    document = api.get('/v1', version=None, status=200).json
    assert document['containers'][0]['href'].endswith('/v1/containers')


@pytest.mark.parametrize('method, path, rpc', [
    ('PUT', 'start', 'action_container'),
    ('PUT', 'reboot', 'action_container'),
    ('GET', 'logs', 'get_container_logs'),
    ('PUT', 'execute?command=ls', 'execute_container'),
    ('DELETE', '', 'delete_container'),
])
def test_a_node_that_cannot_be_reached_is_503(api, swarm, method, path,
                                              rpc):
    uuid = _create(api).json['uuid']
    api.dbapi.update_container(uuid, {'host': '10.200.7.140',
                                      'container_id': 'abc',
                                      'status': 'Running'})
    before = api.dbapi.get_container_by_uuid(None, uuid)

    def unreachable(context, *args):
        raise exception.ContainerActionFailed(
            reason='node 10.200.7.140 cannot be reached: connection refused')

    setattr(api.conductor, rpc, unreachable)
    response = api.request(method, '/v1/containers/web/%s' % path,
                           headers=pecan_app.MEMBER_A, version=V, status=503)
    error = pecan_app.error_of(response)
    assert error['code'] == 'server'
    assert error['detail'] == ('Container operation failed: node '
                               '10.200.7.140 cannot be reached: connection '
                               'refused')
    after = api.dbapi.get_container_by_uuid(None, uuid)
    assert (after.status, after.status_reason, after.host,
            after.container_id, after.updated_at) == (
        before.status, before.status_reason, before.host,
        before.container_id, before.updated_at)
