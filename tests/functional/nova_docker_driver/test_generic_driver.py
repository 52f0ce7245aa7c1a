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

"""Nova's own generic virt driver suite against the real Docker engine.

``_VirtDriverTestCase`` turns NotImplementedError into a pass; here it
fails the test unless the method is one the driver documents as
unsupported (DockerDriver.UNSUPPORTED), which is reported as a skip with
its reason.
"""

import functools
import os
import sys
import traceback

from nova import objects
from nova import test
from nova.tests.unit import utils as test_utils
# Import the module, not its classes, so pytest does not collect Nova's
# own driver test cases from this file.
from nova.tests.unit.virt import test_virt_drivers as tvd
from oslo_serialization import jsonutils

from nova_docker_driver import driver as docker_driver
from nova_docker_driver import vifs
from tests.harness import nova_driver
from tests.harness import services

_CATCH_CODE = tvd.catch_notimplementederror(lambda self: None).__code__
_BASE_DRIVER = os.path.join('nova', 'virt', 'driver.py')


def _strict(test_func):
    @functools.wraps(test_func)
    def strict_test(self, *args, **kwargs):
        try:
            return test_func(self, *args, **kwargs)
        except NotImplementedError:
            frame = traceback.extract_tb(sys.exc_info()[2])[-1]
            reason = docker_driver.DockerDriver.UNSUPPORTED.get(frame.name)
            if reason is None or not frame.filename.endswith(_BASE_DRIVER):
                self.fail('%s() raised NotImplementedError (%s:%s) but is '
                          'not documented as unsupported' % (
                              frame.name, frame.filename, frame.lineno))
            self.skipTest('%s() is unsupported: %s' % (frame.name, reason))
    return strict_test


def strict_notimplemented(cls):
    """Re-wrap every inherited test so NotImplementedError cannot pass."""
    for name in dir(cls):
        if not name.startswith('test_') or name in vars(cls):
            continue
        func = getattr(cls, name)
        if getattr(func, '__code__', None) is _CATCH_CODE:
            # Drop Nova's lenient wrapper, keep what it wrapped (with any
            # mock.patch decorators below it).
            func = func.__wrapped__
        setattr(cls, name, _strict(func))
    return cls


@strict_notimplemented
class DockerDriverGenericTestCase(nova_driver.DriverOnEngineMixin,
                                  tvd._VirtDriverTestCase, test.TestCase):

    @classmethod
    def tearDownClass(cls):
        nova_driver.remove_test_image()
        super().tearDownClass()

    def setUp(self):
        services.require_root()
        services.require_docker()
        self.driver_module = 'nova_docker_driver.driver.DockerDriver'
        super().setUp()
        self.setup_engine(self.image_service, self.ctxt)
        self.connection.init_host(self.host)

    def _get_running_instance(self, obj=True):
        instance = test_utils.get_test_instance(obj=True)
        instance.image_ref = self.docker_image['id']
        network_info = test_utils.get_test_network_info()
        # Nova's sample port is bound to Open vSwitch, which this machine
        # lacks; a Linux bridge port goes through the same veth and
        # namespace plumbing.
        network_info[0]['type'] = 'bridge'
        network_info[0]['network']['bridge'] = self.bridge
        network_info[0]['network']['subnets'][0]['meta']['dhcp_server'] = \
            '1.1.1.1'
        image_meta = objects.ImageMeta.from_dict(self.docker_image)
        self.connection.spawn(self.ctxt, instance, image_meta,
                              [], 'herp', {}, network_info=network_info)
        return instance, network_info

    def _check_available_resource_fields(self, host_status):
        super()._check_available_resource_fields(host_status)
        supported = host_status['supported_instances']
        try:
            supported = jsonutils.loads(supported)
        except TypeError:
            pass
        self.assertTrue(any(host_status['hypervisor_type'] in x
                            for x in supported))

    def test_live_migration_force_complete(self):
        # Nova's version needs the libvirt driver's migration bookkeeping
        # before it reaches the driver; live migration is unsupported.
        instance, _ = self._get_running_instance()
        self.assertIn('live_migration_force_complete',
                      self.connection.UNSUPPORTED)
        self.assertRaises(NotImplementedError,
                          self.connection.live_migration_force_complete,
                          instance)

    # Nova's suite checks little beyond "no exception"; these check that
    # the container behind the instance really is in the expected state.

    def _status(self, instance):
        return self.engine.containers.get('nova-' + instance.uuid).status

    def test_spawn_runs_container_with_port(self):
        instance, network_info = self._get_running_instance()
        container = self.engine.containers.get('nova-' + instance.uuid)
        self.assertEqual('running', container.status)
        out = container.exec_run(['ip', '-o', 'addr', 'show', 'eth0'])
        self.assertIn(network_info[0]['network']['subnets'][0]['ips'][0]
                      ['address'], out.output.decode())
        self.assertIn(network_info[0]['address'],
                      container.exec_run(['cat', '/sys/class/net/eth0/'
                                                 'address']).output.decode())
        self.assertTrue(nova_driver.link_exists(vifs.host_dev(network_info[0])))
        # The flavor's limits, under the default hard memory and CPU quota
        # policies (at most the host's CPUs).
        host_config = container.attrs['HostConfig']
        self.assertEqual(instance.flavor.memory_mb * 1024 * 1024,
                         host_config['Memory'])
        self.assertEqual(min(instance.flavor.vcpus,
                             self.engine.info()['NCPU']) * 1000000000,
                         host_config['NanoCpus'])

    def test_power_states_follow_container(self):
        from nova.compute import power_state
        instance, network_info = self._get_running_instance()
        self.connection.pause(instance)
        self.assertEqual('paused', self._status(instance))
        self.assertEqual(power_state.PAUSED,
                         self.connection.get_info(instance).state)
        self.connection.unpause(instance)
        self.connection.suspend(self.ctxt, instance)
        self.assertEqual(power_state.SUSPENDED,
                         self.connection.get_info(instance).state)
        self.connection.resume(self.ctxt, instance, network_info)
        self.assertEqual('running', self._status(instance))
        self.connection.power_off(instance, timeout=5)
        self.assertEqual('exited', self._status(instance))
        self.assertEqual(power_state.SHUTDOWN,
                         self.connection.get_info(instance).state)
        self.connection.power_on(self.ctxt, instance, network_info)
        self.assertEqual('running', self._status(instance))
        # A new namespace after the restart, with the port plugged again.
        out = self.engine.containers.get('nova-' + instance.uuid).exec_run(
            ['ip', 'link', 'show', 'eth0'])
        self.assertEqual(0, out.exit_code, out.output)
        self.connection.destroy(self.ctxt, instance, network_info)
        self.assertEqual([], self.connection.list_instances())

    def test_ports_come_back_after_the_engine_restarts_a_container(self):
        instance, network_info = self._get_running_instance()
        container = self.engine.containers.get('nova-' + instance.uuid)
        # A restart outside Nova (engine or host restart) gives the
        # container a new namespace without the port.
        container.restart(timeout=1)
        self.assertNotEqual(0, container.exec_run(
            ['ip', 'link', 'show', 'eth0']).exit_code)
        self.connection.plug_vifs(instance, network_info)
        self.assertEqual(0, container.exec_run(
            ['ip', 'link', 'show', 'eth0']).exit_code)

    def test_resume_state_on_host_boot_starts_and_plugs(self):
        from nova import objects as nova_objects
        instance, network_info = self._get_running_instance()
        container = self.engine.containers.get('nova-' + instance.uuid)
        container.stop(timeout=1)
        self.connection.resume_state_on_host_boot(
            self.ctxt, instance, network_info,
            nova_objects.ShareMappingList())
        container.reload()
        self.assertEqual('running', container.status)
        self.assertEqual(0, container.exec_run(
            ['ip', 'link', 'show', 'eth0']).exit_code)

    def test_failed_spawn_leaves_nothing_behind(self):
        from nova import exception
        instance = test_utils.get_test_instance(obj=True)
        instance.image_ref = self.docker_image['id']
        network_info = test_utils.get_test_network_info()
        network_info[0]['type'] = 'bridge'
        network_info[0]['network']['bridge'] = self.bridge
        # A command that ends at once leaves no namespace for the port.
        image_meta = objects.ImageMeta.from_dict(dict(
            self.docker_image, properties={'os_command_line': 'true'}))
        self.assertRaises(exception.InstanceDeployFailure,
                          self.connection.spawn, self.ctxt, instance,
                          image_meta, [], None, {}, network_info)
        self.assertEqual([], self.connection.list_instances())
        self.assertFalse(nova_driver.link_exists(vifs.host_dev(network_info[0])))

    def test_only_docker_images_boot(self):
        from nova import exception
        instance = test_utils.get_test_instance(obj=True)
        image_meta = objects.ImageMeta.from_dict(
            {'id': instance.image_ref, 'container_format': 'bare',
             'disk_format': 'qcow2'})
        self.assertRaises(exception.InstanceDeployFailure,
                          self.connection.spawn, self.ctxt, instance,
                          image_meta, [], None, {}, [])
        self.assertEqual([], self.connection.list_instances())

    def test_image_cache_removes_only_unused_images(self):
        from nova_docker_driver import images
        instance, network_info = self._get_running_instance()
        tag = images.tag_for(self.docker_image['id'])
        self.flags(remove_unused_original_minimum_age_seconds=3600,
                   group='image_cache')
        self.connection.manage_image_cache(self.ctxt, [])
        self.assertTrue(self.engine.images.list(name=tag))  # too young
        self.flags(remove_unused_original_minimum_age_seconds=0,
                   group='image_cache')
        self.connection.manage_image_cache(self.ctxt, [instance])
        self.assertTrue(self.engine.images.list(name=tag))  # in use
        self.connection.destroy(self.ctxt, instance, network_info)
        self.connection.manage_image_cache(self.ctxt, [])
        self.assertFalse(self.engine.images.list(name=tag))
