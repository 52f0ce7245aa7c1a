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

"""A stack create adopts the stack an earlier try of it left in Heat.

Real Heat is in tests/functional/magnum_lite/conductor; here a recorder
stands in for heatclient so the lookup itself is checked.
"""

import types

import pytest

from magnum_lite.drivers.heat import client as heat_client
from magnum_lite.drivers.heat import driver as heat_driver
from tests.harness.fakes import heat_driver as test_driver

CLUSTER = types.SimpleNamespace(uuid='c-uuid', trust_id=None)
NODEGROUP = types.SimpleNamespace(uuid='ng-uuid')
DEFINITION = heat_driver.StackDefinition(template='{}')


def _stack(stack_id, status='CREATE_IN_PROGRESS', nodegroup=None):
    tags = ['magnum-lite', 'cluster=c-uuid']
    if nodegroup:
        tags.append('nodegroup=%s' % nodegroup)
    return types.SimpleNamespace(id=stack_id, stack_status=status, tags=tags)


class _Stacks:
    def __init__(self, existing):
        self.existing = existing
        self.calls = []

    def list(self, **kwargs):
        self.calls.append(('list', kwargs))
        return iter(self.existing)

    def create(self, **kwargs):
        self.calls.append(('create', kwargs))
        return {'stack': {'id': 'new-stack'}}


@pytest.fixture
def heat(monkeypatch):
    def install(existing, all_projects=False):
        stacks = _Stacks(existing)
        monkeypatch.setattr(heat_client, 'get_client',
                            lambda *args: types.SimpleNamespace(
                                stacks=stacks))
        monkeypatch.setattr(heat_client, 'lists_all_projects',
                            lambda: all_projects)
        return stacks
    return install


def _create(nodegroup=None):
    return test_driver.TestResourceHeatDriver()._create_stack(
        None, CLUSTER, 'name', DEFINITION, 10, nodegroup=nodegroup)


@pytest.mark.parametrize('existing, nodegroup, expected', [
    # Nothing yet: a stack is created.
    ([], None, 'new-stack'),
    # The cluster's stack is there: adopted.
    ([_stack('s-1')], None, 's-1'),
    # A failed one too: the status sync reports its failure.
    ([_stack('s-1', 'CREATE_FAILED')], None, 's-1'),
    # A nodegroup's stack is not the cluster's.
    ([_stack('ng-1', nodegroup='ng-uuid')], None, 'new-stack'),
    ([_stack('ng-1', nodegroup='ng-uuid'), _stack('s-1')], None, 's-1'),
    # A nodegroup adopts its own.
    ([_stack('ng-1', nodegroup='ng-uuid')], NODEGROUP, 'ng-1'),
    # A stack on its way out is no create's.
    ([_stack('s-1', 'DELETE_IN_PROGRESS')], None, 'new-stack'),
])
def test_adopts_the_stack_of_an_earlier_try(heat, existing, nodegroup,
                                            expected):
    stacks = heat(existing)
    assert _create(nodegroup) == expected
    created = [kwargs for call, kwargs in stacks.calls if call == 'create']
    assert len(created) == (expected == 'new-stack')
    listed = [kwargs for call, kwargs in stacks.calls if call == 'list']
    tags = 'magnum-lite,cluster=c-uuid'
    if nodegroup is not None:
        tags += ',nodegroup=ng-uuid'
    assert listed == [{'tags': tags}]


def test_every_project_is_searched_where_keystone_allows(heat):
    stacks = heat([], all_projects=True)
    _create()
    assert stacks.calls[0] == ('list', {'tags': 'magnum-lite,cluster=c-uuid',
                                        'global_tenant': True})
