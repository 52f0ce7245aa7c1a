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

"""Which nodes a swarm_docker group has after an operation (pure)."""

import pytest

from magnum_lite.common import exception
from magnum_lite.drivers.swarm_docker import plan

UUID = '8b8a73c5-0000-4000-8000-000000000000'


@pytest.mark.parametrize('count, removal, expected', [
    (0, [], []),
    (3, [], [0, 1, 2]),
    (2, ['1'], [0, 2]),
    (2, [1], [0, 2]),
    (3, ['0', '2'], [1, 3, 4]),
    (1, ['0', '1', '2'], [3]),
])
def test_members_follow_heat_resource_group_naming(count, removal,
                                                   expected):
    assert plan.members(count, removal) == expected


@pytest.mark.parametrize(
    'current, removal, count, remove, members, new_removal, removed', [
        # grow: the existing nodes stay, new indexes follow
        ([0, 1], [], 3, [], [0, 1, 2], [], []),
        # shrink without a wish: Heat drops the highest index
        ([0, 1, 2], [], 2, [], [0, 1], [], [2]),
        # shrink naming a node: that one goes, its index is never reused
        ([0, 1, 2], [], 2, [1], [0, 2], ['1'], [1]),
        # an earlier removal is kept when growing again
        ([0, 2], ['1'], 3, [], [0, 2, 3], ['1'], []),
        # replace a node: same count, one named
        ([0, 2], ['1'], 2, [0], [2, 3], ['0', '1'], [0]),
        # down to none
        ([0, 1], [], 0, [], [], [], [0, 1]),
    ])
def test_resize(current, removal, count, remove, members, new_removal,
                removed):
    result = plan.resize(current, removal, count, remove)
    assert result.members == members
    assert result.removal_list == new_removal
    assert result.removed == removed


ALIASES = plan.aliases('Swarm 1', UUID, 'worker', [0, 2],
                       {0: '10.200.7.10', 2: '10.200.7.12'})


@pytest.mark.parametrize('entries, expected', [
    ([], []),
    (['swarm-1-worker-2'], [2]),
    (['swarm-1-8b8a73c5-worker-0'], [0]),
    (['10.200.7.12'], [2]),
    (['0', 2], [0, 2]),
    # one node named twice is removed once
    (['swarm-1-worker-2', '2', ' 10.200.7.12 '], [2]),
])
def test_resolve_removals(entries, expected):
    assert plan.resolve_removals(entries, ALIASES) == expected


@pytest.mark.parametrize('entries', [
    ['swarm-1-worker-1'],          # removed earlier
    ['other-worker-0'],            # another cluster's node
    ['swarm-1-manager-0'],         # not in this group
])
def test_resolve_removals_refuses_unknown_nodes(entries):
    with pytest.raises(exception.InvalidParameterValue) as info:
        plan.resolve_removals(entries, ALIASES)
    assert entries[0] in str(info.value)


@pytest.mark.parametrize('cidr, role, index, expected', [
    ('10.200.7.0/24', plan.MANAGER, 0, '10.200.7.2'),
    ('10.200.7.0/24', plan.MANAGER, 7, '10.200.7.9'),
    ('10.200.7.0/24', plan.WORKER, 0, '10.200.7.10'),
    ('10.200.7.0/24', plan.WORKER, 117, '10.200.7.127'),
    ('10.200.0.0/22', plan.WORKER, 500, '10.200.1.254'),
])
def test_fixed_addresses(cidr, role, index, expected):
    assert plan.address(cidr, role, index) == expected


@pytest.mark.parametrize('cidr, role, index', [
    ('10.200.7.0/24', plan.MANAGER, 8),
    # the upper half is Docker's, for nodes without a fixed address
    ('10.200.7.0/24', plan.WORKER, 118),
])
def test_addresses_stay_below_the_dynamic_range(cidr, role, index):
    with pytest.raises(exception.InvalidParameterValue):
        plan.address(cidr, role, index)


@pytest.mark.parametrize('cidr, expected', [
    ('10.200.7.0/24', '10.200.7.128/25'),
    ('172.20.0.0/16', '172.20.128.0/17'),
])
def test_dynamic_range(cidr, expected):
    assert plan.dynamic_range(cidr) == expected


@pytest.mark.parametrize('cidr', ['10.200.7.0/25', 'fd00::/64', 'nonsense',
                                  '10.200.7.1/24'])
def test_bad_subnets(cidr):
    with pytest.raises(exception.InvalidParameterValue):
        plan.check_subnet(cidr)


def test_pick_subnet_avoids_used_subnets_and_is_stable():
    first = plan.pick_subnet(UUID, [])
    assert first == plan.pick_subnet(UUID, ['172.17.0.0/16'])
    second = plan.pick_subnet(UUID, [first, 'not-a-cidr'])
    assert second != first
    # a used supernet covers every /24 inside it
    assert plan.pick_subnet(UUID, ['10.200.0.0/17']).startswith('10.200.')
    assert int(plan.pick_subnet(UUID, ['10.200.0.0/17']).split('.')[2]) \
        >= 128


def test_pick_subnet_fails_when_the_pool_is_full():
    with pytest.raises(exception.InvalidParameterValue) as info:
        plan.pick_subnet(UUID, ['10.200.0.0/16'])
    assert 'swarm_network_cidr' in str(info.value)


@pytest.mark.parametrize('cluster, group, index, name, container', [
    ('sw1', 'worker', 1, 'sw1-worker-1', 'sw1-8b8a73c5-worker-1'),
    ('My_Swarm', 'manager', 0, 'my-swarm-manager-0',
     'my-swarm-8b8a73c5-manager-0'),
    (None, 'gpu pool', 3, 'cluster-gpu-pool-3', 'cluster-8b8a73c5-gpu-pool-3'),
    ('---', 'worker', 0, 'cluster-worker-0', 'cluster-8b8a73c5-worker-0'),
])
def test_names(cluster, group, index, name, container):
    assert plan.node_name(cluster, group, index) == name
    assert plan.container_name(cluster, UUID, group, index) == container


def test_extra_address_takes_the_first_free_one_from_its_start():
    cidr = '10.200.7.0/24'
    start = plan.extra_address(cidr, [], 'gpu')
    last = int(start.rsplit('.', 1)[1])
    assert 128 <= last <= 254
    assert plan.extra_address(cidr, [], 'gpu') == start
    following = '10.200.7.%d' % (last + 1 if last < 254 else 128)
    assert plan.extra_address(cidr, [start, ''], 'gpu') == following


def test_extra_address_never_gives_the_broadcast_or_lower_half():
    cidr = '10.200.7.0/24'
    upper = ['10.200.7.%d' % i for i in range(128, 255)]
    for seed in ('a', 'b', 'gpu', 'extra', 'x' * 60):
        free = plan.extra_address(cidr, upper[:-1], seed)
        assert free == '10.200.7.254'
    with pytest.raises(exception.InvalidParameterValue):
        plan.extra_address(cidr, upper, 'gpu')
