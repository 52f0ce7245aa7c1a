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

"""A container's owned volume: made with it, kept by its replacement,
removed with the stack, and never someone else's."""

import docker
import pytest

from tests.harness import docker_engine

TEMPLATE = """
heat_template_version: 2021-04-16
parameters:
  volume: {type: string}
  greeting: {type: string, default: hello}
resources:
  box:
    type: DockerInc::Docker::Container
    properties:
      image: %s
      cmd: [sh, -c, {list_join: ['', ['echo ', {get_param: greeting},
                                       '; exec sleep 600']]}]
      labels: {app: owned-volume}
      mounts:
        - {source: {get_param: volume}, target: /data, owned: true}
""" % docker_engine.IMAGE


def _volume(docker_api, name):
    try:
        return docker_api.inspect_volume(name)
    except docker.errors.NotFound:
        return None


def _mounted(docker_api, container_id):
    return [m['Name'] for m in
            docker_api.inspect_container(container_id)['Mounts']
            if m['Type'] == 'volume']


@pytest.fixture
def volume_name(stack_name, docker_api):
    name = stack_name + '-data'
    yield name
    if _volume(docker_api, name) is not None:
        docker_api.remove_volume(name, force=True)


def test_made_kept_by_a_replacement_and_removed(heat, ctx, docker_api,
                                                stack_name, volume_name):
    params = {'volume': volume_name}
    stack = heat.create(ctx, stack_name, TEMPLATE, params)
    assert stack.state == ('CREATE', 'COMPLETE'), stack.status_reason
    first = stack['box'].resource_id
    labels = _volume(docker_api, volume_name)['Labels']
    assert labels['app'] == 'owned-volume'
    assert labels['org.openstack.heat.stack-id'] == stack.id
    assert labels['org.openstack.heat.resource-name'] == 'box'
    assert _mounted(docker_api, first) == [volume_name]

    # A new command is a new container, which takes the volume over.
    stack = heat.update(ctx, stack, TEMPLATE,
                        dict(params, greeting='again'))
    assert stack.state == ('UPDATE', 'COMPLETE'), stack.status_reason
    second = stack['box'].resource_id
    assert second != first
    assert _mounted(docker_api, second) == [volume_name]

    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    assert _volume(docker_api, volume_name) is None


def test_a_volume_of_that_name_made_elsewhere(heat, ctx, docker_api,
                                              stack_name, volume_name):
    docker_api.create_volume(volume_name, labels={'owner': 'someone'})
    stack = heat.create(ctx, stack_name, TEMPLATE, {'volume': volume_name})
    assert stack.state == ('CREATE', 'FAILED')
    assert ('volume name %s is already in use' % volume_name
            in stack.status_reason)
    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    # Not the stack's to remove.
    assert _volume(docker_api, volume_name)['Labels'] == {'owner': 'someone'}


def test_a_volume_labelled_by_an_earlier_release_is_still_owned(
        heat, ctx, docker_api, stack_name, volume_name):
    stack = heat.create(ctx, stack_name, TEMPLATE, {'volume': volume_name})
    assert stack.state == ('CREATE', 'COMPLETE'), stack.status_reason
    first = stack['box'].resource_id
    # What an earlier release made for this very container: its stack and
    # resource under the old label names only.
    earlier = stack_name + '-earlier'
    old_labels = {'heat.stack_id': stack.id, 'heat.stack_name': stack.name,
                  'heat.resource_name': 'box'}
    docker_api.create_volume(earlier, labels=old_labels)

    # The replacement mounting it takes it as its own instead of refusing
    # it as someone else's.
    stack = heat.update(ctx, stack, TEMPLATE, {'volume': earlier})
    assert stack.state == ('UPDATE', 'COMPLETE'), stack.status_reason
    second = stack['box'].resource_id
    assert second != first
    assert _mounted(docker_api, second) == [earlier]
    assert _volume(docker_api, earlier)['Labels'] == old_labels

    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    assert _volume(docker_api, earlier) is None
