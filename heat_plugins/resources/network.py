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

"""DockerInc::Docker::Network: a user-defined Docker network.

Docker cannot change a network after creation, so every property change
replaces it. The resource id is the network id, which containers accept
wherever a network name is accepted.
"""

from docker import types as docker_types
from heat.engine import attributes
from heat.engine import properties

from heat_plugins.resources import docker_resource as base

S = properties.Schema

PROPERTIES = (
    NAME, DRIVER, INTERNAL, ATTACHABLE, ENABLE_IPV6, OPTIONS, LABELS,
    SUBNETS,
) = (
    'name', 'driver', 'internal', 'attachable', 'enable_ipv6', 'options',
    'labels', 'subnets',
)

SUBNET_KEYS = (CIDR, GATEWAY, IP_RANGE) = ('cidr', 'gateway', 'ip_range')


def ipam_config(subnets):
    """[{cidr, gateway, ip_range}] -> an IPAM config, None for Docker's."""
    if not subnets:
        return None
    pools = [docker_types.IPAMPool(subnet=s[CIDR], gateway=s.get(GATEWAY),
                                   iprange=s.get(IP_RANGE))
             for s in subnets]
    return docker_types.IPAMConfig(pool_configs=pools)


class DockerNetwork(base.DockerResource):
    """A Docker network; give it subnets to let containers use static IPs."""

    kind = 'network'

    PROPERTIES = base.CONNECTION_PROPERTIES + PROPERTIES

    ATTRIBUTES = (INFO, NAME_ATTR, SUBNETS_ATTR) = ('info', 'name', 'subnets')

    properties_schema = dict(base.connection_schema, **{
        NAME: S(S.STRING, 'Network name (by default one made from the '
                'stack and resource names).'),
        DRIVER: S(S.STRING, 'Network driver.', default='bridge'),
        INTERNAL: S(S.BOOLEAN, 'No access to the outside.', default=False),
        ATTACHABLE: S(S.BOOLEAN, 'Standalone containers may attach (overlay '
                      'networks).', default=False),
        ENABLE_IPV6: S(S.BOOLEAN, 'Enable IPv6.', default=False),
        OPTIONS: S(S.MAP, 'Driver options.'),
        LABELS: S(S.MAP, 'Labels of the network.'),
        SUBNETS: S(
            S.LIST, 'Subnets; needed for static container addresses.',
            schema=S(S.MAP, schema={
                CIDR: S(S.STRING, 'Subnet, e.g. 10.10.0.0/24.',
                        required=True),
                GATEWAY: S(S.STRING, 'Gateway address.'),
                IP_RANGE: S(S.STRING, 'Range Docker allocates from.'),
            })),
    })

    attributes_schema = {
        INFO: attributes.Schema('Inspect data of the network.',
                                type=attributes.Schema.MAP,
                                cache_mode=attributes.Schema.CACHE_NONE),
        NAME_ATTR: attributes.Schema('Network name.',
                                     type=attributes.Schema.STRING),
        SUBNETS_ATTR: attributes.Schema(
            'Subnets with their gateways, as Docker reports them.',
            type=attributes.Schema.LIST),
    }

    def inspect(self, client):
        return client.inspect_network(self.resource_id)

    def remove(self, client):
        client.remove_network(self.resource_id)

    def handle_create(self):
        p = self.properties
        name = self.docker_name(p[NAME])
        client = self.docker()
        # Docker allows two networks of one name (a replacement needs that),
        # so the name is not checked for duplicates here.
        created = self.call(
            'create network %s' % name, client.create_network, name,
            driver=p[DRIVER], options=p[OPTIONS],
            ipam=ipam_config(p[SUBNETS]), internal=p[INTERNAL],
            attachable=p[ATTACHABLE], enable_ipv6=p[ENABLE_IPV6],
            labels=self.stack_labels(p[LABELS]))
        self.resource_id_set(created['Id'])
        return created['Id']

    def attribute_from(self, name, info):
        if name == self.INFO:
            return info
        if name == self.NAME_ATTR:
            return info['Name']
        if name == self.SUBNETS_ATTR:
            return [{CIDR: c.get('Subnet'), GATEWAY: c.get('Gateway'),
                     IP_RANGE: c.get('IPRange')}
                    for c in (info.get('IPAM') or {}).get('Config') or []]
        return None


def resource_mapping():
    return {'DockerInc::Docker::Network': DockerNetwork}
