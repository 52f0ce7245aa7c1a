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

"""Servers booted through the whole of Nova whose containers really run.

nova-api, conductor, scheduler and compute run in-process with Placement
(``_IntegratedTestBase``); Glance and Neutron are Nova's fixtures. The
compute service loads the driver by its Nova name, docker.DockerDriver.
"""

import base64
import json

from nova_docker_driver import images
from tests.functional.nova_docker_driver import base
from tests.harness import nova_driver


class DockerServerLifecycleTest(base.DockerServerTestBase):

    def test_lifecycle_and_snapshot_boots_again(self):
        body = self._build_server(image_uuid=self.image['id'],
                                  networks='none')
        body['user_data'] = base64.b64encode(b'#!/bin/sh\necho hi\n').decode()
        body['metadata'] = {'role': 'web'}
        server = self._wait_for_state_change(
            self.api.post_server({'server': body}), 'ACTIVE')
        self.assertEqual('running', self._status(server))
        container = self._container(server)
        # User data and metadata reach the container as files.
        latest = '/var/lib/openstack/openstack/latest/'
        meta = json.loads(container.exec_run(
            ['cat', latest + 'meta_data.json']).output)
        self.assertEqual(server['id'], meta['uuid'])
        self.assertEqual({'role': 'web'}, meta['meta'])
        self.assertEqual(b'#!/bin/sh\necho hi\n', container.exec_run(
            ['cat', latest + 'user_data']).output)

        server = self._stop_server(server)
        self.assertEqual('exited', self._status(server))
        server = self._start_server(server)
        self.assertEqual('running', self._status(server))

        started = self._container(server).attrs['State']['StartedAt']
        server = self._reboot_server(server)
        self.assertEqual('running', self._status(server))
        self.assertNotEqual(started,
                            self._container(server).attrs['State']
                            ['StartedAt'])

        self.api.post_server_action(server['id'], {'pause': None})
        server = self._wait_for_state_change(server, 'PAUSED')
        self.assertEqual('paused', self._status(server))
        self.api.post_server_action(server['id'], {'unpause': None})
        server = self._wait_for_state_change(server, 'ACTIVE')
        self.assertEqual('running', self._status(server))

        server = self._suspend_server(server)
        self.assertEqual('paused', self._status(server))
        server = self._resume_server(server)
        self.assertEqual('running', self._status(server))

        # The console log is the container's output.
        self._container(server).exec_run(
            ['sh', '-c', 'echo hello-from-the-console > /proc/1/fd/1'])
        console = self.api.post_server_action(
            server['id'], {'os-getConsoleOutput': {'length': 20}})
        self.assertIn('hello-from-the-console', console['output'])
        # Before 2.48 diagnostics are the driver's own dict; from 2.48 on
        # Nova's schema names only its in-tree drivers (see README).
        self.api.microversion = '2.47'
        diagnostics = self.api.get_server_diagnostics(server['id'])
        self.api.microversion = self.microversion
        self.assertEqual('running', diagnostics['state'])
        self.assertGreater(diagnostics['memory'], 0)
        self.assertGreater(diagnostics['cpu_time_ns'], 0)

        # Something only this server has, to find in the snapshot.
        self._container(server).exec_run(['touch', '/tmp/written-before'])
        self._snapshot_server(server, 'snap-1')
        snapshot = self._wait_for_snapshot('snap-1')
        self.assertEqual('docker', snapshot['container_format'])
        server = self._wait_for_state_change(server, 'ACTIVE')
        # Forget the local copy: the new server must load what Glance got.
        nova_driver.remove_images(self.engine, [snapshot['id']])

        clone = self._create_server(image_uuid=snapshot['id'],
                                    networks='none')
        self.assertEqual('running', self._status(clone))
        self.assertEqual(0, self._container(clone).exec_run(
            ['ls', '/tmp/written-before']).exit_code)
        self.assertEqual(images.tag_for(snapshot['id']),
                         self._container(clone).attrs['Config']['Image'])

        # A container that ends outside Nova: the driver's lifecycle event
        # lets Nova stop the server without waiting for its power sync.
        self._container(clone).kill()
        clone = self._wait_for_state_change(clone, 'SHUTOFF')

        self._delete_server(clone)
        self.assertIsNone(self._status(clone))

        # Soft delete stops the container, restore starts it again.
        self.flags(reclaim_instance_interval=3600)
        self.api.delete_server(server['id'])
        server = self._wait_for_state_change(server, 'SOFT_DELETED')
        self.assertEqual('exited', self._status(server))
        self.api.post_server_action(server['id'], {'restore': None})
        server = self._wait_for_state_change(server, 'ACTIVE')
        self.assertEqual('running', self._status(server))
        self.api.post_server_action(server['id'], {'forceDelete': None})
        self._wait_until_deleted(server)
        self.assertIsNone(self._status(server))

    def _wait_for_snapshot(self, name):
        found = {}

        def uploaded():
            matches = [i for i in self.glance.images.values()
                       if i['name'] == name]
            self.assertEqual(1, len(matches))
            self.assertIn(matches[0]['id'], self.glance._imagedata)
            found.update(self.glance.images[matches[0]['id']])
        self._wait_for_assert(uploaded, max_retries=60)
        return found


class DockerServerNetworkTest(base.DockerServerTestBase):

    def test_port_is_plugged_into_the_container(self):
        port = self.neutron.port_1
        # Nova's Neutron fixture binds ports to Open vSwitch, which this
        # machine lacks; a routed tap binding uses the same veth and
        # namespace plumbing, without a switch.
        self.neutron._ports[port['id']]['binding:vif_type'] = 'tap'
        tap = 'tap' + port['id'][:11]

        server = self._create_server(image_uuid=self.image['id'],
                                     networks=[{'port': port['id']}])
        container = self._container(server)
        addr = container.exec_run(['ip', '-o', 'addr', 'show', 'eth0'])
        self.assertIn('192.168.1.3/24', addr.output.decode())
        mac = container.exec_run(['cat', '/sys/class/net/eth0/address'])
        self.assertEqual(port['mac_address'], mac.output.decode().strip())
        self.assertTrue(nova_driver.link_exists(tap))

        # The namespace is new after a stop and start; the port follows.
        server = self._stop_server(server)
        server = self._start_server(server)
        addr = self._container(server).exec_run(['ip', '-o', 'addr', 'show',
                                                 'eth0'])
        self.assertIn('192.168.1.3/24', addr.output.decode())

        # Hot-plug a second port through the API, then take it away.
        port_2 = dict(self.neutron.port_2, **{'binding:vif_type': 'tap'})
        self.neutron._ports[port_2['id']] = port_2
        self.api.attach_interface(
            server['id'], {'interfaceAttachment': {'port_id': port_2['id']}})
        container = self._container(server)
        addr = container.exec_run(['ip', '-o', 'addr', 'show', 'eth1'])
        self.assertIn('192.168.1.30/24', addr.output.decode())
        self.api.detach_interface(server['id'], port_2['id'])
        self._wait_for_assert(lambda: self.assertNotEqual(
            0, container.exec_run(['ip', 'link', 'show', 'eth1']).exit_code))

        self._delete_server(server)
        self.assertIsNone(self._status(server))
        self.assertFalse(nova_driver.link_exists(tap))
