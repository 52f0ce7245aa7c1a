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

"""`openstack coe container ...` end to end, in process.

The unmodified `openstack` shell loads our plugin from its installed
entry points and sends its requests, through keystoneauth1, to the real
Pecan application (requests_mock hands every request to it); only the
conductor is the recording fake of the API tests.
"""

import json

import pytest

from magnum_lite.client import containers as client
from magnum_lite.common import exception
from magnum_lite.common import states
from tests.harness import cluster_rows
from tests.harness import osc_inprocess
from tests.harness import pecan_app


@pytest.fixture
def cli(api):
    """Run `openstack ...` as project-a's member; its exit status."""
    template = cluster_rows.make_template(
        api.dbapi, name='swarm-t', coe='swarm-mode', server_type='container')
    cluster_rows.make_cluster(api.dbapi, template, name='sw',
                              status=states.CREATE_COMPLETE)
    run = osc_inprocess.MockedOpenStackShell(api.app, pecan_app.MEMBER_A)
    run.api = api
    return run


def _json_out(capsys):
    return json.loads(capsys.readouterr().out)


def test_create_show_list_and_the_version_header(cli, capsys):
    status = cli('coe', 'container', 'create', '--image', 'busybox',
                 '--cluster', 'sw', '--name', 'web', '--command', 'sleep 9',
                 '--environment', 'A=1', '--environment', 'B=x=y',
                 '--memory', '64m', '-f', 'json')
    assert status == 0
    made = _json_out(capsys)
    assert (made['name'], made['status'], made['environment']) == (
        'web', 'Creating', {'A': '1', 'B': 'x=y'})
    assert cli.seen[-1].headers['OpenStack-API-Version'] == (
        'container-infra 1.15')
    assert cli.api.conductor.last('create_container') == (
        'create_container', made['uuid'])
    assert cli('coe', 'container', 'show', 'web', '-f', 'json') == 0
    assert _json_out(capsys)['command'] == 'sleep 9'
    assert cli('coe', 'container', 'list', '-f', 'json') == 0
    assert [c['name'] for c in _json_out(capsys)] == ['web']


def test_api_errors_become_command_errors(cli, capsys):
    assert cli('coe', 'container', 'create', '--image', 'busybox',
               '--cluster', 'nope') == 1
    assert 'nope could not be found' in capsys.readouterr().err
    assert cli('coe', 'container', 'show', 'missing') == 1
    assert 'could not be found. (HTTP 404)' in capsys.readouterr().err
    assert cli('coe', 'container', 'create', '--image', 'b', '--cluster',
               'sw', '--environment', 'novalue') == 1
    assert 'KEY=VALUE' in capsys.readouterr().err


@pytest.mark.parametrize('action', client.ACTIONS)
def test_actions_on_several_containers(cli, capsys, action):
    for name in ('a1', 'a2'):
        cli('coe', 'container', 'create', '--image', 'b', '--cluster', 'sw',
            '--name', name)
    capsys.readouterr()
    assert cli('coe', 'container', action, 'a1', 'a2') == 0
    calls = [c for c in cli.api.conductor.calls
             if c[0] == 'action_container']
    assert [c[2] for c in calls] == [action, action]


def test_delete_reports_each_failure(cli, capsys):
    cli('coe', 'container', 'create', '--image', 'b', '--cluster', 'sw',
        '--name', 'd1')
    capsys.readouterr()
    assert cli('coe', 'container', 'delete', 'd1', 'ghost') == 1
    assert 'ghost' in capsys.readouterr().err
    assert cli.api.conductor.names().count('delete_container') == 1


def test_logs_and_exec(cli, capsys):
    cli('coe', 'container', 'create', '--image', 'b', '--cluster', 'sw',
        '--name', 'x1')
    conductor = cli.api.conductor
    conductor.get_container_logs = lambda ctx, uuid: 'line 1\nline 2\n'
    commands = []

    def execute(ctx, uuid, command):
        commands.append(command)
        return {'output': 'out\n', 'exit_code': 3}

    conductor.execute_container = execute
    capsys.readouterr()
    assert cli('coe', 'container', 'logs', 'x1') == 0
    assert capsys.readouterr().out == 'line 1\nline 2\n'
    # The command's exit code becomes the CLI's.
    assert cli('coe', 'container', 'exec', 'x1', 'sh', '-c',
               'echo a b') == 3
    assert capsys.readouterr().out == 'out\n'
    assert cli('coe', 'container', 'exec', 'x1', 'ls -l') == 3
    assert commands == ["sh -c 'echo a b'", 'ls -l']


def test_conductor_conflicts_reach_the_user(cli, capsys):
    cli('coe', 'container', 'create', '--image', 'b', '--cluster', 'sw',
        '--name', 'p1')

    def action(ctx, uuid, name):
        raise exception.Conflict('Cannot pause container p1: not running')

    cli.api.conductor.action_container = action
    capsys.readouterr()
    assert cli('coe', 'container', 'pause', 'p1') == 1
    assert 'not running (HTTP 409)' in capsys.readouterr().err


@pytest.mark.parametrize('document, message', [
    ({'errors': [{'title': 'T', 'detail': 'D'}]}, 'D'),
    ({'errors': [{'title': 'T'}]}, 'T'),
    ({'error_message': 'E'}, 'E'),
    ({'other': 1}, '{"other": 1}'),
])
def test_error_message_of_every_envelope(document, message):
    class Response:
        text = json.dumps(document)
        reason = 'Bad'

        def json(self):
            return document

    assert client.error_message(Response()) == message
