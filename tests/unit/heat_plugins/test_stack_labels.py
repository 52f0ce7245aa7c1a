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

"""The labels that tie a Docker object to its stack, old names included."""

import types

import pytest

from heat_plugins.resources import container
from heat_plugins.resources import docker_resource

STACK_ID = '5d0c7e1e-0b7a-4c59-9d5e-1a2b3c4d5e6f'


def _resource(stack_id=STACK_ID, name='box'):
    """Just what the label methods read of a resource."""
    return types.SimpleNamespace(
        stack=types.SimpleNamespace(id=stack_id, name='demo'), name=name)


def test_new_objects_carry_the_convention_names():
    labels = docker_resource.DockerResource.stack_labels(
        _resource(), {'app': 'web'})
    assert labels == {'org.openstack.heat.stack-id': STACK_ID,
                      'org.openstack.heat.stack-name': 'demo',
                      'org.openstack.heat.resource-name': 'box',
                      'app': 'web'}


@pytest.mark.parametrize('labels, own', [
    ({'org.openstack.heat.stack-id': STACK_ID,
      'org.openstack.heat.resource-name': 'box'}, True),
    # Made by an earlier release: still the resource's own.
    ({'heat.stack_id': STACK_ID, 'heat.stack_name': 'demo',
      'heat.resource_name': 'box'}, True),
    ({'heat.stack_id': STACK_ID, 'heat.resource_name': 'other'}, False),
    ({'heat.stack_id': 'another-stack', 'heat.resource_name': 'box'}, False),
    ({'org.openstack.heat.stack-id': STACK_ID}, False),
    ({'owner': 'someone'}, False),
    ({}, False),
    (None, False),
])
def test_made_here_reads_current_and_legacy_names(labels, own):
    assert docker_resource.DockerResource.made_here(
        _resource(), labels) is own


@pytest.mark.parametrize('info, own', [
    ({'Name': 'v', 'Labels': {'heat.stack_id': STACK_ID,
                              'heat.resource_name': 'box'}}, True),
    ({'Name': 'v', 'Labels': None}, False),
    (None, False),
])
def test_a_container_owns_volumes_labelled_by_an_earlier_release(info, own):
    box = _resource()
    box.made_here = types.MethodType(
        docker_resource.DockerResource.made_here, box)
    assert container.DockerContainer._owns(box, info) is own
