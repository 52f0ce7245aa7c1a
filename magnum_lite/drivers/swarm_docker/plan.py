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

"""Which nodes a swarm_docker nodegroup has: names, indexes, addresses.

Pure functions. A nodegroup's members are named by index: the first
`count` indexes that are not on the group's removal list, which holds
every index ever removed, so no name, address or certificate is used
twice. The driver writes one stack resource per member (stack.py), so it
knows ahead of Heat which nodes an update keeps, adds and removes, and can
give each new node its address and certificate before it exists.
"""

import dataclasses
import hashlib
import ipaddress
import itertools
import re

from magnum_lite.common import exception

# In a cluster's subnet: the gateway first, then managers, then the
# default workers; nodes of other nodegroups take fixed addresses of the
# upper half, chosen by the driver (see extra_address).
MANAGER_OFFSET = 2
MAX_MANAGERS = 8
WORKER_OFFSET = MANAGER_OFFSET + MAX_MANAGERS

MANAGER = 'manager'
WORKER = 'worker'

SUBNET_POOL = ipaddress.ip_network('10.200.0.0/16')
SUBNET_PREFIX = 24

_NOT_DNS = re.compile(r'[^a-z0-9-]+')


@dataclasses.dataclass
class GroupPlan:
    """A nodegroup after an operation, as Heat will make it."""

    members: list
    removal_list: list
    removed: list


def dns_label(text, default='cluster'):
    """A hostname-safe form of a name (lower case, digits, dashes)."""
    label = _NOT_DNS.sub('-', (text or '').lower()).strip('-')
    return label[:40].strip('-') or default


def node_name(cluster_name, group, index):
    """The node's hostname, as `docker node ls` shows it."""
    return '%s-%s-%s' % (dns_label(cluster_name), dns_label(group), index)


def container_name(cluster_name, cluster_uuid, group, index):
    # The short uuid keeps two clusters of one name apart on the engine.
    return '%s-%s-%s-%s' % (dns_label(cluster_name), cluster_uuid[:8],
                            dns_label(group), index)


def network_name(cluster_name, cluster_uuid):
    return 'magnum-lite-%s-%s' % (dns_label(cluster_name), cluster_uuid[:8])


def members(count, removal_list):
    """The indexes Heat gives a group of `count` (ints, ascending)."""
    skipped = {str(i) for i in removal_list}
    return list(itertools.islice(
        (i for i in itertools.count() if str(i) not in skipped), count))


def sorted_indexes(indexes):
    return sorted({str(i) for i in indexes}, key=int)


def resolve_removals(nodes_to_remove, aliases):
    """Map what a user names (node name, container, address, index).

    `aliases` maps every accepted spelling to a member index.
    """
    indexes = []
    unknown = []
    for entry in nodes_to_remove or []:
        index = aliases.get(str(entry).strip())
        if index is None:
            unknown.append(str(entry))
        elif index not in indexes:
            indexes.append(index)
    if unknown:
        raise exception.InvalidParameterValue(
            err='nodes_to_remove names nodes this nodegroup does not have: '
                '%s (known: %s)' % (', '.join(unknown),
                                    ', '.join(sorted(aliases))))
    return indexes


def resize(current, removal_list, node_count, remove_indexes):
    """The group after a resize to `node_count`.

    `current` are the indexes Heat has now; `remove_indexes` the ones the
    user asked to lose. Without such a wish Heat drops the highest
    indexes, which is what `members` gives.
    """
    removal = sorted_indexes(list(removal_list) + list(remove_indexes))
    after = members(node_count, removal)
    return GroupPlan(members=after, removal_list=removal,
                     removed=[i for i in current if i not in after])


def aliases(cluster_name, cluster_uuid, group, indexes, addresses=None):
    """Every spelling of each member: name, container, index, address."""
    result = {}
    for index in indexes:
        result[str(index)] = index
        result[node_name(cluster_name, group, index)] = index
        result[container_name(cluster_name, cluster_uuid, group,
                              index)] = index
        address = (addresses or {}).get(index)
        if address:
            result[address] = index
    return result


def check_subnet(cidr):
    try:
        network = ipaddress.ip_network(cidr)
    except ValueError as exc:
        raise exception.InvalidParameterValue(
            err='swarm_network_cidr %s is not a network: %s' % (cidr, exc))
    if network.version != 4 or network.prefixlen > SUBNET_PREFIX:
        raise exception.InvalidParameterValue(
            err='swarm_network_cidr must be an IPv4 network of /%d or '
                'larger, not %s' % (SUBNET_PREFIX, cidr))
    return network


def dynamic_range(cidr):
    """The upper half of the subnet: Docker's pick for extra nodegroups."""
    network = check_subnet(cidr)
    return str(list(network.subnets(prefixlen_diff=1))[1])


def address(cidr, role, index):
    """The fixed address of a default-group node."""
    network = check_subnet(cidr)
    offset = MANAGER_OFFSET if role == MANAGER else WORKER_OFFSET
    limit = MAX_MANAGERS if role == MANAGER else (
        network.num_addresses // 2 - WORKER_OFFSET)
    if int(index) >= limit:
        raise exception.InvalidParameterValue(
            err='%s index %s does not fit in subnet %s (at most %d)' % (
                role, index, cidr, limit))
    return str(network.network_address + offset + int(index))


def extra_address(cidr, taken, seed):
    """A free address of the subnet's upper half, for another nodegroup.

    Fixed like a default node's, so that its certificate can name it.
    The search starts at a place given by `seed` (the nodegroup's name),
    so the nodes of one nodegroup sit together and two nodegroups made at
    the same time rarely want the same address. `taken` are the addresses
    already in use (strings).
    """
    network = check_subnet(cidr)
    upper = list(network.subnets(prefixlen_diff=1))[1]
    hosts = [a for a in upper if a != network.broadcast_address]
    used = {str(a) for a in taken if a}
    start = int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(hosts)
    for candidate in hosts[start:] + hosts[:start]:
        if str(candidate) not in used:
            return str(candidate)
    raise exception.InvalidParameterValue(
        err='no free address left in %s for another node' % upper)


def pick_subnet(cluster_uuid, used, pool=SUBNET_POOL,
                prefix=SUBNET_PREFIX):
    """A /24 of the pool that overlaps none of `used` (CIDR strings).

    The search starts at a place given by the cluster's uuid, so clusters
    made at the same time rarely race for the same subnet.
    """
    taken = []
    for cidr in used:
        try:
            taken.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            continue
    candidates = list(pool.subnets(new_prefix=prefix))
    start = int(hashlib.sha256(cluster_uuid.encode()).hexdigest(), 16) % \
        len(candidates)
    for candidate in candidates[start:] + candidates[:start]:
        if not any(candidate.overlaps(t) for t in taken
                   if t.version == 4):
            return str(candidate)
    raise exception.InvalidParameterValue(
        err='no free /%d left in %s for the cluster network; set the '
            'swarm_network_cidr label' % (prefix, pool))
