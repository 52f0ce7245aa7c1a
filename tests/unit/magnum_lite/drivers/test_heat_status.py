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

"""Heat stack statuses and failed resources, as the sync reads them."""

import pytest

from magnum_lite.drivers import base
from magnum_lite.drivers.heat import faults
from magnum_lite.drivers.heat import stack_status


@pytest.mark.parametrize('heat_status, expected', [
    ('CREATE_IN_PROGRESS', base.IN_PROGRESS),
    ('UPDATE_IN_PROGRESS', base.IN_PROGRESS),
    ('DELETE_IN_PROGRESS', base.IN_PROGRESS),
    ('ROLLBACK_IN_PROGRESS', base.IN_PROGRESS),
    ('CREATE_COMPLETE', base.COMPLETE),
    ('UPDATE_COMPLETE', base.COMPLETE),
    ('RESUME_COMPLETE', base.COMPLETE),
    ('CHECK_COMPLETE', base.COMPLETE),
    ('CREATE_FAILED', base.FAILED),
    ('UPDATE_FAILED', base.FAILED),
    ('DELETE_FAILED', base.FAILED),
    ('ROLLBACK_FAILED', base.FAILED),
    ('ROLLBACK_COMPLETE', base.FAILED),
    ('DELETE_COMPLETE', base.NOT_FOUND),
    (None, base.NOT_FOUND),
])
def test_backend_state(heat_status, expected):
    assert stack_status.backend_state(heat_status) == expected


@pytest.mark.parametrize('operation, heat_status, expected', [
    # The delete has reached Heat: its own action decides.
    ('DELETE', 'DELETE_IN_PROGRESS', base.IN_PROGRESS),
    ('DELETE', 'DELETE_FAILED', base.FAILED),
    ('DELETE', 'DELETE_COMPLETE', base.NOT_FOUND),
    ('DELETE', None, base.NOT_FOUND),
    # Not yet: the stack still shows how an earlier operation ended.
    ('DELETE', 'CREATE_FAILED', base.IN_PROGRESS),
    ('DELETE', 'CREATE_COMPLETE', base.IN_PROGRESS),
    ('DELETE', 'UPDATE_FAILED', base.IN_PROGRESS),
    # Other operations are judged by any action: an update may be carried
    # by a nodegroup's stack while the cluster's stays as it was.
    ('UPDATE', 'CREATE_COMPLETE', base.COMPLETE),
    ('UPDATE', 'UPDATE_FAILED', base.FAILED),
    ('UPDATE', 'ROLLBACK_COMPLETE', base.FAILED),
    ('CREATE', 'CREATE_COMPLETE', base.COMPLETE),
    ('CREATE', 'CREATE_FAILED', base.FAILED),
])
def test_backend_state_of_an_operation(operation, heat_status, expected):
    assert stack_status.backend_state(heat_status, operation) == expected


@pytest.mark.parametrize('status, operation', [
    ('CREATE_IN_PROGRESS', 'CREATE'),
    ('DELETE_IN_PROGRESS', 'DELETE'),
    ('ROLLBACK_IN_PROGRESS', 'ROLLBACK'),
    ('UPDATE_COMPLETE', None),
    (None, None),
])
def test_operation_of(status, operation):
    assert stack_status.operation_of(status) == operation


def _resource(name, status, stack_id, physical_id=None, reason=None):
    return {'resource_name': name, 'resource_status': status,
            'resource_status_reason': reason,
            'physical_resource_id': physical_id,
            'links': [{'rel': 'self', 'href': 'http://h/v1/p/stacks/s/%s/'
                       'resources/%s' % (stack_id, name)},
                      {'rel': 'stack', 'href': 'http://h/v1/p/stacks/n/%s'
                       % stack_id}]}


NESTED_FAILURE = [
    # root stack "root": kube_minions (a ResourceGroup) failed
    _resource('kube_minions', 'CREATE_FAILED', 'root', 'group-stack',
              'ResourceInError: resources.kube_minions.resources[0]...'),
    # group stack: member "0" failed
    _resource('0', 'CREATE_FAILED', 'group-stack', 'member-stack',
              'resources[0]: ResourceInError: resources.kube-minion'),
    # member stack: the server itself failed, the real cause
    _resource('kube-minion', 'CREATE_FAILED', 'member-stack', 'server-1',
              'Quota exceeded for instances: Requested 1, but already '
              'used 10 of 10 instances'),
]


def test_the_deepest_failure_is_named_with_its_path():
    found = faults.failure_paths(NESTED_FAILURE, 'root')
    assert found == {
        'kube_minions.0.kube-minion':
            'CREATE_FAILED: Quota exceeded for instances: Requested 1, '
            'but already used 10 of 10 instances'}


def test_two_independent_failures_are_both_reported():
    resources = NESTED_FAILURE + [
        _resource('api_lb', 'CREATE_FAILED', 'root', None,
                  'Octavia is not available')]
    found = faults.failure_paths(resources, 'root')
    assert sorted(found) == ['api_lb', 'kube_minions.0.kube-minion']


def test_resources_heat_aborted_are_not_causes():
    resources = NESTED_FAILURE + [
        _resource('masters', 'CREATE_FAILED', 'root', 'm', 'CREATE aborted')]
    assert list(faults.failure_paths(resources, 'root')) == [
        'kube_minions.0.kube-minion']
    only_aborted = [_resource('masters', 'CREATE_FAILED', 'root', 'm',
                              'CREATE aborted')]
    assert faults.failure_paths(only_aborted, 'root') == {
        'masters': 'CREATE_FAILED: CREATE aborted'}


def test_a_failure_in_the_root_stack_keeps_its_own_name():
    found = faults.failure_paths(
        [_resource('network', 'CREATE_FAILED', 'root', None, 'No quota')],
        'root')
    assert found == {'network': 'CREATE_FAILED: No quota'}


def test_a_failure_without_reason_says_so():
    found = faults.failure_paths(
        [_resource('volume', 'DELETE_FAILED', 'root')], 'root')
    assert found == {'volume': 'DELETE_FAILED: no reason given'}


def test_summary_prefers_the_faults_over_heats_wrapper_text():
    reason = faults.summary({'a.b': 'CREATE_FAILED: boom'},
                            'Resource CREATE failed: resources.a: boom')
    assert reason == 'a.b: CREATE_FAILED: boom'


def test_summary_falls_back_to_the_stack_reason():
    assert faults.summary({}, 'Timed out') == 'Timed out'
    assert faults.summary({}, None) is None
