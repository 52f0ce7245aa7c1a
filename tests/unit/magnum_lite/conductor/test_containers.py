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

"""Container rules: placement, Docker state mapping, request reading."""

import datetime
import types

import pytest

from magnum_lite.common import containers as rules
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import containers


@pytest.mark.parametrize('nodes, counts, expected', [
    (['a', 'b', 'c'], {}, 'a'),
    (['a', 'b', 'c'], {'a': 1}, 'b'),
    (['a', 'b', 'c'], {'a': 1, 'b': 1}, 'c'),
    (['a', 'b', 'c'], {'a': 1, 'b': 1, 'c': 1}, 'a'),
    (['a', 'b'], {'a': 3, 'b': 2}, 'b'),
    # Containers on a node that left the cluster do not count.
    (['b', 'c'], {'a': 0, 'gone': 9, 'c': 1}, 'b'),
    (['only'], {'only': 7}, 'only'),
])
def test_pick_node_takes_the_emptiest_first_listed(nodes, counts, expected):
    assert containers.pick_node(nodes, counts) == expected


def test_pick_node_without_nodes_is_a_conflict():
    with pytest.raises(exception.Conflict):
        containers.pick_node([], {})


@pytest.mark.parametrize('state, expected', [
    (None, ('Error', 'The container is gone from its node.')),
    ({'Status': 'created'}, ('Created', None)),
    ({'Status': 'created', 'Error': 'exec: "nope": not found'},
     ('Error', 'exec: "nope": not found')),
    ({'Status': 'running', 'Paused': False}, ('Running', None)),
    ({'Status': 'running', 'Paused': True}, ('Paused', None)),
    ({'Status': 'paused', 'Paused': True}, ('Paused', None)),
    ({'Status': 'restarting'}, ('Running', None)),
    ({'Status': 'exited', 'ExitCode': 0}, ('Stopped', None)),
    ({'Status': 'exited', 'ExitCode': 137}, ('Stopped', None)),
    ({'Status': 'exited', 'ExitCode': 127, 'Error': 'no such file'},
     ('Error', 'no such file')),
    ({'Status': 'removing'}, ('Stopped', None)),
    ({'Status': 'dead'}, ('Error', 'Docker reports it dead.')),
    ({'Status': 'dead', 'Error': 'disk'}, ('Error', 'disk')),
    ({'Status': 'weird'}, ('Unknown', "Docker status 'weird'")),
    ({}, ('Unknown', "Docker status ''")),
])
def test_status_of_docker_state(state, expected):
    assert containers.status_of(state) == expected
    assert expected[0] in states.CONTAINER_STATUSES


def _group(role, addresses, is_default=True, status='CREATE_COMPLETE'):
    return types.SimpleNamespace(role=role, is_default=is_default,
                                 node_addresses=addresses, status=status)


def _cluster(workers, masters, status='CREATE_COMPLETE', extra=()):
    groups = [_group('master', masters), _group('worker', workers)]
    groups += list(extra)
    return types.SimpleNamespace(name='sw', status=status, nodegroups=groups)


@pytest.mark.parametrize('workers, masters, expected', [
    (['10.0.0.10', '10.0.0.11'], ['10.0.0.2'], ['10.0.0.10', '10.0.0.11']),
    ([], ['10.0.0.2'], ['10.0.0.2']),
    ([], [], []),
    (None, ['10.0.0.2'], ['10.0.0.2']),
])
def test_candidate_nodes_are_workers_then_managers(workers, masters,
                                                   expected):
    assert containers.candidate_nodes(_cluster(workers, masters)) == expected


W = 'worker'


@pytest.mark.parametrize('extra, expected', [
    # Added worker nodegroups are candidates, after the default one.
    ([_group(W, ['10.0.0.140'], False)],
     ['10.0.0.10', '10.0.0.140']),
    ([_group(W, ['10.0.0.150', '10.0.0.151'], False),
      _group(W, ['10.0.0.140'], False)],
     ['10.0.0.10', '10.0.0.150', '10.0.0.151', '10.0.0.140']),
    # ... whatever order the list has, the default group comes first.
    ([_group(W, ['10.0.0.20'], True)], ['10.0.0.10', '10.0.0.20']),
    # A nodegroup still being made has no address yet.
    ([_group(W, [], False, 'CREATE_IN_PROGRESS')], ['10.0.0.10']),
    ([_group(W, ['10.0.0.140'], False, 'UPDATE_COMPLETE')],
     ['10.0.0.10', '10.0.0.140']),
    # A nodegroup going away takes no new container.
    ([_group(W, ['10.0.0.140'], False, 'DELETE_IN_PROGRESS')],
     ['10.0.0.10']),
    ([_group(W, ['10.0.0.140'], False, 'DELETE_FAILED')], ['10.0.0.10']),
    # Managers of another nodegroup are not workers.
    ([_group('master', ['10.0.0.3'], False)], ['10.0.0.10']),
])
def test_candidate_nodes_include_added_nodegroups(extra, expected):
    cluster = _cluster(['10.0.0.10'], ['10.0.0.2'], extra=extra)
    assert containers.candidate_nodes(cluster) == expected


def test_candidate_nodes_of_added_workers_only():
    # The default workers scaled to none: the added ones, not managers.
    cluster = _cluster([], ['10.0.0.2'],
                       extra=[_group(W, ['10.0.0.140'], False)])
    assert containers.candidate_nodes(cluster) == ['10.0.0.140']


@pytest.mark.parametrize('memory, expected', [
    (None, None), ('', None), ('64m', 64 * 2 ** 20), ('64M', 64 * 2 ** 20),
    ('1g', 2 ** 30), ('8192k', 8 * 2 ** 20), ('10485760', 10 * 2 ** 20),
    (10485760, 10 * 2 ** 20), ('512mb', 512 * 2 ** 20),
])
def test_memory_bytes(memory, expected):
    assert rules.memory_bytes(memory) == expected


@pytest.mark.parametrize('memory', ['1x', 'm', '-5m', '1k', 100, True,
                                    '1.5g', '5m'])
def test_memory_bytes_refuses(memory):
    with pytest.raises(exception.InvalidParameterValue):
        rules.memory_bytes(memory)


@pytest.mark.parametrize('command, expected', [
    (None, None), ('', None), ([], None),
    ('echo hi', ['echo', 'hi']),
    ('sh -c "echo $X; ls"', ['sh', '-c', 'echo $X; ls']),
    (['sh', '-c', 'a b'], ['sh', '-c', 'a b']),
])
def test_command_args(command, expected):
    assert rules.command_args(command) == expected


def test_command_args_refuses_an_unclosed_quote():
    with pytest.raises(exception.InvalidParameterValue):
        rules.command_args('echo "x')


@pytest.mark.parametrize('coe, status, error', [
    ('swarm-mode', 'CREATE_COMPLETE', None),
    ('swarm', 'UPDATE_COMPLETE', None),
    ('swarm-mode', 'CREATE_IN_PROGRESS', exception.Conflict),
    ('swarm-mode', 'UPDATE_FAILED', exception.Conflict),
    ('swarm-mode', 'DELETE_COMPLETE', exception.Conflict),
    ('kubernetes', 'CREATE_COMPLETE', exception.InvalidParameterValue),
    (None, 'CREATE_COMPLETE', exception.InvalidParameterValue),
])
def test_check_cluster(coe, status, error):
    cluster = _cluster([], [], status)
    template = types.SimpleNamespace(coe=coe) if coe else None
    if error is None:
        rules.check_cluster(cluster, template)
    else:
        with pytest.raises(error):
            rules.check_cluster(cluster, template)


def test_a_create_still_running_is_busy_until_it_is_stale():
    start = datetime.datetime(2026, 1, 1)
    row = types.SimpleNamespace(status='Creating', name='web', uuid='u',
                                updated_at=start, created_at=start)
    with pytest.raises(exception.OperationInProgress):
        containers._settled(row, now=start + datetime.timedelta(minutes=1))
    assert containers._settled(row, now=start + datetime.timedelta(
        seconds=containers.STALE_CREATE_SECONDS + 1)) is row
    row.status = 'Running'
    assert containers._settled(row, now=start) is row
