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

"""Each way a create fails: the stack says why, and deletes cleanly."""

import json

import pytest

from tests.harness import docker_engine
from tests.harness import docker_tls

VOLUME = """
heat_template_version: 2021-04-16
parameters:
  name: {type: string}
resources:
  vol:
    type: DockerInc::Docker::Volume
    properties: {name: {get_param: name}}
"""


def _container(**extra):
    """A one-container template (JSON is a valid template format)."""
    props = {'image': docker_engine.IMAGE, 'cmd': ['sleep', 600]}
    props.update(extra)
    return json.dumps({
        'heat_template_version': '2021-04-16',
        'resources': {'box': {'type': 'DockerInc::Docker::Container',
                              'properties': props}}})


def _create_fails(heat, ctx, name, template, params=None):
    """Create must fail; delete must then succeed. Returns the reason."""
    stack = heat.create(ctx, name, template, params)
    assert stack.state == ('CREATE', 'FAILED')
    reason = stack.status_reason
    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    return reason


def test_missing_image(heat, ctx, docker_api, stack_name):
    reason = _create_fails(heat, ctx, stack_name, _container(
        image='heat-plugins-test/absent:1.0'))
    # No registry answers here: the pull was tried and its failure quoted.
    assert ('image heat-plugins-test/absent:1.0 not found on the Docker '
            'engine and it could not be pulled') in reason
    assert docker_engine.names(docker_api, stack_name) == []


def test_name_conflict(heat, ctx, docker_api, stack_name):
    taken = stack_name + '-taken'
    other = docker_api.create_container(docker_engine.IMAGE, ['true'],
                                        name=taken)
    reason = _create_fails(heat, ctx, stack_name, _container(name=taken))
    assert 'container name %s is already in use' % taken in reason
    # The stack never owned that container, so deleting it left it alone.
    assert docker_api.inspect_container(other['Id'])['Name'] == '/' + taken


def test_volume_name_conflict(heat, ctx, docker_api, stack_name):
    taken = stack_name + '-vol'
    docker_api.create_volume(taken)
    reason = _create_fails(heat, ctx, stack_name, VOLUME, {'name': taken})
    assert 'volume name %s is already in use' % taken in reason
    assert docker_api.inspect_volume(taken)['Name'] == taken


def test_unreachable_endpoint(heat, ctx, stack_name):
    endpoint = 'tcp://127.0.0.1:%d' % docker_tls.free_port()
    reason = _create_fails(heat, ctx, stack_name,
                           _container(docker_endpoint=endpoint))
    assert 'cannot connect to Docker endpoint %s' % endpoint in reason


def test_unreachable_tls_endpoint(heat, ctx, stack_name, tmp_path):
    pki = docker_tls.make_pki()
    paths = docker_tls.write_pki(pki, str(tmp_path))
    endpoint = 'tcp://127.0.0.1:%d' % docker_tls.free_port()
    # CA as a file path, client certificate and key as PEM text.
    reason = _create_fails(heat, ctx, stack_name, _container(
        docker_endpoint=endpoint, tls_ca_cert=paths['ca'],
        tls_client_cert=pki['client_cert'],
        tls_client_key=pki['client_key']))
    assert 'cannot connect to Docker endpoint %s' % endpoint in reason


def test_missing_tls_file(heat, ctx, stack_name):
    reason = _create_fails(heat, ctx, stack_name, _container(
        docker_endpoint='tcp://127.0.0.1:2376',
        tls_ca_cert='/nonexistent/ca.pem'))
    assert 'TLS ca file /nonexistent/ca.pem does not exist' in reason


def test_non_zero_exit_quotes_logs(heat, ctx, docker_api, stack_name):
    reason = _create_fails(heat, ctx, stack_name, _container(
        cmd=['sh', '-c', 'echo first; echo config missing; exit 3']))
    assert 'exited with code 3' in reason
    assert 'first\nconfig missing' in reason
    assert docker_engine.names(docker_api, stack_name) == []


def test_crash_loop_fails(heat, ctx, docker_api, stack_name):
    # With restart policy always Docker never gives up; Heat must.
    reason = _create_fails(heat, ctx, stack_name, _container(
        cmd=['sh', '-c', 'echo cannot start; exit 2'],
        restart_policy={'Name': 'always'}))
    assert 'keeps exiting (code ' in reason
    assert ' times); last log lines:' in reason
    assert 'cannot start' in reason
    assert docker_engine.names(docker_api, stack_name) == []


def test_unhealthy(heat, ctx, stack_name):
    reason = _create_fails(heat, ctx, stack_name, _container(
        healthcheck={'test': 'echo probe failed; false', 'interval': 0.5,
                     'retries': 1}))
    assert 'is unhealthy; last check output: probe failed' in reason


ROLLBACK = """
heat_template_version: 2021-04-16
parameters:
  prefix: {type: string}
  image: {type: string}
  script: {type: string}
resources:
  net:
    type: DockerInc::Docker::Network
    properties:
      subnets: [{cidr: 10.238.0.0/24}]
  app:
    type: DockerInc::Docker::Container
    properties:
      name: {list_join: ['-', [{get_param: prefix}, app]]}
      image: {get_param: image}
      cmd: [sh, -c, {get_param: script}]
      stop_timeout: 1
      networks: [{network: {get_resource: net}, ipv4_address: 10.238.0.7}]
outputs:
  app_id: {value: {get_resource: app}}
"""


def test_failed_replacement_rolls_back(heat, ctx, docker_api, stack_name):
    params = {'prefix': stack_name, 'image': docker_engine.IMAGE,
              'script': 'exec sleep 600'}
    stack = heat.create(ctx, stack_name, ROLLBACK, params)
    assert stack.state == ('CREATE', 'COMPLETE'), stack.status_reason
    first = heat.output(ctx, stack, 'app_id')

    stack = heat.update(ctx, stack, ROLLBACK,
                        dict(params, script='echo broken; exit 4'),
                        rollback=True)
    assert stack.state == ('ROLLBACK', 'COMPLETE'), stack.status_reason
    # The first container has its name and static address back and runs;
    # the failed replacement is gone.
    info = docker_api.inspect_container(first)
    assert info['Name'] == '/%s-app' % stack_name
    assert info['State']['Running']
    assert [n['IPAddress'] for n in
            info['NetworkSettings']['Networks'].values()] == ['10.238.0.7']
    containers = docker_api.containers(
        all=True,
        filters={'label': 'org.openstack.heat.stack-id=%s' % stack.id})
    assert [c['Id'] for c in containers] == [first]

    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason


@pytest.mark.parametrize('props, message', [
    ({'port_bindings': {'80': 'eighty'}},
     "port_specs/port_bindings: 'eighty' is not a port number"),
    ({'port_specs': ['99999']},
     'port_specs/port_bindings: port 99999 is out of range 1-65535'),
    ({'docker_endpoint': 'tcp://127.0.0.1:2376',
      'tls_client_cert': '/etc/cert.pem'},
     'tls_client_cert and tls_client_key go together'),
    ({'cap_add': ['NOT_A_CAP']}, 'NOT_A_CAP'),
    ({'devices': [{'path_on_host': '/etc/passwd'}]}, 'path_on_host'),
    ({'security_opt': ['systempaths=confined']},
     'systempaths takes only "unconfined"'),
])
def test_invalid_properties_fail_validation(heat, ctx, docker_api,
                                            stack_name, props, message):
    from heat.common import exception
    with pytest.raises(exception.StackValidationFailed) as exc:
        heat.create(ctx, stack_name, _container(**props))
    assert message in str(exc.value)
    assert docker_engine.names(docker_api, stack_name) == []


NETWORK_AND_VOLUME = """
heat_template_version: 2021-04-16
resources:
  net:
    type: DockerInc::Docker::Network
  vol:
    type: DockerInc::Docker::Volume
outputs:
  net_id: {value: {get_resource: net}}
  vol_name: {value: {get_resource: vol}}
"""


def test_objects_removed_behind_heats_back(heat, ctx, docker_api,
                                           stack_name):
    stack = heat.create(ctx, stack_name, NETWORK_AND_VOLUME)
    assert stack.state == ('CREATE', 'COMPLETE'), stack.status_reason
    docker_api.remove_network(heat.output(ctx, stack, 'net_id'))
    docker_api.remove_volume(heat.output(ctx, stack, 'vol_name'))

    stack = heat.check(ctx, stack)
    assert stack.state == ('CHECK', 'FAILED')
    assert 'network net (' in stack.status_reason
    assert 'no longer exists' in stack.status_reason

    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
