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

"""Container properties -> docker SDK 7 arguments, table by table."""

import docker
import pytest

from heat_plugins.resources import container_config as cc

GiB = 1024 ** 3


@pytest.mark.parametrize('bindings, expected', [
    ({'80': 8080}, {80: 8080}),
    ({'80/tcp': '8080'}, {80: 8080}),
    ({'53/udp': 1053}, {(53, 'udp'): 1053}),
    ({'80': None}, {80: None}),
    ({'80': ''}, {80: None}),
    ({'80': '127.0.0.1:8080'}, {80: ('127.0.0.1', 8080)}),
    ({'80': '127.0.0.1:'}, {80: ('127.0.0.1',)}),
    ({'80': ['8080', '127.0.0.1:9090']}, {80: [8080, ('127.0.0.1', 9090)]}),
    ({'80': '[::1]:8080'}, {80: ('[::1]', 8080)}),
    (None, {}),
])
def test_port_bindings(bindings, expected):
    assert cc.port_bindings(bindings) == expected


@pytest.mark.parametrize('specs, bindings, expected', [
    (['80'], None, [80]),
    ([80, '53/udp'], None, [80, (53, 'udp')]),
    (['80'], {'80/tcp': 8080, '443': None}, [80, 443]),
    (None, {'53/udp': None}, [(53, 'udp')]),
    (None, None, []),
])
def test_exposed_ports(specs, bindings, expected):
    assert cc.exposed_ports(specs, bindings) == expected


@pytest.mark.parametrize('volumes, mounts, binds, targets', [
    ({'/srv/data': '/data'}, None, ['/srv/data:/data:rw'], ['/data']),
    ({'cache': '/cache:ro'}, None, ['cache:/cache:ro'], ['/cache']),
    (None, [{'source': 'vol1', 'target': '/v', 'read_only': True}],
     ['vol1:/v:ro'], ['/v']),
    ({'/a': '/b'}, [{'source': 'v', 'target': '/c'}],
     ['/a:/b:rw', 'v:/c:rw'], ['/b', '/c']),
    (None, None, [], []),
])
def test_binds(volumes, mounts, binds, targets):
    assert cc.binds(volumes, mounts) == (binds, targets)


@pytest.mark.parametrize('mounts, expected', [
    ([{'source': 'a', 'target': '/a', 'owned': True},
      {'source': 'b', 'target': '/b', 'owned': False},
      {'source': 'c', 'target': '/c'}], ['a']),
    (None, []),
])
def test_owned_volumes(mounts, expected):
    assert cc.owned_volumes(mounts) == expected


@pytest.mark.parametrize('devices, expected', [
    ([{'path_on_host': '/dev/fuse'}], ['/dev/fuse:/dev/fuse:rwm']),
    ([{'path_on_host': '/dev/null', 'path_in_container': '/dev/x',
       'permissions': 'r'}], ['/dev/null:/dev/x:r']),
    (None, []),
])
def test_devices(devices, expected):
    assert cc.devices(devices) == expected


@pytest.mark.parametrize('policy, expected', [
    ({}, None),
    ({'Name': 'always'}, {'Name': 'always', 'MaximumRetryCount': 0}),
    ({'Name': 'on-failure', 'MaximumRetryCount': 3},
     {'Name': 'on-failure', 'MaximumRetryCount': 3}),
    # Docker refuses a retry count with any other policy.
    ({'Name': 'always', 'MaximumRetryCount': 3},
     {'Name': 'always', 'MaximumRetryCount': 0}),
    ({'Name': None}, {'Name': 'no', 'MaximumRetryCount': 0}),
])
def test_restart_policy(policy, expected):
    assert cc.restart_policy(policy) == expected


@pytest.mark.parametrize('check, expected', [
    (None, None),
    ({'test': 'curl -f localhost', 'interval': 2, 'retries': 3},
     {'test': ['CMD-SHELL', 'curl -f localhost'],
      'interval': 2000000000, 'retries': 3}),
    ({'test': ['true'], 'timeout': 0.5, 'start_period': 10},
     {'test': ['CMD', 'true'], 'timeout': 500000000,
      'start_period': 10000000000}),
    ({'test': ['CMD-SHELL', 'exit 0']}, {'test': ['CMD-SHELL', 'exit 0']}),
    ({'test': ['NONE']}, {'test': ['NONE']}),
    ({'test': ['sleep', 1]}, {'test': ['CMD', 'sleep', '1']}),
])
def test_healthcheck(check, expected):
    assert cc.healthcheck(check) == expected


@pytest.mark.parametrize('networks, expected', [
    ([{'network': 'front', 'ipv4_address': '10.0.0.5',
       'aliases': ['web']}],
     [('front', {'ipv4_address': '10.0.0.5', 'aliases': ['web']})]),
    ([{'network': 'a'}, {'network': 'b', 'aliases': []}],
     [('a', {}), ('b', {})]),
    (None, []),
])
def test_endpoints(networks, expected):
    assert cc.endpoints(networks) == expected


def test_create_kwargs_full():
    props = {'image': 'busybox', 'cmd': ['sleep', 60], 'hostname': 'h',
             'user': '1000', 'env': ['A=1'], 'labels': {'k': 'v'},
             'tty': True, 'open_stdin': False, 'port_specs': ['53/udp'],
             'port_bindings': {'80': None}, 'volumes': {'/x': '/y'},
             'healthcheck': {'test': 'true'}, 'stop_timeout': 3}
    assert cc.create_kwargs(props) == {
        'image': 'busybox', 'command': ['sleep', '60'], 'hostname': 'h',
        'user': '1000', 'environment': ['A=1'], 'labels': {'k': 'v'},
        'tty': True, 'stdin_open': False, 'ports': [(53, 'udp'), 80],
        'volumes': ['/y'], 'healthcheck': {'test': ['CMD-SHELL', 'true']},
        'stop_timeout': 3}


def test_create_kwargs_leave_defaults_to_docker():
    # Empty values stay out, so Docker (or the image) decides.
    props = {'image': 'busybox', 'cmd': [], 'hostname': '', 'user': '',
             'env': None, 'labels': {}, 'stop_timeout': None}
    assert cc.create_kwargs(props) == {
        'image': 'busybox', 'command': None, 'tty': False,
        'stdin_open': False}


def test_host_config_kwargs_full():
    props = {'privileged': False, 'read_only': True,
             'volumes': {'/x': '/y:ro'},
             'mounts': [{'source': 'v', 'target': '/z'}],
             'port_bindings': {'80': '8080'}, 'links': {'db': 'database'},
             'dns': ['8.8.8.8'], 'volumes_from': ['other'],
             'restart_policy': {'Name': 'on-failure',
                                'MaximumRetryCount': 2},
             'memory': GiB, 'memory_reservation': GiB // 2,
             'memory_swap': 2 * GiB, 'cpu_shares': 512, 'cpu_set': '0',
             'cpu_quota': 50000, 'cpu_period': 100000,
             'cap_add': ['NET_ADMIN'], 'cap_drop': ['MKNOD'],
             'security_opt': ['no-new-privileges'],
             'devices': [{'path_on_host': '/dev/fuse'}],
             'device_cgroup_rules': ['c 10:229 rwm'],
             'log_driver': 'json-file', 'log_options': {'max-size': '1m'},
             'networks': [{'network': 'front'}, {'network': 'back'}]}
    assert cc.host_config_kwargs(props) == {
        'privileged': False, 'read_only': True,
        'binds': ['/x:/y:ro', 'v:/z:rw'], 'port_bindings': {80: 8080},
        'links': {'db': 'database'}, 'dns': ['8.8.8.8'],
        'volumes_from': ['other'],
        'restart_policy': {'Name': 'on-failure', 'MaximumRetryCount': 2},
        'mem_limit': GiB, 'mem_reservation': GiB // 2,
        'memswap_limit': 2 * GiB, 'cpu_shares': 512, 'cpuset_cpus': '0',
        'cpu_quota': 50000, 'cpu_period': 100000, 'cap_add': ['NET_ADMIN'],
        'cap_drop': ['MKNOD'], 'security_opt': ['no-new-privileges'],
        'devices': ['/dev/fuse:/dev/fuse:rwm'],
        'device_cgroup_rules': ['c 10:229 rwm'],
        'log_config': {'type': 'json-file', 'config': {'max-size': '1m'}},
        'network_mode': 'front'}


@pytest.mark.parametrize('security_opt, sdk, fields', [
    (None, None, {}),
    ([], None, {}),
    (['no-new-privileges'], ['no-new-privileges'], {}),
    (['systempaths=unconfined'], None,
     {'MaskedPaths': [], 'ReadonlyPaths': []}),
    (['seccomp=unconfined', ' systempaths=unconfined', 'apparmor=unconfined'],
     ['seccomp=unconfined', 'apparmor=unconfined'],
     {'MaskedPaths': [], 'ReadonlyPaths': []}),
])
def test_security_opt_systempaths_unconfined(security_opt, sdk, fields):
    props = {'security_opt': security_opt}
    assert cc.host_config_kwargs(props).get('security_opt') == sdk
    assert cc.host_config_fields(props) == fields


@pytest.mark.parametrize('value', ['systempaths=confined', 'systempaths=',
                                   'systempaths'])
def test_security_opt_refuses_other_systempaths(value):
    with pytest.raises(ValueError, match='unconfined'):
        cc.security_options(['no-new-privileges', value])


def test_systempaths_unconfined_reaches_the_sdk_host_config():
    # The engine API knows no such security option: the SDK's host config
    # gets empty path lists instead, as `docker run` sends them.
    props = {'image': 'busybox',
             'security_opt': ['no-new-privileges', 'systempaths=unconfined']}
    api = docker.APIClient(version='1.41')
    host_config = api.create_host_config(**cc.host_config_kwargs(props))
    host_config.update(cc.host_config_fields(props))
    config = api.create_container_config(host_config=host_config,
                                         **cc.create_kwargs(props))
    assert config['HostConfig']['SecurityOpt'] == ['no-new-privileges']
    assert config['HostConfig']['MaskedPaths'] == []
    assert config['HostConfig']['ReadonlyPaths'] == []


def test_privileged_container_gets_no_device_list():
    props = {'privileged': True, 'devices': [{'path_on_host': '/dev/fuse'}]}
    assert 'devices' not in cc.host_config_kwargs(props)


def test_kwargs_are_accepted_by_the_sdk():
    """The SDK's own builders take what the translation produces.

    This is what the SDK 1.x calling convention got wrong: these keywords
    raise TypeError on create_container() and start() of SDK >= 2.
    """
    props = {'image': 'busybox', 'cmd': ['true'], 'memory': GiB,
             'cpu_shares': 2, 'cpu_set': '0', 'dns': ['1.1.1.1'],
             'port_bindings': {'80': None}, 'volumes': {'/a': '/b'},
             'restart_policy': {'Name': 'always'},
             'healthcheck': {'test': 'true', 'interval': 1},
             'log_driver': 'none', 'device_cgroup_rules': ['a *:* r'],
             'networks': [{'network': 'n', 'ipv4_address': '10.0.0.2'}]}
    api = docker.APIClient(version='1.41')
    host_config = api.create_host_config(**cc.host_config_kwargs(props))
    config = api.create_container_config(host_config=host_config,
                                         **cc.create_kwargs(props))
    assert config['HostConfig']['Memory'] == GiB
    assert config['HostConfig']['NetworkMode'] == 'n'
    assert config['HostConfig']['PortBindings'] == {
        '80/tcp': [{'HostIp': '', 'HostPort': ''}]}
    assert config['Healthcheck']['Interval'] == 1000000000
    api.create_endpoint_config(**cc.endpoints(props['networks'])[0][1])


@pytest.mark.parametrize('new, expected', [
    ({'memory': GiB},
     {'restart_policy': {'Name': 'no'}, 'mem_limit': GiB,
      'memswap_limit': 2 * GiB}),
    ({'memory': GiB, 'memory_swap': -1, 'restart_policy': {
        'Name': 'always'}},
     {'restart_policy': {'Name': 'always', 'MaximumRetryCount': 0},
      'mem_limit': GiB, 'memswap_limit': -1}),
    ({'cpu_shares': 100, 'cpu_set': '0-1', 'cpu_quota': 1000,
      'cpu_period': 10000, 'memory_reservation': GiB},
     {'restart_policy': {'Name': 'no'}, 'cpu_shares': 100,
      'cpuset_cpus': '0-1', 'cpu_quota': 1000, 'cpu_period': 10000,
      'mem_reservation': GiB}),
])
def test_update_kwargs(new, expected):
    assert cc.update_kwargs(new) == expected


@pytest.mark.parametrize('changed, before, after, replace', [
    ({'memory'}, {'memory': GiB}, {'memory': 2 * GiB}, False),
    ({'memory'}, {'memory': GiB}, {'memory': None}, True),
    ({'cpu_shares'}, {'cpu_shares': 10}, {'cpu_shares': 0}, True),
    ({'restart_policy'}, {'restart_policy': {'Name': 'always'}},
     {'restart_policy': {}}, False),
    ({'memory'}, {'memory': None}, {'memory': GiB}, False),
])
def test_needs_replacement(changed, before, after, replace):
    assert cc.needs_replacement(changed, before, after) is replace


@pytest.mark.parametrize('props, fixed', [
    ({'networks': [{'network': 'n', 'ipv4_address': '10.0.0.2'}]}, True),
    ({'networks': [{'network': 'n'}]}, False),
    ({'port_bindings': {'80': 8080}}, True),
    ({'port_bindings': {'80': '127.0.0.1:8080'}}, True),
    ({'port_bindings': {'80': None, '81': '127.0.0.1:'}}, False),
    ({'port_bindings': {'80': [None, 9090]}}, True),
    ({}, False),
])
def test_holds_fixed_resources(props, fixed):
    assert cc.holds_fixed_resources(props) is fixed


PORTS = {
    '80/tcp': [{'HostIp': '0.0.0.0', 'HostPort': '32768'},
               {'HostIp': '::', 'HostPort': '32768'}],
    '443/tcp': [{'HostIp': '127.0.0.1', 'HostPort': '8443'}],
    '53/udp': [{'HostIp': '0.0.0.0', 'HostPort': '1053'}],
    '9000/tcp': None,
}


def test_host_ports():
    assert cc.host_ports(PORTS) == {'80/tcp': [32768], '443/tcp': [8443],
                                    '53/udp': [1053]}


@pytest.mark.parametrize('protocol, expected', [
    ('tcp', '8443,32768'), ('udp', '1053'), ('sctp', '')])
def test_ports_by_protocol(protocol, expected):
    assert cc.ports_by_protocol(PORTS, protocol) == expected


@pytest.mark.parametrize('logs, lines', [
    (b'one\ntwo\n', ['one', 'two']),
    (b'', []),
    ('text\n', ['text']),
    (b'caf\xc3\xa9\n\xff\n', ['caf\u00e9', '\ufffd']),
])
def test_log_lines(logs, lines):
    assert cc.log_lines(logs) == lines


@pytest.mark.parametrize('bindings, message', [
    ({'http': 80}, "'http' is not a port number"),
    ({'80': 'eighty'}, "'eighty' is not a port number"),
    ({'80': 70000}, 'port 70000 is out of range 1-65535'),
    ({'0': None}, 'port 0 is out of range 1-65535'),
    ({'80/icmp': None}, "'icmp' is not a protocol (tcp, udp, sctp)"),
    ({'80': '127.0.0.1:x'}, "'x' is not a port number"),
])
def test_bad_port_bindings(bindings, message):
    with pytest.raises(ValueError) as exc:
        cc.port_bindings(bindings)
    assert str(exc.value) == message
