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

"""swarm_docker: Docker Swarm clusters of docker-in-docker nodes.

For the all-in-one mode: one machine with a Docker engine and a Heat
engine that has our DockerInc::Docker::* resources. A cluster is a Heat
stack of a private Docker network and one docker-in-docker container (with
a volume for /var/lib/docker) per node, each a resource of the stack
itself (see stack.py); each node's dockerd serves a TLS
API with a certificate from the cluster CA. The first manager's API is
published on a loopback port: that is the cluster's api_address.

Every node has a fixed address on the cluster network, named by its
certificate, so the conductor can reach any node's API with TLS verified:
default nodes by their index, nodes of other nodegroups at a free address
of the subnet's upper half. Node certificates travel as hidden stack
parameters. A node that an update keeps gets back the certificate,
address and label names it runs with (read from its container), so
resizing never replaces the nodes that stay.

Containers of the container API run on the nodes; an image a node lacks
is copied into it from the host engine (container_api.py).
"""

import json

from docker import errors as docker_errors
from oslo_log import log as logging

from magnum_lite.common import docker_client
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.drivers import base
from magnum_lite.drivers import docker_nodes
from magnum_lite.drivers.heat import client as heat_client
from magnum_lite.drivers.heat import driver as heat_driver
from magnum_lite.drivers.swarm_docker import container_api
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import health
from magnum_lite.drivers.swarm_docker import image
from magnum_lite.drivers.swarm_docker import plan
from magnum_lite.drivers.swarm_docker import resources
from magnum_lite.drivers.swarm_docker import stack
from magnum_lite.drivers.swarm_docker import tls

LOG = logging.getLogger(__name__)

TEMPLATES = stack.TEMPLATES

API_PORT = '2376/tcp'
DEFAULT_JOIN_TIMEOUT = '300'

# The stack parameters of one group, in the cluster stack or its own.
_DEFAULT_WORKERS = dict(count='worker_count', removal='worker_removal_list',
                        nodes='worker_nodes', group=plan.WORKER)
_DEFAULT_MASTERS = dict(count='master_count', removal='master_removal_list',
                        nodes='master_nodes', group=plan.MANAGER)
_OWN_STACK = dict(count='node_count', removal='removal_list', nodes='nodes')
# Only the stacks of nested node groups, which the driver made before its
# stacks were flat, have this parameter.
_NESTED_LAYOUT_PARAMETER = 'update_max_batch_size'

# How each group's nodes are written into its stack's template.
_MANAGERS = stack.Group(
    prefix='manager', nodes='master_nodes', role=plan.MANAGER,
    nodegroup={'get_param': 'master_nodegroup'},
    network={'get_resource': 'network'},
    port_bindings={'2376': '127.0.0.1:'},
    joins_after='join_gate', bootstrap_index=0,
    outputs={'published_ports': 'manager_ports',
             'address': 'master_addresses', 'name': 'master_names'})
_WORKERS = stack.Group(
    prefix='worker', nodes='worker_nodes', role=plan.WORKER,
    nodegroup={'get_param': 'worker_nodegroup'},
    network={'get_resource': 'network'}, joins_after='join_gate',
    outputs={'address': 'worker_addresses', 'name': 'worker_names'})
_NODEGROUP = stack.Group(
    prefix='node', nodes='nodes', role={'get_param': 'role'},
    nodegroup={'get_param': 'nodegroup'}, network={'get_param': 'network'},
    outputs={'address': 'addresses', 'name': 'names'})


def _members(parameters, keys):
    """The indexes of a group, from its stack parameters."""
    return plan.members(int(parameters[keys['count']]),
                        _json_param(parameters.get(keys['removal'])))


def _legacy_labels(parameters, groups, existing, network=False):
    """The resources to write with the label names of earlier releases.

    Those of the kept nodes (in `existing`, see engine.node_tls) whose
    containers carry them, and the network when `network`: Heat would
    replace a node or network whose labels change.
    """
    names = {'network'} if network else set()
    for group, indexes in groups:
        nodegroup = parameters.get(group.nodegroup['get_param'])
        names.update(
            stack.resource_name(group, index) for index in indexes
            if (existing.get((nodegroup, str(index))) or {}).get(
                'legacy_labels'))
    return names


def _cluster_template(parameters, existing=None, legacy_network=False):
    """The cluster stack's template for its (merged) parameters.

    `existing` are the nodes the stack keeps (engine.node_tls);
    `legacy_network` whether its network has the label names of old.
    """
    groups = [(_MANAGERS, _members(parameters, _DEFAULT_MASTERS)),
              (_WORKERS, _members(parameters, _DEFAULT_WORKERS))]
    return stack.render('cluster.yaml', groups, _legacy_labels(
        parameters, groups, existing or {}, legacy_network))


def _nodegroup_template(parameters, existing=None):
    """A nodegroup stack's template for its (merged) parameters."""
    groups = [(_NODEGROUP, _members(parameters, _OWN_STACK))]
    return stack.render('nodegroup.yaml', groups,
                        _legacy_labels(parameters, groups, existing or {}))


def _role(nodegroup):
    return (plan.MANAGER if nodegroup.role == states.NODEGROUP_ROLE_MASTER
            else plan.WORKER)


def _json_param(value):
    if isinstance(value, str):
        return json.loads(value or '[]')
    return list(value or [])


def _network_addresses(client, network):
    """IPv4 addresses of the containers on a network (none if it is gone)."""
    try:
        info = client.inspect_network(network)
    except docker_errors.NotFound:
        return []
    return [entry['IPv4Address'].split('/')[0]
            for entry in (info.get('Containers') or {}).values()
            if entry.get('IPv4Address')]


def _fixed_addresses(cidr, role, indexes):
    """{index: address} of a default group's members."""
    return {index: plan.address(cidr, role, index) for index in indexes}


def _extra_addresses(client, cluster_params, nodegroup_name, indexes,
                     existing, running):
    """{index: address} of the members of a nodegroup of its own stack.

    A kept node (in `existing`) keeps the address its certificate names
    ('' for a node made while Docker chose extra nodes' addresses); a new
    one takes a free address of the upper half: free of every node of the
    cluster (`running`, stopped ones too) and of anything else on its
    network.
    """
    taken = set(_network_addresses(client, cluster_params['network_name']))
    taken.update(tls.node_address(known['cert'])
                 for known in running.values())
    addresses = {}
    for index in indexes:
        known = existing.get((nodegroup_name, str(index)))
        if known is not None:
            addresses[index] = tls.node_address(known['cert'])
        else:
            addresses[index] = plan.extra_address(
                cluster_params['network_cidr'], taken, nodegroup_name)
            taken.add(addresses[index])
    return addresses


def api_address(outputs):
    """tcp://127.0.0.1:<port> of the first manager, or None."""
    for ports in outputs.get('manager_ports') or []:
        published = (ports or {}).get(API_PORT) or []
        if published:
            return 'tcp://127.0.0.1:%s' % published[0]
    return None


class SwarmDockerDriver(heat_driver.HeatDriver):
    """Docker Swarm on docker-in-docker nodes, made by Heat."""

    provides = [('container', 'any', 'swarm-mode')]

    # Its nodes are containers of the host engine, not Nova servers.
    cloud_resources = False

    labels_schema = {
        'type': 'object',
        'additionalProperties': False,
        'properties': {
            'swarm_node_image': {'type': 'string', 'minLength': 1},
            'swarm_network_cidr': {'type': 'string', 'minLength': 1},
            'swarm_join_timeout': {'type': ['string', 'integer'],
                                   'pattern': '^[0-9]+$', 'minimum': 1},
        },
    }

    def validate_resources(self, names):
        resources.validate(names)

    # -- state -----------------------------------------------------------

    def _labels(self, cluster, template):
        labels = dict(getattr(template, 'labels', None) or {})
        labels.update(cluster.labels or {})
        self.validate_labels(labels)
        return labels

    @staticmethod
    def _stack_parameters(context, cluster, stack_id):
        heat = heat_client.get_client(context, cluster)
        return dict(heat.stacks.get(stack_id).parameters or {})

    def _current_parameters(self, context, cluster, stack_id):
        """The stack's parameters, if the driver can still update it."""
        parameters = self._stack_parameters(context, cluster, stack_id)
        if _NESTED_LAYOUT_PARAMETER in parameters:
            # Its nodes are members of nested stacks: the flat template
            # would replace every one of them.
            raise exception.NotSupported(
                operation='Updating a swarm_docker cluster made before '
                          'its nodes were resources of the cluster stack '
                          '(delete it and create it again)')
        return parameters

    def _nodes(self, cluster, nodegroup_name, group, indexes, existing,
               addresses, first_manager=False):
        """The `nodes` parameter of a group: one entry per member.

        `addresses` maps each index to the node's fixed address, which
        its certificate names.
        """
        nodes = {}
        for index in indexes:
            name = plan.node_name(cluster.name, group, index)
            address = addresses[index]
            known = existing.get((nodegroup_name, str(index)))
            if known is None:
                cert, key = tls.node_certificate(self.services, cluster.uuid,
                                                 name, address)
                known = {'cert': cert, 'key': key}
            nodes[str(index)] = {
                'name': name,
                'container': plan.container_name(cluster.name, cluster.uuid,
                                                 group, index),
                'address': address,
                'bootstrap': ('init' if first_manager and int(index) == 0
                              else 'join'),
                'cert': known['cert'],
                'key': known['key'],
            }
        return nodes

    # -- stacks ----------------------------------------------------------

    def stack_definition(self, context, cluster, template, nodegroups):
        labels = self._labels(cluster, template)
        masters = next(ng for ng in nodegroups if ng.is_default and
                       ng.role == states.NODEGROUP_ROLE_MASTER)
        workers = next(ng for ng in nodegroups if ng.is_default and
                       ng.role != states.NODEGROUP_ROLE_MASTER)
        if not 1 <= masters.node_count <= plan.MAX_MANAGERS:
            raise exception.InvalidParameterValue(
                err='a swarm_docker cluster has 1 to %d managers, not %s'
                    % (plan.MAX_MANAGERS, masters.node_count))
        client = engine.host_client()
        parameters = {}
        if cluster.stack_id:
            # An update: the network, image and CA stay as they are.
            current = self._current_parameters(context, cluster,
                                               cluster.stack_id)
            cidr = current['network_cidr']
            removals = {key: _json_param(current.get(key))
                        for key in ('master_removal_list',
                                    'worker_removal_list')}
            existing = engine.node_tls(client, cluster.uuid)
            legacy_network = engine.network_carries_legacy_labels(
                client, current.get('network_name'))
        else:
            current = {}
            cidr = labels.get('swarm_network_cidr') or plan.pick_subnet(
                cluster.uuid, engine.used_subnets(client))
            removals = {'master_removal_list': [],
                        'worker_removal_list': []}
            existing = {}
            legacy_network = False
            parameters.update(self._new_cluster_parameters(
                cluster, labels, cidr, client, masters, workers))
        for ng, keys, first in ((masters, _DEFAULT_MASTERS, True),
                                (workers, _DEFAULT_WORKERS, False)):
            removal = removals[keys['removal']]
            indexes = plan.members(ng.node_count, removal)
            parameters[keys['count']] = ng.node_count
            parameters[keys['removal']] = removal
            parameters[keys['nodes']] = self._nodes(
                cluster, ng.name, keys['group'], indexes, existing,
                _fixed_addresses(cidr, _role(ng), indexes),
                first_manager=first)
        return heat_driver.StackDefinition(
            template=_cluster_template(dict(current, **parameters), existing,
                                       legacy_network),
            parameters=parameters)

    def _new_cluster_parameters(self, cluster, labels, cidr, client,
                                masters, workers):
        plan.check_subnet(cidr)
        node_image = labels.get('swarm_node_image') or \
            image.ensure_image(client)
        return {
            'cluster_uuid': cluster.uuid,
            'image': node_image,
            'network_name': plan.network_name(cluster.name, cluster.uuid),
            'network_cidr': cidr,
            'dynamic_range': plan.dynamic_range(cidr),
            'manager_address': plan.address(cidr, plan.MANAGER, 0),
            'ca_cert': self.services.ca_certificate(cluster.uuid),
            'master_nodegroup': masters.name,
            'worker_nodegroup': workers.name,
            'join_timeout': str(labels.get('swarm_join_timeout',
                                           DEFAULT_JOIN_TIMEOUT)),
        }

    def nodegroup_stack_definition(self, context, cluster, template,
                                   nodegroup):
        labels = self._labels(cluster, template)
        cluster_params = self._current_parameters(context, cluster,
                                                  cluster.stack_id)
        parameters = {}
        client = engine.host_client()
        running = engine.node_tls(client, cluster.uuid)
        if nodegroup.stack_id:
            own = self._current_parameters(context, cluster,
                                           nodegroup.stack_id)
            removal = _json_param(own.get('removal_list'))
            existing = running
        else:
            own = {}
            removal = []
            # Nodes left by an earlier nodegroup of the same name are not
            # this one's: none of them is kept.
            existing = {}
            parameters.update({
                'cluster_uuid': cluster.uuid,
                'image': cluster_params['image'],
                'network': cluster_params['network_name'],
                'manager_address': cluster_params['manager_address'],
                'ca_cert': self.services.ca_certificate(cluster.uuid),
                'nodegroup': nodegroup.name,
                'role': _role(nodegroup),
                'join_timeout': str(labels.get('swarm_join_timeout',
                                               DEFAULT_JOIN_TIMEOUT)),
            })
        indexes = plan.members(nodegroup.node_count, removal)
        addresses = _extra_addresses(client, cluster_params, nodegroup.name,
                                     indexes, existing, running)
        parameters.update({
            'node_count': nodegroup.node_count,
            'removal_list': removal,
            'nodes': self._nodes(cluster, nodegroup.name, nodegroup.name,
                                 indexes, existing, addresses),
        })
        return heat_driver.StackDefinition(
            template=_nodegroup_template(dict(own, **parameters), existing),
            parameters=parameters)

    def read_outputs(self, outputs, cluster, nodegroups, nodegroup=None):
        if nodegroup is not None:
            return {}, {nodegroup.uuid: outputs.get('addresses') or []}
        addresses = {}
        for ng in nodegroups:
            if ng.is_default:
                key = ('master_addresses' if _role(ng) == plan.MANAGER
                       else 'worker_addresses')
                addresses[ng.uuid] = outputs.get(key) or []
        return {'api_address': api_address(outputs)}, addresses

    # -- resize ----------------------------------------------------------

    def _group_keys(self, nodegroup):
        if not nodegroup.is_default:
            return dict(_OWN_STACK, group=nodegroup.name)
        if _role(nodegroup) == plan.MANAGER:
            raise exception.NotSupported(
                operation='Resizing the managers of a swarm_docker cluster')
        return _DEFAULT_WORKERS

    def _resize(self, context, cluster, nodegroup, node_count,
                nodes_to_remove):
        """(the stack's new definition, hostnames of the nodes that go).

        The definition's parameters are only those that change; its
        template has the nodes of every group of the stack.
        """
        keys = self._group_keys(nodegroup)
        stack_id = (cluster.stack_id if nodegroup.is_default
                    else nodegroup.stack_id)
        current_params = self._current_parameters(context, cluster, stack_id)
        removal = _json_param(current_params.get(keys['removal']))
        current = _members(current_params, keys)
        client = engine.host_client()
        existing = engine.node_tls(client, cluster.uuid)
        if nodegroup.is_default:
            cidr = current_params['network_cidr']

            def addresses_of(indexes):
                return _fixed_addresses(cidr, plan.WORKER, indexes)
        else:
            cluster_params = self._current_parameters(context, cluster,
                                                      cluster.stack_id)

            def addresses_of(indexes):
                return _extra_addresses(client, cluster_params,
                                        nodegroup.name, indexes, existing,
                                        existing)
        aliases = plan.aliases(cluster.name, cluster.uuid, keys['group'],
                               current, addresses_of(current))
        group_plan = plan.resize(
            current, removal, node_count,
            plan.resolve_removals(nodes_to_remove, aliases))
        parameters = {
            keys['count']: node_count,
            keys['removal']: group_plan.removal_list,
            keys['nodes']: self._nodes(cluster, nodegroup.name,
                                       keys['group'], group_plan.members,
                                       existing,
                                       addresses_of(group_plan.members)),
        }
        leaving = [plan.node_name(cluster.name, keys['group'], i)
                   for i in group_plan.removed]
        merged = dict(current_params, **parameters)
        if nodegroup.is_default:
            template = _cluster_template(
                merged, existing, engine.network_carries_legacy_labels(
                    client, current_params.get('network_name')))
        else:
            template = _nodegroup_template(merged, existing)
        return heat_driver.StackDefinition(
            template=template, parameters=parameters), leaving

    def resize_parameters(self, cluster, nodegroup, node_count,
                          nodes_to_remove):
        return self._resize(None, cluster, nodegroup, node_count,
                            nodes_to_remove)[0].parameters

    def resize_cluster(self, context, cluster, nodegroup, node_count,
                       nodes_to_remove):
        definition, leaving = self._resize(context, cluster, nodegroup,
                                           node_count, nodes_to_remove)
        # The swarm forgets the nodes before Heat removes their
        # containers, so it never lists them as Down.
        self._leave_swarm(cluster, leaving)
        stack_id = (cluster.stack_id if nodegroup.is_default
                    else nodegroup.stack_id)
        self._update_stack(context, cluster, stack_id, definition.parameters,
                           definition=definition)

    # Every update sends the template too: the nodes are its resources.

    def update_cluster(self, context, cluster, nodegroups, rollback=False):
        workers = next(ng for ng in nodegroups if ng.is_default and
                       _role(ng) == plan.WORKER)
        _, leaving = self._resize(context, cluster, workers,
                                  workers.node_count, [])
        self._leave_swarm(cluster, leaving)
        definition = self.stack_definition(
            context, cluster, self._template(context, cluster), nodegroups)
        self._update_stack(context, cluster, cluster.stack_id,
                           definition.parameters, rollback=rollback,
                           definition=definition)

    def update_nodegroup(self, context, cluster, nodegroup):
        definition = self.nodegroup_stack_definition(
            context, cluster, self._template(context, cluster), nodegroup)
        self._update_stack(context, cluster, nodegroup.stack_id,
                           definition.parameters, definition=definition)

    def delete_nodegroup(self, context, cluster, nodegroup):
        if nodegroup.stack_id:
            try:
                _, leaving = self._resize(context, cluster, nodegroup, 0, [])
            except Exception as exc:  # the stack may be broken or gone
                LOG.warning('Cluster %s: could not list the nodes of '
                            'nodegroup %s: %s', cluster.uuid,
                            nodegroup.name, exc)
                leaving = []
            self._leave_swarm(cluster, leaving)
        super().delete_nodegroup(context, cluster, nodegroup)

    def _leave_swarm(self, cluster, hostnames):
        if not hostnames or not cluster.api_address:
            return
        try:
            ca, cert, key = docker_nodes.client_certificate(self.services,
                                                            cluster.uuid)
            with engine.swarm_client(cluster.api_address, ca, cert,
                                     key) as client:
                removed = engine.remove_swarm_nodes(client, hostnames)
            LOG.info('Cluster %s: nodes %s left the swarm', cluster.uuid,
                     ', '.join(removed) or 'none')
        except Exception as exc:  # a broken swarm must not block a resize
            LOG.warning('Cluster %s: could not remove nodes %s from the '
                        'swarm: %s', cluster.uuid, ', '.join(hostnames), exc)

    # -- containers ------------------------------------------------------

    def container_host(self):
        return container_api.SwarmDockerContainerHost(self.services)

    # -- status ----------------------------------------------------------

    def get_status(self, context, clusters):
        reports = super().get_status(context, clusters)
        for cluster in clusters:
            report = reports.get(cluster.uuid)
            if (report is not None and report.state == base.NOT_FOUND and
                    cluster.status == states.DELETE_IN_PROGRESS):
                self._sweep(cluster, report)
        return reports

    # -- health ----------------------------------------------------------

    def get_health(self, context, clusters):
        host = engine.host_client()
        answers = {}
        for cluster in clusters:
            if not cluster.api_address:
                continue
            containers = self._node_containers(host, cluster)
            swarm_nodes, api_error = self._swarm_nodes(cluster)
            # A node is expected when either side knows it: a container
            # removed outright still shows in the swarm, as down.
            expected = set(containers) | set(swarm_nodes or ())
            answers[cluster.uuid] = health.evaluate(
                expected, containers, swarm_nodes, api_error)
        return answers

    @staticmethod
    def _node_containers(host, cluster):
        """{node name: container state} of the cluster's node containers."""
        containers = {}
        for summary in engine.node_containers(host, cluster.uuid):
            name = docker_client.read_label(summary.get('Labels'),
                                            engine.NODE_LABEL)
            if name:
                containers[name] = summary.get('State')
        return containers

    def _swarm_nodes(self, cluster):
        try:
            ca, cert, key = docker_nodes.client_certificate(self.services,
                                                            cluster.uuid)
            with engine.swarm_client(cluster.api_address, ca, cert,
                                     key) as client:
                return {node.attrs['Description']['Hostname']:
                        node.attrs['Status']['State']
                        for node in client.nodes.list()}, None
        except Exception as exc:  # any failure to reach the manager
            return None, 'The manager at %s did not answer: %s' % (
                cluster.api_address, exc)

    @staticmethod
    def _sweep(cluster, report):
        """After Heat's delete: nothing labelled with the cluster stays."""
        try:
            remaining = engine.remove_leftovers(engine.host_client(),
                                                cluster.uuid)
        except Exception as exc:  # the engine may be down: try next sync
            remaining = ['(Docker engine: %s)' % exc]
        if remaining:
            report.state = base.IN_PROGRESS
            report.reason = 'Still removing: %s' % ', '.join(remaining)
            LOG.warning('Cluster %s: %s', cluster.uuid, report.reason)
