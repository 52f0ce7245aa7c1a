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

"""The Heat templates of swarm_docker stacks: one resource per node.

A stack is flat: the network and every node container are resources of
the cluster's stack (or of a nodegroup's own stack), not members of a
ResourceGroup of nested stacks. Each nested level cost the engine a stack
to create, validate, store and poll before the nodes could start, and
again before the create could end. The driver knows which indexes a group
has (plan.members), so it writes the node definition (node.yaml) once per
member, as the resource "<prefix>-<index>", together with the outputs
that list the group's nodes. An update sends the new template: Heat adds
and removes the nodes whose resources appear and disappear and leaves the
others as they are.

The templates label the network and the nodes with the current label
names. Heat replaces a container or network whose labels change, so a
kept resource made by an earlier release, whose Docker object carries
the older names, is written with those (render's `legacy_labels`).
"""

import copy
import dataclasses
import functools
import json
import os

import yaml

from magnum_lite.common import docker_client

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'templates')


@dataclasses.dataclass(frozen=True)
class Group:
    """How a group's nodes are written into a stack.

    `nodes` names the hidden parameter of the group's per-node values;
    members other than `bootstrap_index` depend on `joins_after`;
    `role`, `nodegroup`, `network` and `port_bindings` are the values
    (or intrinsic functions) its nodes get; `outputs` maps an attribute
    of the nodes ('name', 'address', 'published_ports') to the output
    that lists it for the group.
    """

    prefix: str
    nodes: str
    role: object
    nodegroup: object
    network: object
    outputs: dict
    port_bindings: object = dataclasses.field(default_factory=dict)
    # A resource every member but the bootstrap one waits for.
    joins_after: str = None
    bootstrap_index: int = None


@functools.lru_cache(maxsize=None)
def _load(name):
    with open(os.path.join(TEMPLATES, name)) as template:
        loaded = yaml.safe_load(template)
    if 'heat_template_version' in loaded:
        # YAML reads 2018-08-31 as a date; Heat wants the text.
        loaded['heat_template_version'] = str(
            loaded['heat_template_version'])
    return loaded


def _fill(value, tokens):
    """A copy of `value` with each string equal to a token replaced."""
    if isinstance(value, dict):
        return {key: _fill(item, tokens) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, tokens) for item in value]
    if isinstance(value, str) and value in tokens:
        return copy.deepcopy(tokens[value])
    return value


def resource_name(group, index):
    return '%s-%s' % (group.prefix, index)


def _output_value(group, index, attribute):
    if attribute == 'name':
        return {'get_param': [group.nodes, str(index), 'name']}
    if attribute == 'address':
        return {'get_attr': [resource_name(group, index), 'network_ip']}
    return {'get_attr': [resource_name(group, index), attribute]}


def _legacy_label_names(resource):
    """The resource with its labels under the names of earlier releases."""
    properties = resource.get('properties') or {}
    if properties.get('labels'):
        properties['labels'] = {
            docker_client.LEGACY_LABELS.get(name, (name,))[0]: value
            for name, value in properties['labels'].items()}
    return resource


def render(base, groups, legacy_labels=()):
    """The template `base` (a file name) with the nodes of `groups`.

    `groups` is a list of (Group, indexes). `legacy_labels` names the
    resources (e.g. "network", "worker-2") whose Docker objects carry the
    label names of an earlier release; they keep them. Returns the
    template as JSON text, which Heat parses without a YAML parser.
    """
    template = copy.deepcopy(_load(base))
    resources = template.get('resources') or {}
    outputs = template.get('outputs') or {}
    node = _load('node.yaml')
    for group, indexes in groups:
        for index in indexes:
            resource = _fill(node, {
                '%index%': str(index),
                '%nodes%': group.nodes,
                '%role%': group.role,
                '%nodegroup%': group.nodegroup,
                '%network%': group.network,
                '%port_bindings%': group.port_bindings,
            })
            if group.joins_after and index != group.bootstrap_index:
                resource['depends_on'] = [group.joins_after]
            resources[resource_name(group, index)] = resource
        for attribute, output in group.outputs.items():
            outputs[output] = {'value': [
                _output_value(group, index, attribute) for index in indexes]}
    for name in legacy_labels:
        if name in resources:
            _legacy_label_names(resources[name])
    template['resources'] = resources
    template['outputs'] = outputs
    return json.dumps(template, sort_keys=True)
