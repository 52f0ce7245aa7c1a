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

"""The docker:nested_engine flavor extra spec and its container settings."""

from unittest import mock

import ddt
import fixtures
from nova import exception
from nova import objects
from nova.virt import fake
from oslo_config import fixture as config_fixture
from oslotest import base as oslo_base

from nova_docker_driver import client
from nova_docker_driver import conf as docker_conf
from nova_docker_driver import driver as docker_driver
from nova_docker_driver import extra_specs
from nova_docker_driver import nested

objects.register_all()

UUID = '5d0c7a7e-2b1e-4f54-9a53-3f1c2e9d8b10'
GRANTS = ('cap_add', 'cap_drop', 'security_opt', 'device_cgroup_rules',
          'devices', 'privileged_mode', 'cgroupns', 'pid_mode', 'ipc_mode',
          'userns_mode', 'sysctls')


@ddt.ddt
class NestedEngineSettingsTest(oslo_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(docker_conf.CONF))
        self.driver = docker_driver.DockerDriver(fake.FakeVirtAPI())
        self.driver._ncpu = 2
        self.image_meta = objects.ImageMeta.from_dict({'properties': {}})

    def _instance(self, extra_specs=None):
        return objects.Instance(
            id=1, uuid=UUID, hostname='node-0', display_name='node-0',
            flavor=objects.Flavor(memory_mb=1024, vcpus=1,
                                  extra_specs=extra_specs or {}))

    def _kwargs(self, extra_specs=None):
        return self.driver._create_kwargs(self._instance(extra_specs),
                                          self.image_meta, '/meta', [])

    def test_forbidden_by_default(self):
        self.assertFalse(docker_conf.CONF.docker.allow_nested_engine)

    @ddt.data({}, {'docker:nested_engine': 'false'},
              {'docker:nested_engine': 'False'},
              {'hw:cpu_policy': 'dedicated'})
    def test_ordinary_flavor_keeps_the_isolation(self, extra_specs):
        for allowed in (False, True):
            self.conf.config(allow_nested_engine=allowed, group='docker')
            kwargs = self._kwargs(extra_specs)
            self.assertEqual(self._kwargs(), kwargs)
            for key in GRANTS:
                self.assertNotIn(key, kwargs)
            self.assertFalse(kwargs['privileged'])
            self.assertEqual({'/meta': {'bind': '/var/lib/openstack',
                                        'mode': 'ro'}}, kwargs['volumes'])

    @ddt.data('true', 'True', '1', 'yes')
    def test_nested_flavor_gets_only_the_needed_grants(self, value):
        self.conf.config(allow_nested_engine=True, group='docker')
        ordinary = self._kwargs()
        kwargs = self._kwargs({'docker:nested_engine': value})
        self.assertEqual(['SYS_ADMIN', 'NET_ADMIN'], kwargs.pop('cap_add'))
        self.assertEqual(['seccomp=unconfined', 'apparmor=unconfined'],
                         kwargs.pop('security_opt'))
        self.assertEqual({'net.ipv4.ip_forward': '1'}, kwargs.pop('sysctls'))
        self.assertEqual({'/meta': {'bind': '/var/lib/openstack',
                                    'mode': 'ro'},
                          'nova-%s-docker' % UUID: {
                              'bind': '/var/lib/docker', 'mode': 'rw'}},
                         kwargs.pop('volumes'))
        ordinary.pop('volumes')
        # Never privileged, and nothing else changes.
        self.assertEqual(ordinary, kwargs)

    def test_forbidden_nested_flavor_fails_with_a_reason(self):
        exc = self.assertRaises(
            exception.InvalidInput, self._kwargs,
            {'docker:nested_engine': 'true'})
        self.assertIn('allow_nested_engine = False', exc.format_message())
        self.assertIn('docker:nested_engine', exc.format_message())

    def test_value_must_be_a_boolean(self):
        self.conf.config(allow_nested_engine=True, group='docker')
        exc = self.assertRaises(
            exception.InvalidInput, self._kwargs,
            {'docker:nested_engine': 'maybe'})
        self.assertIn('not a boolean', exc.format_message())


class NestedEngineLifecycleTest(oslo_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(docker_conf.CONF))
        self.driver = docker_driver.DockerDriver(fake.FakeVirtAPI())
        self.engine = mock.Mock()
        self.driver._engine = self.engine
        self.driver._images = mock.Mock()
        self.driver._vifs = mock.Mock()
        self.instance = objects.Instance(
            id=1, uuid=UUID, hostname='node-0', display_name='node-0',
            flavor=objects.Flavor(
                memory_mb=1024, vcpus=1,
                extra_specs={'docker:nested_engine': 'true'}))

    def _spawn(self):
        self.driver.spawn(None, self.instance,
                          objects.ImageMeta.from_dict({'properties': {}}),
                          [], None, {}, network_info=[], power_on=False)

    def test_forbidden_spawn_fails_before_the_image_download(self):
        self.assertRaises(exception.InvalidInput, self._spawn)
        self.driver._images.ensure.assert_not_called()
        self.engine.client.containers.create.assert_not_called()

    @mock.patch.object(docker_driver.metadata, 'write', return_value='/m')
    def test_spawn_creates_the_engine_volume(self, _write):
        self.conf.config(allow_nested_engine=True, group='docker')
        self.driver._ncpu = 2
        self._spawn()
        self.engine.client.volumes.create.assert_called_once_with(
            name='nova-%s-docker' % UUID,
            labels={client.LABEL_UUID: UUID, nested.LABEL_VOLUME: 'true',
                    client.LABEL_HOST: docker_conf.CONF.host})
        kwargs = self.engine.client.containers.create.call_args[1]
        self.assertIn('nova-%s-docker' % UUID, kwargs['volumes'])

    @mock.patch.object(docker_driver.metadata, 'remove')
    def test_destroy_removes_the_volume_with_the_disks(self, _remove):
        volume = self.engine.client.volumes.get.return_value
        self.driver.destroy(None, self.instance, [], destroy_disks=False)
        volume.remove.assert_not_called()
        self.driver.destroy(None, self.instance, [], destroy_disks=True)
        self.engine.client.volumes.get.assert_called_with(
            'nova-%s-docker' % UUID)
        volume.remove.assert_called_once_with(force=True)

    @mock.patch.object(docker_driver.metadata, 'remove')
    def test_missing_volume_is_fine(self, _remove):
        self.engine.find.return_value = None
        self.engine.client.volumes.get.side_effect = client.NotFound('gone')
        self.assertTrue(self.driver.delete_instance_files(self.instance))


class ExtraSpecValidatorTest(oslo_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        from nova.api.validation.extra_specs import validators
        self.validators = validators
        self.useFixture(fixtures.MockPatchObject(
            validators, 'VALIDATORS', dict(validators.VALIDATORS)))
        self.useFixture(fixtures.MockPatchObject(
            validators, 'NAMESPACES', set(validators.NAMESPACES)))
        for validator in extra_specs.register():
            validators.VALIDATORS[validator.name] = validator
        validators.NAMESPACES.add('docker')

    def test_nested_engine_is_a_boolean(self):
        self.validators.validate(nested.EXTRA_SPEC, 'true')
        self.validators.validate(nested.EXTRA_SPEC, 'False')
        self.assertRaises(exception.ValidationError,
                          self.validators.validate, nested.EXTRA_SPEC,
                          'maybe')

    def test_unknown_docker_spec_is_refused(self):
        self.assertRaises(exception.ValidationError,
                          self.validators.validate, 'docker:nested_engin',
                          'true')
