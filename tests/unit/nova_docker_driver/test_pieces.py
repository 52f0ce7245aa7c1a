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

"""The driver's pure parts: host figures, port addressing, metadata files,
the nova.virt shim and the configuration sample."""

import base64
import importlib.util
import io
import json
import os
import sys
import threading
import time
from unittest import mock

import ddt
import fixtures
from nova import objects
from nova.tests.unit import utils as test_utils
from nova.virt import event as virtevent
import os_vif
from oslo_config import fixture as config_fixture
from oslo_config import generator
from oslotest import base as oslo_base

from nova_docker_driver import client
from nova_docker_driver import conf as docker_conf
from nova_docker_driver import events
from nova_docker_driver import hostinfo
from nova_docker_driver import install
from nova_docker_driver import metadata
from nova_docker_driver import vifs

objects.register_all()
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


@ddt.ddt
class HostInfoTest(oslo_base.BaseTestCase):

    @ddt.data(('20.10.24+dfsg1', 20010024), ('27.3.1', 27003001),
              ('24.0', 24000000), ('28.0.0-rc.1', 28000000), ('dev', 0))
    @ddt.unpack
    def test_version_number(self, version, number):
        self.assertEqual(number, hostinfo.version_number(version))

    def test_resources_come_from_the_engine(self):
        info = {'NCPU': 6, 'MemTotal': 8 * 1024 ** 3,
                'Architecture': 'x86_64'}
        res = hostinfo.resources(info, 'node-1', 20010024)
        self.assertEqual(6, res['vcpus'])
        self.assertEqual(8192, res['memory_mb'])
        self.assertEqual('docker', res['hypervisor_type'])
        self.assertEqual('node-1', res['hypervisor_hostname'])
        self.assertEqual([('x86_64', 'docker', 'exe')],
                         res['supported_instances'])
        self.assertGreater(res['local_gb'], 0)

    def test_uptime_reads_like_uptime(self):
        self.assertRegex(hostinfo.uptime(),
                         r'up \d+ days, +\d+:\d\d, .*load average')


class PortAddressingTest(oslo_base.BaseTestCase):

    def test_addresses_and_default_route_of_the_first_port(self):
        vif = test_utils.get_test_network_info()[0]
        addresses, routes = vifs.addresses_and_routes(vif, True)
        self.assertIn('10.0.0.73/24', addresses)
        self.assertEqual(5, len(addresses))
        self.assertIn(('default', '10.0.0.254'), routes)
        self.assertEqual(2, len(routes))

    def test_other_ports_add_no_default_route(self):
        vif = test_utils.get_test_network_info()[0]
        self.assertEqual([], vifs.addresses_and_routes(vif, False)[1])

    def test_device_names_fit_linux(self):
        vif = test_utils.get_test_network_info()[0]
        self.assertEqual('nic' + vif['id'][:11], vifs.host_dev(vif))
        vif['devname'] = 'tap' + vif['id'][:11]
        self.assertEqual('tap' + vif['id'][:11], vifs.host_dev(vif))
        self.assertLessEqual(len(vifs._peer_dev(vif)), 15)


class MetadataFilesTest(oslo_base.BaseTestCase):

    def test_user_data_metadata_and_files_are_written(self):
        conf = self.useFixture(config_fixture.Config(docker_conf.CONF))
        conf.config(instances_path=self.useFixture(fixtures.TempDir()).path)
        instance = objects.Instance(
            uuid='4bd3e1d4-8a44-4f58-a1a4-0e7d7b1b7c11', display_name='web',
            hostname='web', metadata={'role': 'db'}, key_name='k',
            key_data='ssh-rsa AAA', user_data=base64.b64encode(
                b'#!/bin/sh\necho hi\n').decode())
        root = metadata.write(instance, test_utils.get_test_network_info(),
                              [('/etc/motd', 'hello')])
        latest = os.path.join(root, 'openstack', 'latest')
        with open(os.path.join(latest, 'user_data'), 'rb') as f:
            self.assertEqual(b'#!/bin/sh\necho hi\n', f.read())
        with open(os.path.join(latest, 'meta_data.json')) as f:
            meta = json.load(f)
        self.assertEqual({'role': 'db'}, meta['meta'])
        self.assertEqual({'k': 'ssh-rsa AAA'}, meta['public_keys'])
        self.assertEqual('/etc/motd', meta['files'][0]['path'])
        with open(os.path.join(latest, 'network_data.json')) as f:
            self.assertTrue(json.load(f)['links'])
        metadata.mark_suspended(instance.uuid)
        self.assertTrue(metadata.is_suspended(instance.uuid))
        metadata.remove(instance)
        self.assertFalse(os.path.exists(root))
        self.assertFalse(metadata.is_suspended(instance.uuid))


class ShimInstallTest(oslo_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.virt = self.useFixture(fixtures.TempDir()).path

    def test_installed_shim_exports_the_driver(self):
        path = install.install(self.virt)
        spec = importlib.util.spec_from_file_location('shim_under_test',
                                                      path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        from nova_docker_driver import driver
        self.assertIs(driver.DockerDriver, module.DockerDriver)
        self.assertTrue(install.uninstall(self.virt))
        self.assertFalse(os.path.exists(os.path.dirname(path)))
        self.assertFalse(install.uninstall(self.virt))

    def test_nova_loads_the_driver_through_the_shim(self):
        # Nova's loader with the shim in a nova.virt path entry of this
        # test only; the shared Nova installation stays untouched.
        import nova.virt
        from nova.virt import driver as virt_driver
        from nova.virt import fake
        from nova_docker_driver import driver
        self.assertNotIn('nova.virt.docker', sys.modules)
        install.install(self.virt)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.__path__', list(nova.virt.__path__) + [self.virt]))
        self.addCleanup(sys.modules.pop, 'nova.virt.docker', None)
        loaded = virt_driver.load_compute_driver(fake.FakeVirtAPI(),
                                                 'docker.DockerDriver')
        self.assertIsInstance(loaded, driver.DockerDriver)

    def test_a_package_it_did_not_write_is_left_alone(self):
        os.makedirs(os.path.join(self.virt, 'docker'))
        with open(os.path.join(self.virt, 'docker', '__init__.py'),
                  'w') as f:
            f.write('# somebody else\n')
        self.assertRaises(RuntimeError, install.install, self.virt)
        self.assertRaises(RuntimeError, install.uninstall, self.virt)

    def test_command_line(self):
        self.assertEqual(0, install.main(['--nova-virt-dir', self.virt]))
        self.assertTrue(os.path.exists(install.shim_dir(self.virt)))
        self.assertEqual(0, install.main(['--nova-virt-dir', self.virt,
                                          '--uninstall']))
        self.assertFalse(os.path.exists(install.shim_dir(self.virt)))


class ConfigSampleTest(oslo_base.BaseTestCase):

    def test_sample_is_what_the_generator_writes(self):
        # The entry point may not be installed in a development tree;
        # hand the generator our list_opts the way the entry point would.
        out = io.StringIO()
        gen_conf = generator.cfg.ConfigOpts()
        generator.register_cli_opts(gen_conf)
        gen_conf(['--namespace', 'nova_docker_driver', '--wrap-width', '79'])
        with mock.patch.object(
                generator, '_get_raw_opts_loaders',
                return_value=[('nova_docker_driver', docker_conf.list_opts)]):
            generator.generate(gen_conf, output_file=out)
        sample = os.path.join(TOP, 'etc', 'nova_docker_driver',
                              'nova_docker.conf.sample')
        with open(sample) as f:
            self.assertEqual(f.read(), out.getvalue(),
                             'regenerate etc/nova_docker_driver/'
                             'nova_docker.conf.sample')

    def test_list_opts_names_the_docker_group(self):
        (group, opts), = docker_conf.list_opts()
        self.assertEqual('docker', group.name)
        names = {o.name for o in opts}
        for name in ('api_url', 'ca_file', 'cert_file', 'key_file',
                     'privileged', 'cpu_policy', 'memory_policy',
                     'image_cache_dir'):
            self.assertIn(name, names)


@ddt.ddt
class HostSideWiringTest(oslo_base.BaseTestCase):
    """Which switch the host end of a port goes to (no root needed)."""

    def setUp(self):
        super().setUp()
        # nova-compute initialises os-vif when it starts.
        os_vif.initialize()
        self.privsep = {}
        for name in ('add_veth', 'delete_link', 'set_master',
                     'ensure_bridge'):
            self.privsep[name] = self.useFixture(fixtures.MockPatch(
                'nova_docker_driver.privsep.' + name)).mock
        self.os_vif_plug = self.useFixture(fixtures.MockPatch(
            'os_vif.plug')).mock
        self.instance = objects.Instance(
            id=7, uuid='4bd3e1d4-8a44-4f58-a1a4-0e7d7b1b7c11',
            display_name='i', project_id='p')

    def _vif(self, vif_type, **details):
        vif = test_utils.get_test_network_info()[0]
        vif['type'] = vif_type
        vif['details'] = details
        return vif

    def test_ovs_port_is_added_to_the_switch_by_os_vif(self):
        vif = self._vif('ovs')
        peer = vifs.VIFPlugger().plug_host_side(self.instance, vif)
        self.privsep['add_veth'].assert_called_once_with(
            vifs.host_dev(vif), peer, None)
        vif_obj = self.os_vif_plug.call_args[0][0]
        self.assertEqual('VIFOpenVSwitch', vif_obj.obj_name())
        self.assertTrue(vif_obj.port_profile.create_port)
        self.assertEqual(vifs.host_dev(vif), vif_obj.vif_name)
        self.privsep['set_master'].assert_not_called()

    def test_hybrid_ovs_port_joins_the_per_port_bridge(self):
        vif = self._vif('ovs', ovs_hybrid_plug=True, port_filter=True)
        vifs.VIFPlugger().plug_host_side(self.instance, vif)
        vif_obj = self.os_vif_plug.call_args[0][0]
        self.assertEqual('VIFBridge', vif_obj.obj_name())
        self.privsep['set_master'].assert_called_once_with(
            vifs.host_dev(vif), vif_obj.bridge_name)

    @ddt.data('bridge', 'tap')
    def test_ports_os_vif_does_not_handle(self, vif_type):
        vif = self._vif(vif_type)
        vifs.VIFPlugger().plug_host_side(self.instance, vif)
        self.os_vif_plug.assert_not_called()
        self.assertEqual(vif_type == 'bridge',
                         self.privsep['set_master'].called)

    def test_unknown_port_type_fails_to_plug(self):
        from nova import exception
        self.assertRaises(exception.NovaException,
                          vifs.VIFPlugger().plug_host_side, self.instance,
                          self._vif('macvtap'))


@ddt.ddt
class LifecycleEventTest(oslo_base.BaseTestCase):

    def _docker_event(self, action, uuid='u-1'):
        labels = {client.LABEL_UUID: uuid} if uuid else {}
        return {'Type': 'container', 'Action': action,
                'Actor': {'ID': 'abc', 'Attributes': labels}}

    @ddt.data(('start', False, virtevent.EVENT_LIFECYCLE_STARTED),
              ('die', False, virtevent.EVENT_LIFECYCLE_STOPPED),
              ('pause', False, virtevent.EVENT_LIFECYCLE_PAUSED),
              ('pause', True, virtevent.EVENT_LIFECYCLE_SUSPENDED),
              ('unpause', False, virtevent.EVENT_LIFECYCLE_RESUMED))
    @ddt.unpack
    def test_docker_event_to_nova_transition(self, action, suspended,
                                             transition):
        event = events.lifecycle_event(self._docker_event(action),
                                       lambda uuid: suspended)
        self.assertEqual('u-1', event.get_instance_uuid())
        self.assertEqual(transition, event.get_transition())

    @ddt.data(('exec_start', 'u-1'), ('die', None))
    @ddt.unpack
    def test_other_events_are_ignored(self, action, uuid):
        self.assertIsNone(events.lifecycle_event(
            self._docker_event(action, uuid), lambda uuid: False))

    def test_watcher_emits_and_stops(self):
        emitted = []
        stream = mock.MagicMock()
        stream.__iter__.return_value = iter([self._docker_event('die')])
        engine = mock.Mock()
        engine.api.events.return_value = stream
        watcher = events.EventWatcher(engine, emitted.append,
                                      lambda uuid: False)
        watcher.start()
        for _ in range(100):
            if emitted:
                break
            watcher._stopped.wait(0.05)
        watcher.stop()
        self.assertEqual(virtevent.EVENT_LIFECYCLE_STOPPED,
                         emitted[0].get_transition())
        filters = engine.api.events.call_args[1]['filters']
        self.assertEqual('container', filters['type'])
        stream.close.assert_called()

    def test_stop_right_after_start_closes_the_stream(self):
        closed = threading.Event()

        class Stream(object):
            def __iter__(self):
                # Blocks like the engine's stream until it is closed.
                closed.wait(5)
                return iter([])

            def close(self):
                closed.set()

        def open_stream(**kwargs):
            # The engine takes a moment to answer; stop() comes meanwhile.
            time.sleep(0.2)
            return Stream()

        engine = mock.Mock()
        engine.api.events.side_effect = open_stream
        watcher = events.EventWatcher(engine, lambda event: None,
                                      lambda uuid: False)
        watcher.start()
        time.sleep(0.05)
        self.assertTrue(engine.api.events.called)
        started = time.monotonic()
        watcher.stop()
        self.assertTrue(closed.is_set())
        self.assertLess(time.monotonic() - started, 4)
        self.assertFalse(watcher._thread.is_alive())
