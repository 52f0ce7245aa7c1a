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

"""The plugins behind Heat's REST API, driven by python-heatclient.

The deployed shape: heat-wsgi-api's application and heat-engine's service
(the convergence engine, Heat's default) with plugin_dirs set to the
plugin directory, and the user's client in front.
"""

import time

import pytest

from tests.harness import docker_engine
from tests.harness import docker_tls
from tests.harness import heat_services
from tests.harness import services

TEMPLATE = """
heat_template_version: 2021-04-16
parameters:
  image: {type: string}
  memory: {type: number, default: 67108864}
  message: {type: string, default: one}
resources:
  net:
    type: DockerInc::Docker::Network
    properties:
      subnets: [{cidr: 10.233.0.0/24}]
  vol:
    type: DockerInc::Docker::Volume
  app:
    type: DockerInc::Docker::Container
    properties:
      image: {get_param: image}
      cmd: [sh, -c, {list_join: [' ', [echo, {get_param: message},
                                       '; exec sleep 600']]}]
      memory: {get_param: memory}
      stop_timeout: 1
      networks: [{network: {get_resource: net}, ipv4_address: 10.233.0.5,
                  aliases: [app]}]
      mounts: [{source: {get_resource: vol}, target: /data}]
      port_bindings: {"8080": null}
outputs:
  app_id: {value: {get_resource: app}}
  ports: {value: {get_attr: [app, published_ports]}}
  head: {value: {get_attr: [app, logs_head]}}
"""

MISSING_IMAGE = """
heat_template_version: 2021-04-16
resources:
  app:
    type: DockerInc::Docker::Container
    properties: {image: heat-plugins-test/absent:2.0}
"""


@pytest.fixture(scope='module')
def database(prefix):
    """A MariaDB database of this run's own.

    Heat's convergence engine writes from several threads; on SQLite those
    writes lose resource property rows (and stall updates), so the API test
    uses the database Heat is deployed with.
    """
    import pymysql
    url = services.require_mariadb()
    name = prefix.replace('-', '_') + '_heat'
    conn = pymysql.connect(host='127.0.0.1', user='root')
    with conn.cursor() as cur:
        cur.execute('CREATE DATABASE %s CHARACTER SET utf8mb4' % name)
    yield url.rsplit('/', 1)[0] + '/' + name + '?charset=utf8mb4'
    with conn.cursor() as cur:
        cur.execute('DROP DATABASE IF EXISTS %s' % name)
    conn.close()


@pytest.fixture(scope='module')
def heat_api(tmp_path_factory, docker_api, prefix, database):
    server = heat_services.HeatServices(
        str(tmp_path_factory.mktemp('heat-services')), host=prefix + '-heat',
        port=docker_tls.free_port(), db_url=database)
    try:
        server.start()
        yield server.client()
    finally:
        server.stop()


def _wait(hc, stack_id, timeout=180):
    """Wait for the stack to leave IN_PROGRESS; return it with outputs."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        # Outputs ask Docker; resolve them once, when the action is over.
        stack = hc.stacks.get(stack_id, resolve_outputs=False)
        if not stack.stack_status.endswith('IN_PROGRESS'):
            return hc.stacks.get(stack_id)
        time.sleep(0.5)
    raise AssertionError('stack %s still %s' % (stack_id,
                                                stack.stack_status))


def _output(stack, key):
    return {o['output_key']: o['output_value']
            for o in stack.outputs}[key]


def _deleted(hc, stack_id):
    hc.stacks.delete(stack_id)
    deadline = time.time() + 180
    while time.time() < deadline:
        stack = hc.stacks.get(stack_id)
        if stack.stack_status != 'DELETE_IN_PROGRESS':
            return stack.stack_status
        time.sleep(0.5)
    return stack.stack_status


def test_lifecycle_through_the_api(heat_api, docker_api, stack_name):
    hc = heat_api
    params = {'image': docker_engine.IMAGE}
    stack_id = hc.stacks.create(stack_name=stack_name, template=TEMPLATE,
                                parameters=params)['stack']['id']
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'CREATE_COMPLETE', stack.stack_status_reason
    first = _output(stack, 'app_id')
    info = docker_api.inspect_container(first)
    bound = info['NetworkSettings']['Ports']['8080/tcp']
    ports = _output(stack, 'ports')
    assert list(ports) == ['8080/tcp']
    assert sorted(ports['8080/tcp']) == sorted(
        {int(b['HostPort']) for b in bound})
    assert _output(stack, 'head') == 'one'

    # In place: a new memory limit keeps the container.
    hc.stacks.update(stack_id, existing=True,
                     parameters={'memory': 96 * 1024 * 1024})
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'UPDATE_COMPLETE', stack.stack_status_reason
    assert _output(stack, 'app_id') == first
    assert docker_api.inspect_container(first)['HostConfig']['Memory'] == \
        96 * 1024 * 1024

    # Replacement: a new command needs a new container, same static IP.
    hc.stacks.update(stack_id, existing=True, parameters={'message': 'two'})
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'UPDATE_COMPLETE', stack.stack_status_reason
    second = _output(stack, 'app_id')
    assert second != first
    assert _output(stack, 'head') == 'two'
    assert not docker_api.containers(all=True, filters={'id': first})
    nets = docker_api.inspect_container(second)['NetworkSettings']['Networks']
    assert [n['IPAddress'] for n in nets.values()] == ['10.233.0.5']

    # A replacement that fails rolls back: the running container keeps
    # (gets back) its name and address.
    name = docker_api.inspect_container(second)['Name']
    hc.stacks.update(stack_id, existing=True, disable_rollback=False,
                     parameters={'message': 'three; exit 5'})
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'ROLLBACK_COMPLETE', \
        stack.stack_status_reason
    assert _output(stack, 'app_id') == second
    info = docker_api.inspect_container(second)
    assert info['Name'] == name
    assert info['State']['Running']
    assert [n['IPAddress'] for n in
            info['NetworkSettings']['Networks'].values()] == ['10.233.0.5']

    hc.actions.suspend(stack_id)
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'SUSPEND_COMPLETE', stack.stack_status_reason
    assert docker_api.inspect_container(second)['State']['Status'] == \
        'paused'
    hc.actions.resume(stack_id)
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'RESUME_COMPLETE', stack.stack_status_reason
    assert docker_api.inspect_container(second)['State']['Status'] == \
        'running'

    hc.actions.check(stack_id)
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'CHECK_COMPLETE', stack.stack_status_reason

    assert _deleted(hc, stack_id) == 'DELETE_COMPLETE'
    assert docker_engine.names(docker_api, stack_name) == []


def test_failure_reason_reaches_the_client(heat_api, stack_name):
    hc = heat_api
    stack_id = hc.stacks.create(stack_name=stack_name,
                                template=MISSING_IMAGE)['stack']['id']
    stack = _wait(hc, stack_id)
    assert stack.stack_status == 'CREATE_FAILED'
    assert 'image heat-plugins-test/absent:2.0 not found' in \
        stack.stack_status_reason
    resource = hc.resources.get(stack_id, 'app')
    assert resource.resource_status == 'CREATE_FAILED'
    assert 'could not be pulled' in resource.resource_status_reason
    assert _deleted(hc, stack_id) == 'DELETE_COMPLETE'
