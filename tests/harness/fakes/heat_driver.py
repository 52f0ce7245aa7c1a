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

"""A Heat driver whose stacks the real Heat engine can create here.

Its nodes are OS::Heat::TestResource resources, so the conductor's whole
Heat path (create, resize, upgrade, nodegroups, delete, the status sync
and its fault naming) runs against real Heat without a cloud. The label
``fail_workers=true`` makes every worker fail deep in a nested stack.
An upgrade updates every node's "agent" in place, in rolling batches as
k8s_heat's nodes are; ``fail_node`` names a node whose upgrade fails and
``upgrade_secs`` how long each node's upgrade takes.
"""

import os

from magnum_lite.common import states
from magnum_lite.drivers.heat import driver as heat_driver

TEMPLATES = os.path.join(os.path.dirname(__file__), 'heat_templates')


def _read(name):
    with open(os.path.join(TEMPLATES, name)) as template:
        return template.read()


def _files():
    # heatclient resolves nested templates by the names the parent uses.
    return {'node.yaml': _read('node.yaml')}


class TestResourceHeatDriver(heat_driver.HeatDriver):

    provides = [('vm', 'heat-test', 'kubernetes'),
                ('vm', 'heat-test', 'swarm-mode')]

    labels_schema = {
        'type': 'object',
        'properties': {
            'fail_workers': {'enum': ['true', 'false', True, False]},
            'version': {'type': 'string'},
            # The node (e.g. worker-1) whose upgrade fails.
            'fail_node': {'type': 'string'},
            # How long each node's upgrade takes.
            'upgrade_secs': {'type': 'string', 'pattern': '^[0-9]+$'},
        },
    }

    @staticmethod
    def _count(nodegroups, role):
        return sum(ng.node_count or 0 for ng in nodegroups
                   if ng.is_default and ng.role == role)

    def stack_definition(self, context, cluster, template, nodegroups):
        labels = dict(template.labels or {}, **(cluster.labels or {}))
        return heat_driver.StackDefinition(
            template=_read('cluster.yaml'), files=_files(),
            parameters={
                'master_count': self._count(
                    nodegroups, states.NODEGROUP_ROLE_MASTER),
                'worker_count': self._count(
                    nodegroups, states.NODEGROUP_ROLE_WORKER),
                'fail_workers': str(labels.get('fail_workers',
                                               'false')).lower(),
                'version': labels.get('version', 'v1'),
                'upgrade_secs': int(labels.get('upgrade_secs', 0)),
            })

    def nodegroup_stack_definition(self, context, cluster, template,
                                   nodegroup):
        return heat_driver.StackDefinition(
            template=_read('nodegroup.yaml'), files=_files(),
            parameters={'name': nodegroup.name,
                        'node_count': nodegroup.node_count})

    def read_outputs(self, outputs, cluster, nodegroups, nodegroup=None):
        if nodegroup is not None:
            return {}, {nodegroup.uuid: outputs.get('addresses') or []}
        addresses = {}
        for ng in nodegroups:
            if not ng.is_default:
                continue
            key = ('master_addresses'
                   if ng.role == states.NODEGROUP_ROLE_MASTER
                   else 'worker_addresses')
            addresses[ng.uuid] = outputs.get(key) or []
        return {'api_address': outputs.get('api_address')}, addresses

    def resize_parameters(self, cluster, nodegroup, node_count,
                          nodes_to_remove):
        if not nodegroup.is_default:
            return {'node_count': node_count,
                    'removal_list': list(nodes_to_remove)}
        key = ('master_count' if nodegroup.role ==
               states.NODEGROUP_ROLE_MASTER else 'worker_count')
        return {key: node_count,
                'worker_removal_list': list(nodes_to_remove)}

    def upgrade_parameters(self, cluster, template, nodegroup,
                           stack_parameters):
        labels = template.labels or {}
        parameters = {'version': labels.get('version', 'v1')}
        if nodegroup is None:
            parameters.update(
                fail_node=labels.get('fail_node', ''),
                upgrade_secs=int(labels.get('upgrade_secs', 0)))
        return parameters
