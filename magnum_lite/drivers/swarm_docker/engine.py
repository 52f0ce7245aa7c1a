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

"""What the swarm_docker driver asks Docker directly.

The host engine (which runs the node containers) and a cluster's swarm
API (its first manager, over TLS), both through
magnum_lite.common.docker_client. Every Docker object of a cluster
carries the label ``org.openstack.magnum-lite.cluster=<uuid>``; objects
made by earlier releases carry ``magnum_lite.cluster`` (and the other
labels under their old names) and are still found and read.
"""

import contextlib
import os
import tempfile

from docker import errors as docker_errors
from oslo_log import log as logging

from magnum_lite.common import docker_client
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

COMPONENT = 'magnum-lite'
CLUSTER_LABEL = docker_client.label(COMPONENT, 'cluster')
NODEGROUP_LABEL = docker_client.label(COMPONENT, 'nodegroup')
INDEX_LABEL = docker_client.label(COMPONENT, 'index')
NODE_LABEL = docker_client.label(COMPONENT, 'node')
ROLE_LABEL = docker_client.label(COMPONENT, 'role')

TLS_ENV = {'SWARM_TLS_CERT': 'cert', 'SWARM_TLS_KEY': 'key'}


def host_client():
    """A low-level client of the engine that runs the nodes.

    The engine is the one DOCKER_HOST and friends name, as for the docker
    CLI (the local socket without them).
    """
    return docker_client.api_client(timeout=CONF.docker.default_timeout,
                                    **docker_client.environment_kwargs())


def carries_legacy_labels(labels):
    """Whether an object's labels have the names of earlier releases.

    Heat replaces a node or network whose labels change, so a kept one is
    written again with the names it has (see stack.render).
    """
    labels = labels or {}
    return CLUSTER_LABEL not in labels and \
        docker_client.read_label(labels, CLUSTER_LABEL) is not None


def _labelled(list_objects, cluster_uuid, key='Id'):
    """What `list_objects(filters)` finds under any cluster label name.

    One query per name (Docker ANDs the labels of one filter), each
    object once.
    """
    found = {}
    for filters in docker_client.label_filters(CLUSTER_LABEL, cluster_uuid):
        for item in list_objects(filters):
            found.setdefault(item[key], item)
    return list(found.values())


def node_containers(client, cluster_uuid):
    return _labelled(lambda filters: client.containers(all=True,
                                                       filters=filters),
                     cluster_uuid)


def _networks(client, cluster_uuid):
    return _labelled(lambda filters: client.networks(filters=filters),
                     cluster_uuid)


def _volumes(client, cluster_uuid):
    return _labelled(
        lambda filters: client.volumes(filters=filters).get('Volumes') or [],
        cluster_uuid, key='Name')


def node_tls(client, cluster_uuid):
    """{(nodegroup, index): {'cert', 'key', 'legacy_labels'}} of the nodes.

    Kept nodes must get back the very certificate they run with, and the
    label names they carry (`legacy_labels`: those of an earlier
    release): anything else would change their Heat properties and so
    replace them.
    """
    found = {}
    for summary in node_containers(client, cluster_uuid):
        labels = summary.get('Labels') or {}
        index = docker_client.read_label(labels, INDEX_LABEL)
        if index is None:
            continue
        try:
            info = client.inspect_container(summary['Id'])
        except docker_errors.NotFound:
            continue
        tls = {}
        for item in info['Config'].get('Env') or []:
            name, _, value = item.partition('=')
            if name in TLS_ENV:
                tls[TLS_ENV[name]] = value
        if len(tls) == len(TLS_ENV):
            tls['legacy_labels'] = carries_legacy_labels(labels)
            nodegroup = docker_client.read_label(labels, NODEGROUP_LABEL)
            found[(nodegroup, index)] = tls
    return found


def network_carries_legacy_labels(client, network):
    """Whether the network (a name or id) has the label names of old."""
    if not network:
        return False
    try:
        info = client.inspect_network(network)
    except docker_errors.NotFound:
        return False
    return carries_legacy_labels(info.get('Labels'))


def used_subnets(client):
    """Every IPv4 subnet of the engine's networks."""
    subnets = []
    for network in client.networks():
        for config in (network.get('IPAM') or {}).get('Config') or []:
            if config.get('Subnet'):
                subnets.append(config['Subnet'])
    return subnets


def leftovers(client, cluster_uuid):
    """Names of the cluster's containers, networks and volumes still there."""
    found = ['container %s' % c['Names'][0].lstrip('/')
             for c in node_containers(client, cluster_uuid)]
    found += ['network %s' % n['Name']
              for n in _networks(client, cluster_uuid)]
    found += ['volume %s' % v['Name'] for v in _volumes(client, cluster_uuid)]
    return found


def remove_leftovers(client, cluster_uuid):
    """Remove what a cluster left behind; returns what could not go."""
    for container in node_containers(client, cluster_uuid):
        with _logged('container', container['Id']):
            client.remove_container(container['Id'], force=True, v=True)
    for network in _networks(client, cluster_uuid):
        with _logged('network', network['Name']):
            client.remove_network(network['Id'])
    for volume in _volumes(client, cluster_uuid):
        with _logged('volume', volume['Name']):
            client.remove_volume(volume['Name'], force=True)
    return leftovers(client, cluster_uuid)


@contextlib.contextmanager
def _logged(kind, name):
    try:
        yield
        LOG.info('Removed %s %s, left behind by its stack', kind, name)
    except docker_errors.NotFound:
        pass
    except docker_errors.APIError as exc:
        LOG.warning('Could not remove %s %s: %s', kind, name, exc)


@contextlib.contextmanager
def swarm_client(api_address, ca_pem, cert_pem, key_pem):
    """A docker SDK client of a cluster's TLS API.

    The client certificate is made for this one use: its files go with
    it.
    """
    with tempfile.TemporaryDirectory(prefix='swarm-tls-') as directory:
        paths = {}
        for name, pem in (('ca', ca_pem), ('cert', cert_pem),
                          ('key', key_pem)):
            paths[name] = os.path.join(directory, name + '.pem')
            fd = os.open(paths[name], os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, 'w') as pem_file:
                pem_file.write(pem)
        client = docker_client.client(
            base_url=api_address,
            tls=docker_client.tls_config(ca_cert=paths['ca'],
                                         client_cert=paths['cert'],
                                         client_key=paths['key']),
            timeout=CONF.docker.default_timeout)
        try:
            yield client
        finally:
            client.close()


def remove_swarm_nodes(client, hostnames):
    """`docker node rm --force` of the nodes with these hostnames.

    Returns the hostnames removed. Forced: the node is still up until
    Heat deletes its container, and the swarm must forget it now so that
    `docker info` counts only the nodes that stay.
    """
    removed = []
    wanted = set(hostnames)
    for node in client.nodes.list():
        hostname = node.attrs.get('Description', {}).get('Hostname')
        if hostname in wanted:
            node.remove(force=True)
            removed.append(hostname)
    return removed
