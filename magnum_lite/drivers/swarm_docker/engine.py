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
API (its first manager, over TLS). Every Docker object of a cluster
carries the label ``magnum_lite.cluster=<uuid>``.
"""

import contextlib
import os
import tempfile

import docker
from docker import errors as docker_errors
from oslo_log import log as logging

LOG = logging.getLogger(__name__)

CLUSTER_LABEL = 'magnum_lite.cluster'
NODEGROUP_LABEL = 'magnum_lite.nodegroup'
INDEX_LABEL = 'magnum_lite.index'
NODE_LABEL = 'magnum_lite.node'

TLS_ENV = {'SWARM_TLS_CERT': 'cert', 'SWARM_TLS_KEY': 'key'}

API_TIMEOUT = 60


def host_client():
    """A low-level client of the engine that runs the nodes."""
    return docker.APIClient(version='auto', timeout=API_TIMEOUT,
                            **_env_kwargs())


def _env_kwargs():
    # DOCKER_HOST and friends, as the docker CLI reads them.
    kwargs = docker.utils.kwargs_from_env()
    return {k: v for k, v in kwargs.items() if k in ('base_url', 'tls')}


def _label_filter(cluster_uuid):
    return {'label': '%s=%s' % (CLUSTER_LABEL, cluster_uuid)}


def node_containers(client, cluster_uuid):
    return client.containers(all=True, filters=_label_filter(cluster_uuid))


def node_tls(client, cluster_uuid):
    """{(nodegroup, index): {'cert', 'key'}} of the nodes that exist.

    Kept nodes must get back the very certificate they run with: a new
    one would change their Heat properties and so replace them.
    """
    found = {}
    for summary in node_containers(client, cluster_uuid):
        labels = summary.get('Labels') or {}
        if INDEX_LABEL not in labels:
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
            found[(labels.get(NODEGROUP_LABEL), labels[INDEX_LABEL])] = tls
    return found


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
              for n in client.networks(filters=_label_filter(cluster_uuid))]
    volumes = client.volumes(filters=_label_filter(cluster_uuid))
    found += ['volume %s' % v['Name'] for v in volumes.get('Volumes') or []]
    return found


def remove_leftovers(client, cluster_uuid):
    """Remove what a cluster left behind; returns what could not go."""
    for container in node_containers(client, cluster_uuid):
        with _logged('container', container['Id']):
            client.remove_container(container['Id'], force=True, v=True)
    for network in client.networks(filters=_label_filter(cluster_uuid)):
        with _logged('network', network['Name']):
            client.remove_network(network['Id'])
    volumes = client.volumes(filters=_label_filter(cluster_uuid))
    for volume in volumes.get('Volumes') or []:
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


class TLSConfig(docker.tls.TLSConfig):
    """Client TLS that the process environment cannot override.

    requests prefers REQUESTS_CA_BUNDLE (and proxies from the environment)
    over the session's settings, which would check the cluster's API
    against the system CAs instead of the cluster CA.
    """

    def configure_client(self, client):
        super().configure_client(client)
        client.trust_env = False


@contextlib.contextmanager
def swarm_client(api_address, ca_pem, cert_pem, key_pem):
    """A docker SDK client of a cluster's TLS API."""
    with tempfile.TemporaryDirectory(prefix='swarm-tls-') as directory:
        paths = {}
        for name, pem in (('ca', ca_pem), ('cert', cert_pem),
                          ('key', key_pem)):
            paths[name] = os.path.join(directory, name + '.pem')
            fd = os.open(paths[name], os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, 'w') as pem_file:
                pem_file.write(pem)
        tls = TLSConfig(client_cert=(paths['cert'], paths['key']),
                        ca_cert=paths['ca'], verify=True)
        client = docker.DockerClient(base_url=api_address, tls=tls,
                                     version='auto', timeout=API_TIMEOUT)
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
