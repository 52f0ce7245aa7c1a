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

"""One stack of all three resource types through its whole life.

The real Heat engine (in this process) drives the real Docker engine; each
step is checked on Docker itself, not only on Heat's record. The steps share
one stack and run in file order.
"""

import os

import pytest

from tests.harness import docker_engine

MiB = 1024 * 1024

TEMPLATE = """
heat_template_version: 2021-04-16
parameters:
  prefix: {type: string}
  image: {type: string}
  memory: {type: number, default: 67108864}
  restart: {type: string, default: on-failure}
  greeting: {type: string, default: hello}
resources:
  front:
    type: DockerInc::Docker::Network
    properties:
      name: {list_join: ['-', [{get_param: prefix}, front]]}
      subnets: [{cidr: 10.231.0.0/24, gateway: 10.231.0.1}]
      labels: {tier: front}
  back:
    type: DockerInc::Docker::Network
    properties:
      subnets: [{cidr: 10.232.0.0/24}]
      internal: true
  data:
    type: DockerInc::Docker::Volume
    properties:
      labels: {kind: data}
  web:
    type: DockerInc::Docker::Container
    properties:
      name: {list_join: ['-', [{get_param: prefix}, web]]}
      image: {get_param: image}
      cmd: [sh, -c, {list_join: ['', ['echo ', {get_param: greeting},
                                       '; echo ready; exec sleep 600']]}]
      env: [GREETING=hello, ROLE=web]
      labels: {app: demo}
      hostname: web
      networks:
        - network: {get_resource: front}
          ipv4_address: 10.231.0.10
          aliases: [www, frontend]
        - network: {get_resource: back}
          ipv4_address: 10.232.0.10
          aliases: [web-internal]
      port_bindings: {"80": null, "8443/tcp": "127.0.0.1:"}
      port_specs: ["53/udp"]
      mounts: [{source: {get_resource: data}, target: /data}]
      volumes: {/tmp: "/hosttmp:ro"}
      restart_policy: {Name: {get_param: restart}, MaximumRetryCount: 2}
      memory: {get_param: memory}
      cpu_shares: 512
      cap_add: [NET_ADMIN]
      cap_drop: [CHOWN]
      security_opt: [no-new-privileges]
      devices: [{path_on_host: /dev/null, path_in_container: /dev/xnull}]
      device_cgroup_rules: ["c 1:3 rwm"]
      healthcheck: {test: [CMD, "true"], interval: 1, retries: 3}
      log_driver: json-file
      log_options: {max-size: 1m}
      stop_timeout: 1
  db:
    type: DockerInc::Docker::Container
    properties:
      image: {get_param: image}
      cmd: [sleep, 600]
      networks: [{network: {get_resource: back}}]
      # What docker-in-docker needs: /proc and /sys as the kernel has them.
      security_opt: [no-new-privileges, systempaths=unconfined]
outputs:
  web_id: {value: {get_resource: web}}
  web_ports: {value: {get_attr: [web, published_ports]}}
  web_tcp: {value: {get_attr: [web, network_tcp_ports]}}
  web_ip: {value: {get_attr: [web, network_ip]}}
  web_networks: {value: {get_attr: [web, networks]}}
  web_head: {value: {get_attr: [web, logs_head]}}
  web_tail: {value: {get_attr: [web, logs_tail]}}
  web_health: {value: {get_attr: [web, health]}}
  db_id: {value: {get_resource: db}}
  front_subnets: {value: {get_attr: [front, subnets]}}
  volume_name: {value: {get_attr: [data, name]}}
"""


class State(object):
    stack = None
    params = None


@pytest.fixture(scope='module')
def state(heat, prefix):
    holder = State()
    holder.params = {'prefix': prefix + '-life',
                     'image': docker_engine.IMAGE}
    yield holder
    if holder.stack is not None and holder.stack.action != 'DELETE':
        heat.delete(heat.context(), holder.stack)


def _inspect(docker_api, ctx, heat, st, key):
    return docker_api.inspect_container(heat.output(ctx, st.stack, key))


def test_create(heat, ctx, docker_api, state, prefix):
    state.stack = heat.create(ctx, prefix + '-life', TEMPLATE, state.params)
    assert state.stack.state == ('CREATE', 'COMPLETE'), \
        state.stack.status_reason

    web = _inspect(docker_api, ctx, heat, state, 'web_id')
    assert web['Name'] == '/%s-life-web' % prefix
    assert web['State']['Running']
    # Healthy before Heat called it complete.
    assert web['State']['Health']['Status'] == 'healthy'
    config, host = web['Config'], web['HostConfig']
    assert 'GREETING=hello' in config['Env']
    assert config['Labels']['app'] == 'demo'
    assert config['Labels']['org.openstack.heat.stack-id'] == \
        state.stack.id
    assert config['Labels']['org.openstack.heat.stack-name'] == \
        state.stack.name
    assert config['Labels']['org.openstack.heat.resource-name'] == 'web'
    assert 'heat.stack_id' not in config['Labels']
    assert config['Hostname'] == 'web'
    assert host['RestartPolicy'] == {'Name': 'on-failure',
                                     'MaximumRetryCount': 2}
    assert host['Memory'] == 64 * MiB
    assert host['CpuShares'] == 512
    assert host['CapAdd'] == ['NET_ADMIN']
    assert host['CapDrop'] == ['CHOWN']
    assert host['SecurityOpt'] == ['no-new-privileges']
    assert host['Devices'] == [{'PathOnHost': '/dev/null',
                                'PathInContainer': '/dev/xnull',
                                'CgroupPermissions': 'rwm'}]
    assert host['DeviceCgroupRules'] == ['c 1:3 rwm']
    assert host['LogConfig'] == {'Type': 'json-file',
                                 'Config': {'max-size': '1m'}}
    assert config['Healthcheck']['Test'] == ['CMD', 'true']
    assert config['Healthcheck']['Interval'] == 1000000000

    volume = heat.output(ctx, state.stack, 'volume_name')
    mounts = {m['Destination']: m for m in web['Mounts']}
    assert mounts['/data']['Name'] == volume
    assert mounts['/hosttmp']['Source'] == '/tmp'
    assert mounts['/hosttmp']['RW'] is False
    labels = docker_api.inspect_volume(volume)['Labels']
    assert labels['kind'] == 'data'
    assert labels['org.openstack.heat.resource-name'] == 'data'
    assert labels['org.openstack.heat.stack-id'] == state.stack.id

    nets = heat.output(ctx, state.stack, 'web_networks')
    front, back = '%s-life-front' % prefix, None
    assert nets[front]['ip_address'] == '10.231.0.10'
    assert {'www', 'frontend'} <= set(nets[front]['aliases'])
    back = [n for n in nets if n != front][0]
    assert nets[back]['ip_address'] == '10.232.0.10'
    assert 'web-internal' in nets[back]['aliases']
    assert heat.output(ctx, state.stack, 'web_ip') == '10.231.0.10'
    assert heat.output(ctx, state.stack, 'front_subnets') == [
        {'cidr': '10.231.0.0/24', 'gateway': '10.231.0.1', 'ip_range': None}]
    labels = docker_api.inspect_network(front)['Labels']
    assert labels['tier'] == 'front'
    assert labels['org.openstack.heat.resource-name'] == 'front'
    assert labels['org.openstack.heat.stack-id'] == state.stack.id

    ports = heat.output(ctx, state.stack, 'web_ports')
    bound = web['NetworkSettings']['Ports']
    # IPv4 and IPv6 may get different random host ports; each is listed.
    assert sorted(ports['80/tcp']) == sorted(
        {int(b['HostPort']) for b in bound['80/tcp']})
    assert bound['8443/tcp'][0]['HostIp'] == '127.0.0.1'
    assert '53/udp' in config['ExposedPorts']
    tcp = heat.output(ctx, state.stack, 'web_tcp').split(',')
    assert sorted(int(p) for p in tcp) == sorted(
        ports['80/tcp'] + ports['8443/tcp'])

    assert heat.output(ctx, state.stack, 'web_head') == 'hello'
    assert heat.output(ctx, state.stack, 'web_tail') == 'ready'
    assert heat.output(ctx, state.stack, 'web_health') == 'healthy'

    db = _inspect(docker_api, ctx, heat, state, 'db_id')
    assert list(db['NetworkSettings']['Networks']) == [back]
    assert db['HostConfig']['SecurityOpt'] == ['no-new-privileges']
    assert db['HostConfig']['MaskedPaths'] == []
    assert db['HostConfig']['ReadonlyPaths'] == []
    # Docker's defaults where the option is not given.
    assert '/proc/kcore' in host['MaskedPaths']
    assert '/proc/sys' in host['ReadonlyPaths']
    exec_id = docker_api.exec_create(db['Id'], ['cat', '/proc/mounts'])
    mounts = docker_api.exec_start(exec_id).decode()
    assert ' /proc/sys ' not in mounts and ' /proc/kcore ' not in mounts


def test_update_in_place(heat, ctx, docker_api, state):
    before = heat.output(ctx, state.stack, 'web_id')
    params = dict(state.params, memory=128 * MiB, restart='always')
    state.stack = heat.update(ctx, state.stack, TEMPLATE, params)
    assert state.stack.state == ('UPDATE', 'COMPLETE'), \
        state.stack.status_reason
    web = _inspect(docker_api, ctx, heat, state, 'web_id')
    assert web['Id'] == before
    assert web['HostConfig']['Memory'] == 128 * MiB
    assert web['HostConfig']['RestartPolicy']['Name'] == 'always'
    state.params = params


def test_update_replaces(heat, ctx, docker_api, state, prefix):
    before = heat.output(ctx, state.stack, 'web_id')
    db_before = heat.output(ctx, state.stack, 'db_id')
    params = dict(state.params, greeting='bonjour')
    state.stack = heat.update(ctx, state.stack, TEMPLATE, params)
    assert state.stack.state == ('UPDATE', 'COMPLETE'), \
        state.stack.status_reason
    web = _inspect(docker_api, ctx, heat, state, 'web_id')
    assert web['Id'] != before
    # The replacement took over the fixed name; the old one is gone.
    assert web['Name'] == '/%s-life-web' % prefix
    assert web['NetworkSettings']['Networks']['%s-life-front' % prefix][
        'IPAddress'] == '10.231.0.10'
    assert heat.output(ctx, state.stack, 'web_head') == 'bonjour'
    assert not docker_api.containers(all=True, filters={'id': before})
    # Untouched resources stay as they were.
    assert heat.output(ctx, state.stack, 'db_id') == db_before
    state.params = params


def test_suspend_and_resume(heat, ctx, docker_api, state):
    state.stack = heat.suspend(ctx, state.stack)
    assert state.stack.state == ('SUSPEND', 'COMPLETE'), \
        state.stack.status_reason
    for key in ('web_id', 'db_id'):
        info = _inspect(docker_api, ctx, heat, state, key)
        assert info['State']['Status'] == 'paused'

    state.stack = heat.resume(ctx, state.stack)
    assert state.stack.state == ('RESUME', 'COMPLETE'), \
        state.stack.status_reason
    for key in ('web_id', 'db_id'):
        info = _inspect(docker_api, ctx, heat, state, key)
        assert info['State']['Status'] == 'running'


def test_check(heat, ctx, docker_api, state):
    state.stack = heat.check(ctx, state.stack)
    assert state.stack.state == ('CHECK', 'COMPLETE'), \
        state.stack.status_reason

    # A container stopped behind Heat's back fails the check, by name.
    docker_api.stop(heat.output(ctx, state.stack, 'db_id'), timeout=0)
    state.stack = heat.check(ctx, state.stack)
    assert state.stack.state == ('CHECK', 'FAILED')
    assert "'status': expected 'running', got 'exited'" in \
        state.stack.status_reason
    assert 'db' in state.stack.status_reason


def test_delete_tolerates_objects_already_gone(heat, ctx, docker_api,
                                               state, prefix):
    # Remove the db container by hand first: deleting must still succeed.
    docker_api.remove_container(heat.output(ctx, state.stack, 'db_id'),
                                force=True)
    stack = heat.delete(ctx, state.stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    assert docker_engine.names(docker_api, prefix + '-life') == []


def test_delete_stops_cleanly_with_stop_timeout(heat, ctx, docker_api,
                                                stack_name):
    # A volume outside the stack keeps what the container wrote on SIGTERM.
    outside = stack_name + '-keep'
    docker_api.create_volume(outside)
    template = """
heat_template_version: 2021-04-16
parameters:
  image: {type: string}
  keep: {type: string}
resources:
  graceful:
    type: DockerInc::Docker::Container
    properties:
      image: {get_param: image}
      cmd: [sh, -c, "trap 'echo stopped cleanly > /keep/bye; exit 0' TERM;
                     sleep 600 & wait"]
      mounts: [{source: {get_param: keep}, target: /keep}]
      stop_timeout: 20
"""
    stack = heat.create(ctx, stack_name, template,
                        {'image': docker_engine.IMAGE, 'keep': outside})
    assert stack.state == ('CREATE', 'COMPLETE'), stack.status_reason
    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    path = os.path.join(docker_api.inspect_volume(outside)['Mountpoint'],
                        'bye')
    with open(path) as f:
        assert f.read() == 'stopped cleanly\n'
