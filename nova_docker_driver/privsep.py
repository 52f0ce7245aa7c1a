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

"""The few host operations that need root, behind oslo.privsep.

nova-compute runs unprivileged; moving a veth end into a container's network
namespace and configuring it there needs CAP_NET_ADMIN and CAP_SYS_ADMIN.
Each entry point does one narrow thing with checked arguments, so the
privileged daemon is not a general command runner. Options for the helper
live in ``[nova_docker_privileged]`` (see oslo.privsep).
"""

import ipaddress
import re

from oslo_concurrency import processutils
from oslo_privsep import capabilities
from oslo_privsep import priv_context

net_admin_pctxt = priv_context.PrivContext(
    'nova_docker_driver',
    cfg_section='nova_docker_privileged',
    pypath=__name__ + '.net_admin_pctxt',
    capabilities=[capabilities.CAP_NET_ADMIN,
                  capabilities.CAP_SYS_ADMIN,
                  capabilities.CAP_SYS_PTRACE,
                  capabilities.CAP_DAC_OVERRIDE],
)

# Linux interface names: at most 15 characters, no slash or space.
_IFNAME = re.compile(r'^[A-Za-z0-9_.:-]{1,15}$')
_MAC = re.compile(r'^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$')


def _ifname(name):
    if not _IFNAME.match(name or ''):
        raise ValueError('invalid interface name %r' % name)
    return name


def _pid(pid):
    pid = int(pid)
    if pid <= 1:
        raise ValueError('invalid container process id %r' % pid)
    return str(pid)


def _ip(*args):
    return processutils.execute('ip', *args)[0]


def _ip_in(pid, *args):
    """``ip`` run inside the network namespace of process ``pid``."""
    return processutils.execute('nsenter', '--target', _pid(pid), '--net',
                                '--', 'ip', *args)[0]


@net_admin_pctxt.entrypoint
def add_veth(host_dev, peer_dev, mtu=None):
    args = ['link', 'add', _ifname(host_dev)]
    if mtu:
        args += ['mtu', str(int(mtu))]
    args += ['type', 'veth', 'peer', 'name', _ifname(peer_dev)]
    if mtu:
        args += ['mtu', str(int(mtu))]
    _ip(*args)
    _ip('link', 'set', host_dev, 'up')


@net_admin_pctxt.entrypoint
def delete_link(dev):
    """Delete a device; a veth takes its peer with it. Absent is fine."""
    try:
        _ip('link', 'del', _ifname(dev))
    except processutils.ProcessExecutionError as exc:
        if 'Cannot find device' not in (exc.stderr or ''):
            raise


@net_admin_pctxt.entrypoint
def ensure_bridge(bridge, mtu=None):
    try:
        _ip('link', 'show', _ifname(bridge))
    except processutils.ProcessExecutionError:
        args = ['link', 'add', bridge, 'type', 'bridge']
        try:
            _ip(*args)
        except processutils.ProcessExecutionError as exc:
            # Another plug may have created it in between.
            if 'File exists' not in (exc.stderr or ''):
                raise
    if mtu:
        _ip('link', 'set', bridge, 'mtu', str(int(mtu)))
    _ip('link', 'set', bridge, 'up')


@net_admin_pctxt.entrypoint
def set_master(dev, bridge):
    _ip('link', 'set', _ifname(dev), 'master', _ifname(bridge))


@net_admin_pctxt.entrypoint
def container_links(pid):
    """Names of the interfaces inside the container's namespace."""
    out = _ip_in(pid, '-o', 'link', 'show')
    names = []
    for line in out.splitlines():
        parts = line.split(':', 2)
        if len(parts) > 1:
            names.append(parts[1].strip().split('@')[0])
    return names


@net_admin_pctxt.entrypoint
def move_into_container(pid, peer_dev, ifname, mac, mtu, addresses,
                        routes):
    """Move ``peer_dev`` into the namespace of ``pid`` and configure it.

    :param addresses: list of 'ip/prefixlen' strings
    :param routes: list of (destination, gateway) pairs; destination is a
        CIDR or 'default'
    """
    _ifname(peer_dev)
    _ifname(ifname)
    if not _MAC.match(mac or ''):
        raise ValueError('invalid MAC address %r' % mac)
    _ip('link', 'set', peer_dev, 'netns', _pid(pid))
    _ip_in(pid, 'link', 'set', 'lo', 'up')
    _ip_in(pid, 'link', 'set', peer_dev, 'name', ifname)
    _ip_in(pid, 'link', 'set', ifname, 'address', mac)
    if mtu:
        _ip_in(pid, 'link', 'set', ifname, 'mtu', str(int(mtu)))
    if any(ipaddress.ip_interface(a).version == 6 for a in addresses):
        # Docker disables IPv6 in containers it did not give an IPv6
        # network; the port may well carry IPv6 addresses.
        processutils.execute('nsenter', '--target', _pid(pid), '--net',
                             '--', 'sysctl', '-q', '-w',
                             'net.ipv6.conf.%s.disable_ipv6=0' % ifname)
    for address in addresses:
        _ip_in(pid, 'addr', 'add', str(ipaddress.ip_interface(address)),
               'dev', ifname)
    _ip_in(pid, 'link', 'set', ifname, 'up')
    for destination, gateway in routes:
        if destination != 'default':
            destination = str(ipaddress.ip_network(destination))
        gateway = str(ipaddress.ip_address(gateway))
        family = '-6' if ':' in gateway else '-4'
        _ip_in(pid, family, 'route', 'replace', destination, 'via', gateway,
               'dev', ifname, 'onlink')
