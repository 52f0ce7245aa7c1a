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

"""Two containers on one switch: a plugged port answers ping.

Needs root: the driver creates veth pairs and moves them into container
namespaces. The switch is a Linux bridge (Open vSwitch is not installed
here); the ports take the same path through vifs.py either way.
"""

from nova.network import model as network_model
from nova import objects
from nova import test
from nova.tests.fixtures import glance as glance_fixture
from nova.tests.unit import utils as test_utils
from nova.virt import fake
from oslo_utils import uuidutils

from nova_docker_driver import driver as docker_driver
from tests.harness import nova_driver
from tests.harness import services

CIDR = '10.251.37.0/24'


def _port(bridge, address, mac, mtu):
    subnet = network_model.Subnet(
        cidr=CIDR, ips=[network_model.FixedIP(address=address)],
        gateway=network_model.IP(address='10.251.37.1'))
    network = network_model.Network(
        id=uuidutils.generate_uuid(), bridge=bridge, subnets=[subnet],
        meta={'mtu': mtu})
    return network_model.VIF(
        id=uuidutils.generate_uuid(), address=mac, network=network,
        type=network_model.VIF_TYPE_BRIDGE, active=True)


class PortPingTest(nova_driver.DriverOnEngineMixin, test.TestCase):

    @classmethod
    def tearDownClass(cls):
        nova_driver.remove_test_image()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.ctxt = test_utils.get_test_admin_context()
        glance = self.useFixture(glance_fixture.GlanceFixture(self))
        self.driver = docker_driver.DockerDriver(fake.FakeVirtAPI())
        self.connection = self.driver
        self.setup_engine(glance, self.ctxt)
        self.driver.init_host(self.host)
        self._allow_bridged_traffic()

    def _allow_bridged_traffic(self):
        # Docker sets the FORWARD policy to DROP and bridged frames pass
        # through iptables (br_netfilter); between Neutron ports the
        # security group agent opens the way, here this rule stands in.
        services.require_command('iptables')
        rule = ['DOCKER-USER', '-i', self.bridge, '-o', self.bridge,
                '-j', 'ACCEPT']
        if services.run(['iptables', '-n', '-L', 'DOCKER-USER'],
                        check=False).returncode != 0:
            return
        services.run(['iptables', '-I'] + rule)
        self.addCleanup(services.run, ['iptables', '-D'] + rule,
                        check=False)

    def _boot(self, address, mac):
        instance = test_utils.get_test_instance(obj=True)
        instance.image_ref = self.docker_image['id']
        network_info = network_model.NetworkInfo(
            [_port(self.bridge, address, mac, 1400)])
        self.driver.spawn(self.ctxt, instance,
                          objects.ImageMeta.from_dict(self.docker_image),
                          [], None, {}, network_info=network_info)
        return instance, network_info, self.engine.containers.get(
            'nova-' + instance.uuid)

    def test_port_in_one_container_answers_ping_from_another(self):
        a, a_ports, box_a = self._boot('10.251.37.10', 'fa:16:3e:00:00:0a')
        b, b_ports, box_b = self._boot('10.251.37.11', 'fa:16:3e:00:00:0b')

        link = box_b.exec_run(['ip', '-o', 'link', 'show', 'eth0'])
        self.assertIn('mtu 1400', link.output.decode())
        self.assertIn('fa:16:3e:00:00:0b', link.output.decode())
        route = box_b.exec_run(['ip', 'route'])
        self.assertIn('default via 10.251.37.1', route.output.decode())

        ping = box_a.exec_run(['ping', '-c', '2', '-W', '3', '10.251.37.11'])
        self.assertEqual(0, ping.exit_code, ping.output.decode())

        # Once B's port is unplugged the same ping goes unanswered.
        self.driver.detach_interface(self.ctxt, b, b_ports[0])
        ping = box_a.exec_run(['ping', '-c', '1', '-W', '1', '10.251.37.11'])
        self.assertNotEqual(0, ping.exit_code, ping.output.decode())

        # And a hot-plugged port is reachable again.
        self.driver.attach_interface(self.ctxt, b, None, b_ports[0])
        ping = box_a.exec_run(['ping', '-c', '2', '-W', '3', '10.251.37.11'])
        self.assertEqual(0, ping.exit_code, ping.output.decode())

        for instance, ports in ((a, a_ports), (b, b_ports)):
            self.driver.destroy(self.ctxt, instance, ports)
        self.assertEqual([], self.driver.list_instances())
