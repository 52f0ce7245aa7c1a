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

"""What the driver promises without an engine: its unsupported table,
container settings from flavors and options, and power state mapping."""

import inspect
from unittest import mock

import ddt
from nova.compute import power_state
from nova import objects
from nova.virt import driver as base_driver
from nova.virt import fake
from oslo_config import fixture as config_fixture
from oslotest import base as oslo_base

from nova_docker_driver import conf as docker_conf
from nova_docker_driver import driver as docker_driver

objects.register_all()
DockerDriver = docker_driver.DockerDriver


def _raises_not_implemented(func):
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    return 'raise NotImplementedError' in source


class UnsupportedTableTest(oslo_base.BaseTestCase):

    def test_every_listed_method_is_left_to_the_base_class(self):
        for name, reason in DockerDriver.UNSUPPORTED.items():
            self.assertTrue(hasattr(base_driver.ComputeDriver, name), name)
            self.assertIs(getattr(base_driver.ComputeDriver, name),
                          getattr(DockerDriver, name),
                          '%s is listed as unsupported but implemented' %
                          name)
            self.assertTrue(reason.strip(), name)

    def test_every_unimplemented_method_is_listed(self):
        missing = [
            name for name, func in vars(base_driver.ComputeDriver).items()
            if callable(func) and not name.startswith('_') and
            getattr(DockerDriver, name) is func and
            _raises_not_implemented(func) and
            name not in DockerDriver.UNSUPPORTED]
        self.assertEqual([], missing)


@ddt.ddt
class ContainerSettingsTest(oslo_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(docker_conf.CONF))
        self.driver = DockerDriver(fake.FakeVirtAPI())
        self.driver._ncpu = 2
        self.instance = objects.Instance(
            id=1, uuid='8f2b4e2c-6a0f-4d36-9d9c-0c6d0cf9c3a1',
            hostname='web-1',
            display_name='web', flavor=objects.Flavor(memory_mb=512,
                                                      vcpus=4))
        self.image_meta = objects.ImageMeta.from_dict(
            {'properties': {'os_command_line': '/bin/sleep 1000'}})

    def _kwargs(self, network_info=None, **opts):
        for key, value in opts.items():
            self.conf.config(**{key: value, 'group': 'docker'})
        return self.driver._create_kwargs(self.instance, self.image_meta,
                                          '/meta', network_info or [])

    @ddt.data(
        ('quota', {'nano_cpus': 2000000000}, ('cpu_shares',)),
        ('shares', {'cpu_shares': 4096}, ('nano_cpus',)),
        ('none', {}, ('cpu_shares', 'nano_cpus')))
    @ddt.unpack
    def test_cpu_policy(self, policy, expected, absent):
        kwargs = self._kwargs(cpu_policy=policy)
        for key, value in expected.items():
            self.assertEqual(value, kwargs[key])
        for key in absent:
            self.assertNotIn(key, kwargs)

    @ddt.data(
        ('hard', 'mem_limit'),
        ('soft', 'mem_reservation'),
        ('none', None))
    @ddt.unpack
    def test_memory_policy(self, policy, key):
        kwargs = self._kwargs(memory_policy=policy)
        for name in ('mem_limit', 'mem_reservation'):
            if name == key:
                self.assertEqual(512 * 1024 * 1024, kwargs[name])
            else:
                self.assertNotIn(name, kwargs)

    def test_identity_command_and_isolation(self):
        kwargs = self._kwargs(privileged=True,
                              metadata_mount_point='/meta-in')
        self.assertEqual('nova-' + self.instance.uuid, kwargs['name'])
        self.assertEqual('web-1', kwargs['hostname'])
        self.assertEqual('/bin/sleep 1000', kwargs['command'])
        self.assertEqual('none', kwargs['network_mode'])
        self.assertTrue(kwargs['privileged'])
        self.assertEqual({'/meta': {'bind': '/meta-in', 'mode': 'ro'}},
                         kwargs['volumes'])
        self.assertEqual(self.instance.uuid,
                         kwargs['environment']['NOVA_INSTANCE_UUID'])

    def test_dns_servers_come_from_the_ports(self):
        from nova.tests.unit import utils as test_utils
        kwargs = self._kwargs(network_info=test_utils.get_test_network_info())
        self.assertEqual(['192.168.122.1', '192.168.122.2'], kwargs['dns'])


@ddt.ddt
class PowerStateTest(oslo_base.BaseTestCase):

    @ddt.data(('running', False, power_state.RUNNING),
              ('paused', False, power_state.PAUSED),
              ('paused', True, power_state.SUSPENDED),
              ('exited', False, power_state.SHUTDOWN),
              ('created', False, power_state.SHUTDOWN),
              ('dead', False, power_state.CRASHED),
              ('something-new', False, power_state.NOSTATE))
    @ddt.unpack
    def test_container_status_to_power_state(self, status, suspended,
                                             expected):
        driver = DockerDriver(fake.FakeVirtAPI())
        container = mock.Mock(status=status)
        instance = mock.Mock(uuid='u')
        with mock.patch.object(driver._engine, 'find',
                               return_value=container), \
                mock.patch('nova_docker_driver.metadata.is_suspended',
                           return_value=suspended):
            self.assertEqual(expected, driver.get_info(instance).state)
