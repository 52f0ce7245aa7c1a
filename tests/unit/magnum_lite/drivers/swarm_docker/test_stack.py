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

"""The flat swarm_docker templates: one resource per node."""

import json

from magnum_lite.drivers.swarm_docker import driver as swarm_driver
from magnum_lite.drivers.swarm_docker import stack


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _cluster(masters, workers, legacy_labels=()):
    return json.loads(stack.render('cluster.yaml', [
        (swarm_driver._MANAGERS, masters),
        (swarm_driver._WORKERS, workers)], legacy_labels))


def test_every_placeholder_is_filled():
    template = _cluster([0], [0, 2])
    left = [text for text in _strings(template)
            if text.startswith('%') and text.endswith('%')]
    assert left == []
    # Heat wants the version as text, not the date YAML reads.
    assert template['heat_template_version'] == '2018-08-31'


def test_a_node_is_written_the_same_whatever_its_group_holds():
    # Heat replaces a resource whose definition changes: a resize must
    # leave the definitions of the nodes it keeps exactly as they were.
    before = _cluster([0], [0, 1])['resources']
    after = _cluster([0], [0, 2, 3])['resources']
    assert before['worker-0'] == after['worker-0']
    assert before['manager-0'] == after['manager-0']
    assert 'worker-1' not in after


def test_node_values_come_from_the_groups_parameter_by_index():
    node = _cluster([0], [0, 3])['resources']['worker-3']
    properties = node['properties']
    assert properties['name'] == {'get_param': ['worker_nodes', '3',
                                                'container']}
    assert properties['labels']['org.openstack.magnum-lite.index'] == '3'
    assert properties['labels']['org.openstack.magnum-lite.role'] == 'worker'
    assert properties['labels']['org.openstack.magnum-lite.nodegroup'] == {
        'get_param': 'worker_nodegroup'}
    assert properties['networks'][0]['network'] == {
        'get_resource': 'network'}
    # Workers publish nothing; managers publish their API on loopback.
    assert properties['port_bindings'] == {}
    manager = _cluster([0], [])['resources']['manager-0']
    assert manager['properties']['port_bindings'] == {'2376': '127.0.0.1:'}


def test_outputs_list_the_nodes_in_the_order_of_their_indexes():
    outputs = _cluster([0, 1], [0, 2])['outputs']
    assert outputs['master_names']['value'] == [
        {'get_param': ['master_nodes', '0', 'name']},
        {'get_param': ['master_nodes', '1', 'name']}]
    assert outputs['worker_addresses']['value'] == [
        {'get_attr': ['worker-0', 'network_ip']},
        {'get_attr': ['worker-2', 'network_ip']}]
    # An empty group lists nothing.
    assert _cluster([0], [])['outputs']['worker_names']['value'] == []


def test_a_nodegroup_stack_uses_its_cluster_network_by_name():
    template = json.loads(stack.render('nodegroup.yaml', [
        (swarm_driver._NODEGROUP, [1])]))
    assert sorted(template['resources']) == ['node-1']
    properties = template['resources']['node-1']['properties']
    assert properties['networks'][0]['network'] == {'get_param': 'network'}
    assert properties['labels']['org.openstack.magnum-lite.role'] == {
        'get_param': 'role'}
    assert set(template['outputs']) == {'addresses', 'names'}


def test_nodes_that_join_are_created_after_the_first_manager():
    resources = _cluster([0, 1], [0, 1])['resources']
    # The first manager makes the swarm: it waits for nothing but the
    # network; every node that joins it waits for the gate, which Heat
    # starts beside the first manager.
    assert 'depends_on' not in resources['manager-0']
    assert resources['join_gate']['depends_on'] == ['network']
    for name in ('manager-1', 'worker-0', 'worker-1'):
        assert resources[name]['depends_on'] == ['join_gate'], name
    # A nodegroup's stack joins a swarm that runs already.
    nodegroup = json.loads(stack.render('nodegroup.yaml', [
        (swarm_driver._NODEGROUP, [0])]))
    assert 'depends_on' not in nodegroup['resources']['node-0']


CURRENT_NODE_LABELS = {
    'org.openstack.magnum-lite.cluster': {'get_param': 'cluster_uuid'},
    'org.openstack.magnum-lite.nodegroup': {'get_param': 'worker_nodegroup'},
    'org.openstack.magnum-lite.node': {'get_param': ['worker_nodes', '1',
                                                     'name']},
    'org.openstack.magnum-lite.index': '1',
    'org.openstack.magnum-lite.role': 'worker',
}
# What the templates of earlier releases wrote; Heat replaces a node or
# network whose labels change, so kept ones must get exactly these back.
LEGACY_NODE_LABELS = {
    'magnum_lite.cluster': {'get_param': 'cluster_uuid'},
    'magnum_lite.nodegroup': {'get_param': 'worker_nodegroup'},
    'magnum_lite.node': {'get_param': ['worker_nodes', '1', 'name']},
    'magnum_lite.index': '1',
    'magnum_lite.role': 'worker',
}


def test_new_resources_carry_the_current_label_names():
    resources = _cluster([0], [1])['resources']
    assert resources['worker-1']['properties']['labels'] == \
        CURRENT_NODE_LABELS
    assert resources['network']['properties']['labels'] == {
        'org.openstack.magnum-lite.cluster': {'get_param': 'cluster_uuid'}}


def test_kept_resources_of_an_earlier_release_keep_their_label_names():
    resources = _cluster([0], [1, 2],
                         legacy_labels={'network', 'worker-1'})['resources']
    assert resources['worker-1']['properties']['labels'] == \
        LEGACY_NODE_LABELS
    assert resources['network']['properties']['labels'] == {
        'magnum_lite.cluster': {'get_param': 'cluster_uuid'}}
    # A node the update adds has the current names; nothing else changes.
    assert 'org.openstack.magnum-lite.index' in \
        resources['worker-2']['properties']['labels']
    current = _cluster([0], [1, 2])['resources']
    legacy = resources['worker-1']['properties']
    assert {k: v for k, v in legacy.items() if k != 'labels'} == {
        k: v for k, v in current['worker-1']['properties'].items()
        if k != 'labels'}
    assert resources['manager-0'] == current['manager-0']
