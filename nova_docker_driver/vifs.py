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

"""Neutron ports inside containers.

A container starts with Docker networking disabled (``network_mode=none``);
each port becomes a veth pair. The host end is named like the tap device
Neutron expects (``tap<port id>``) and is wired by os-vif (Open vSwitch,
hybrid OVS) or by us (Linux bridge, which os-vif no longer ships; routed
``tap`` ports are left for the network agent). The other end is moved into
the container's network namespace and given the port's MAC, addresses,
routes and MTU.

Docker makes a fresh namespace every time a container starts, and the old
veth pair dies with the old namespace, so the container side is plugged on
every start: ``plug`` is safe to call again.
"""

import ipaddress
import os

from nova import exception
from nova.network import model as network_model
from nova.network import os_vif_util
import os_vif
from oslo_log import log as logging

from nova_docker_driver import privsep

LOG = logging.getLogger(__name__)

NIC_NAME_LEN = 14


def host_dev(vif):
    """Name of the host end: the tap name Neutron agents look for.

    Nova names ports from Neutron tap<port id>; without a name it falls
    back to nic<port id>, and so does os-vif, which must find the device.
    """
    return (vif.get('devname') or 'nic' + vif['id'])[:NIC_NAME_LEN]


def host_dev_exists(vif):
    # /sys/class/net lists the host namespace's devices; no privilege.
    return os.path.exists(os.path.join('/sys/class/net', host_dev(vif)))


def _peer_dev(vif):
    # Temporary name of the container end until it is renamed in the
    # container; unique per port on the host.
    return ('nsp' + vif['id'])[:NIC_NAME_LEN]


def _mtu(vif):
    network = vif.get('network') or {}
    mtu = network.get_meta('mtu') if hasattr(network, 'get_meta') else None
    return mtu or network.get('mtu')


def addresses_and_routes(vif, with_default_route):
    """Addresses ('ip/prefix') and routes ((dest, gateway)) of one port."""
    addresses, routes = [], []
    for subnet in (vif.get('network') or {}).get('subnets') or []:
        cidr = subnet.get('cidr')
        if not cidr:
            continue
        prefix = ipaddress.ip_network(cidr, strict=False).prefixlen
        for ip in subnet.get('ips') or []:
            addresses.append('%s/%d' % (ip['address'], prefix))
        gateway = (subnet.get('gateway') or {}).get('address')
        if gateway and with_default_route and subnet.get('ips'):
            routes.append(('default', gateway))
        for route in subnet.get('routes') or []:
            hop = (route.get('gateway') or {}).get('address')
            if hop:
                routes.append((route['cidr'], hop))
    return addresses, routes


class VIFPlugger(object):
    """Plugs the ports of one compute host's containers."""

    def _osvif(self, vif):
        if vif['type'] in (network_model.VIF_TYPE_BRIDGE,
                           network_model.VIF_TYPE_TAP):
            # Nova no longer converts Linux bridge ports for os-vif, and
            # routed tap ports have nothing for os-vif to do.
            return None
        vif_obj = os_vif_util.nova_to_osvif_vif(vif)
        if vif_obj is None:
            raise exception.VirtualInterfacePlugException(
                'VIF type %s is not supported by the Docker driver' %
                vif['type'])
        return vif_obj

    def plug_host_side(self, instance, vif):
        """Create the veth pair and wire its host end; returns the peer."""
        dev, peer = host_dev(vif), _peer_dev(vif)
        mtu = _mtu(vif)
        vif_obj = self._osvif(vif)
        # A previous plug of this port may have left the pair behind.
        privsep.delete_link(dev)
        privsep.add_veth(dev, peer, mtu)
        if vif_obj is not None:
            profile = vif_obj.port_profile if 'port_profile' in vif_obj \
                else None
            if profile is not None and 'create_port' in profile.fields:
                # The veth end exists now, so os-vif may add it to the
                # switch with the port's external ids.
                profile.create_port = True
            os_vif.plug(vif_obj, os_vif_util.nova_to_osvif_instance(instance))
            if vif_obj.obj_name() == 'VIFBridge':
                # Hybrid plug: os-vif made the per-port Linux bridge that
                # sits between the container and the switch.
                privsep.set_master(dev, vif_obj.bridge_name)
        elif vif['type'] == network_model.VIF_TYPE_BRIDGE:
            bridge = vif['network']['bridge']
            privsep.ensure_bridge(bridge, mtu)
            privsep.set_master(dev, bridge)
        return peer

    def plug(self, instance, vif, pid, ifname, with_default_route):
        """Plug one port into the running container whose process is pid."""
        peer = self.plug_host_side(instance, vif)
        addresses, routes = addresses_and_routes(vif, with_default_route)
        try:
            privsep.move_into_container(pid, peer, ifname, vif['address'],
                                        _mtu(vif), addresses, routes)
        except Exception:
            privsep.delete_link(host_dev(vif))
            raise
        LOG.debug('Plugged port %(port)s into the container of %(uuid)s as '
                  '%(ifname)s', {'port': vif['id'], 'uuid': instance.uuid,
                                 'ifname': ifname},
                  instance=instance)

    def plug_all(self, instance, network_info, pid):
        for index, vif in enumerate(network_info or []):
            self.plug(instance, vif, pid, 'eth%d' % index, index == 0)

    def attach(self, instance, vif, pid):
        """Hot-plug a port as the first free ethN of the container."""
        present = set(privsep.container_links(pid))
        index = 0
        while 'eth%d' % index in present:
            index += 1
        self.plug(instance, vif, pid, 'eth%d' % index, index == 0)

    def unplug(self, instance, vif, ignore_errors=False, plugged=True):
        """Remove the veth pair and the port's wiring on the host.

        :param plugged: False when the instance never got a container on
            this host: then only a leftover device is removed, because
            asking a switch that may not even exist about a port that never
            reached it would only wait for its timeout.
        """
        dev = host_dev(vif)
        try:
            plugged = plugged or host_dev_exists(vif)
            privsep.delete_link(dev)
            if plugged:
                vif_obj = self._osvif(vif)
                if vif_obj is not None:
                    os_vif.unplug(
                        vif_obj, os_vif_util.nova_to_osvif_instance(instance))
        except Exception:
            if not ignore_errors:
                raise
            LOG.warning('Failed to unplug port %s', vif['id'],
                        instance=instance, exc_info=True)

    def unplug_all(self, instance, network_info, ignore_errors=False,
                   plugged=True):
        for vif in network_info or []:
            self.unplug(instance, vif, ignore_errors=ignore_errors,
                        plugged=plugged)
