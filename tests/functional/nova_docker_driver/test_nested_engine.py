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

"""The node image boots for real, with and without a nested engine.

Servers of the node image (tools/images/build-node-image.sh) go through
the whole of Nova: node-init reads the user data the driver mounts, runs
it, and starts dockerd, which answers only in instances of a flavor with
docker:nested_engine=true on a host that allows it.
"""

import base64

from docker import errors as docker_errors

from nova_docker_driver import client
from nova_docker_driver import nested
from tests.functional.nova_docker_driver import base
from tests.functional.nova_docker_driver import node_image
from tests.harness import nova_driver

# Runs inside the instance: a file, the nested engine's answer, and a
# container of the nested engine (runc inside the instance).
USER_DATA = b'''#!/bin/sh
echo written-by-user-data > /root/user-data-ran
echo run >> /root/runs
if docker info --format '{{.ServerVersion}} {{.Driver}}' \
        > /root/docker-info 2>&1 &&
   tar -C /usr/bin -c tini-static | docker import - probe >/dev/null &&
   docker run --rm probe /tini-static --version > /root/nested-run 2>&1
then
    echo ok > /root/nested-done
else
    echo failed > /root/nested-done
fi
'''


class NestedEngineTest(base.DockerServerTestBase):

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_volumes)
        with open(node_image.tarball(), 'rb') as f:
            self.node_image = self.glance.create(
                None, dict(nova_driver.docker_image_meta(
                    name='node', properties={'os_distro': 'ubuntu'})),
                data=f)
        self.nested_flavor = self._create_flavor(
            name='nested', memory_mb=1024, vcpu=1, disk=1, ephemeral=0,
            extra_spec={nested.EXTRA_SPEC: 'true'})
        self.ordinary_flavor = self._create_flavor(
            name='ordinary', memory_mb=1024, vcpu=1, disk=1, ephemeral=0)

    def _remove_volumes(self):
        # Those of servers a failed test left behind; their containers go
        # first.
        nova_driver.remove_containers(self.engine, self.compute_host)
        for volume in self.engine.volumes.list(filters={'label': [
                '%s=%s' % (client.LABEL_HOST, self.compute_host)]}):
            volume.remove(force=True)

    def _boot(self, flavor, expected_state='ACTIVE'):
        body = self._build_server(image_uuid=self.node_image['id'],
                                  flavor_id=flavor, networks='none')
        body['user_data'] = base64.b64encode(USER_DATA).decode()
        server = self.api.post_server({'server': body})
        return self._wait_for_state_change(server, expected_state,
                                           max_retries=60)

    def _read(self, server, path):
        result = self._container(server).exec_run(['cat', path])
        return result.output.decode().strip() if not result.exit_code \
            else None

    def _wait_for_file(self, server, path):
        self._wait_for_assert(
            lambda: self.assertIsNotNone(self._read(server, path)),
            max_retries=120)
        return self._read(server, path)

    def test_nested_engine_answers_only_with_the_flavor(self):
        self.flags(allow_nested_engine=True, group='docker')

        server = self._boot(self.nested_flavor)
        host_config = self._container(server).attrs['HostConfig']
        self.assertEqual(sorted(nested.CAP_ADD),
                         sorted(host_config['CapAdd']))
        self.assertFalse(host_config['Privileged'])
        self.assertEqual(sorted(nested.SECURITY_OPT),
                         sorted(host_config['SecurityOpt']))
        self.assertFalse(host_config['DeviceCgroupRules'])
        self.assertEqual('written-by-user-data',
                         self._wait_for_file(server, '/root/user-data-ran'))
        self.assertEqual('ok',
                         self._wait_for_file(server, '/root/nested-done'),
                         self._read(server, '/root/docker-info'))
        self.assertIn('overlay2', self._read(server, '/root/docker-info'))
        self.assertIn('tini', self._read(server, '/root/nested-run'))
        # The hostname is the instance's.
        self.assertEqual(server['OS-EXT-SRV-ATTR:hostname'],
                         self._read(server, '/etc/hostname'))
        volume = nested.volume_name(server['id'])
        self.engine.volumes.get(volume)

        # node-init stops dockerd and ends on SIGTERM; on the next start
        # the user data does not run again, the engine comes back with
        # what its volume kept.
        server = self._stop_server(server)
        self.assertEqual(0, self._container(server).attrs['State']
                         ['ExitCode'])
        server = self._start_server(server)
        self._wait_for_assert(lambda: self.assertEqual(
            0, self._container(server).exec_run(
                ['docker', 'image', 'inspect', 'probe']).exit_code),
            max_retries=120)
        self.assertEqual('run', self._read(server, '/root/runs'))

        # The same image with an ordinary flavor: user data runs, the
        # container has no grants and no engine of its own.
        plain = self._boot(self.ordinary_flavor)
        host_config = self._container(plain).attrs['HostConfig']
        self.assertFalse(host_config['CapAdd'])
        self.assertFalse(host_config['SecurityOpt'])
        self.assertFalse(host_config['DeviceCgroupRules'])
        self.assertFalse(host_config.get('Sysctls'))
        self.assertEqual('written-by-user-data',
                         self._wait_for_file(plain, '/root/user-data-ran'))
        self.assertEqual('failed',
                         self._wait_for_file(plain, '/root/nested-done'))
        self.assertRaises(docker_errors.NotFound, self.engine.volumes.get,
                          nested.volume_name(plain['id']))

        # Deleting the server deletes its engine's volume.
        self._delete_server(server)
        self.assertRaises(docker_errors.NotFound, self.engine.volumes.get,
                          volume)
        self._delete_server(plain)

    def test_forbidden_nested_engine_is_a_build_fault(self):
        self.flags(allow_nested_engine=False, group='docker')
        server = self._boot(self.nested_flavor, expected_state='ERROR')
        self.assertIn('allow_nested_engine', server['fault']['message'])
        self.assertIsNone(self._container(server))
