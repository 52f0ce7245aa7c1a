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

"""Containers on a Swarm cluster's nodes (API microversion 1.15).

A container is a plain Docker container on one node of the cluster,
reached through that node's Docker API by the ContainerHost of the
cluster's driver (magnum_lite.drivers.base). Create is a cast: the API
wrote the row in Creating; a worker places it on the node with the fewest
of our containers, has the driver make the image available on the node,
creates and starts it, and leaves the row in Running (or Created, or
Error with the reason). Every other operation is a call that acts on the
node and answers with its result.

Status is read from `docker inspect` by a pure mapping (`status_of`). The
API refreshes the rows it answers with through `refresh`, one inspect per
container, so a list or show never reports a state older than the
request; a node that cannot be reached leaves the last known status.
"""

import threading

from docker import errors as docker_errors
from oslo_log import log as logging
from oslo_utils import timeutils
import requests

from magnum_lite.common import containers as rules
from magnum_lite.common import context as ml_context
from magnum_lite.common import docker_client
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import clusters
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

# Docker label naming the container row a Docker container belongs to
# (containers made by earlier releases carry magnum_lite.container).
CONTAINER_LABEL = docker_client.label('magnum-lite', 'container')
# Longer than any image copy and create should take.
STALE_CREATE_SECONDS = 900

# Placement decisions of a cluster are made one at a time, so two
# creates never both pick the node that was emptiest before either.
_placement_locks = {}
_placement_guard = threading.Lock()


# -- pure rules ------------------------------------------------------------

def pick_node(nodes, counts):
    """The node with the fewest containers; the first listed on a tie.

    `nodes` is the ordered list of candidate nodes, `counts` maps a node
    to how many of our containers it has now (missing means none).
    """
    if not nodes:
        raise exception.Conflict('The cluster has no node to run a '
                                 'container on.')
    return min(nodes, key=lambda node: (counts.get(node, 0),
                                        nodes.index(node)))


def status_of(state):
    """(status, reason) of a `docker inspect` State dict (None: gone)."""
    if state is None:
        return states.CONTAINER_ERROR, 'The container is gone from its node.'
    docker_status = (state.get('Status') or '').lower()
    error = state.get('Error') or None
    if docker_status == 'created':
        if error:
            return states.CONTAINER_ERROR, error
        return states.CONTAINER_CREATED, None
    if docker_status == 'paused' or (docker_status == 'running' and
                                     state.get('Paused')):
        return states.CONTAINER_PAUSED, None
    if docker_status in ('running', 'restarting'):
        return states.CONTAINER_RUNNING, None
    if docker_status in ('exited', 'removing'):
        if error:
            return states.CONTAINER_ERROR, error
        return states.CONTAINER_STOPPED, None
    if docker_status == 'dead':
        return states.CONTAINER_ERROR, error or 'Docker reports it dead.'
    return states.CONTAINER_UNKNOWN, 'Docker status %r' % docker_status


# A nodegroup in these states is (partly) gone with its nodes.
_LEAVING = (states.DELETE_IN_PROGRESS, states.DELETE_FAILED,
            states.DELETE_COMPLETE)


def candidate_nodes(cluster):
    """Addresses of the nodes containers may run on, workers first.

    The nodes of every worker nodegroup, the default one first, then the
    others in the order they were made; every node's certificate names
    its address. A nodegroup being deleted takes no new container.
    Managers run containers only when there are no workers, as on a
    one-node swarm.
    """
    def nodes(master):
        groups = [ng for ng in cluster.nodegroups
                  if (ng.role == states.NODEGROUP_ROLE_MASTER) == master and
                  ng.status not in _LEAVING]
        groups.sort(key=lambda ng: not ng.is_default)  # stable
        return [address for ng in groups
                for address in ng.node_addresses or []]

    return nodes(master=False) or nodes(master=True)


# -- helpers -----------------------------------------------------------------

def _admin():
    return ml_context.make_admin_context(all_tenants=True)


def _placement_lock(cluster_uuid):
    with _placement_guard:
        return _placement_locks.setdefault(cluster_uuid, threading.Lock())


# What talking to a node's Docker API can raise: its own errors, and the
# connection's when the node cannot be reached.
NODE_ERRORS = (docker_errors.APIError, requests.exceptions.RequestException)


def _unreachable(host, exc):
    return exception.ContainerActionFailed(
        reason='node %s cannot be reached: %s' % (host, exc))


def _docker_failure(action, row, exc):
    """A Docker API error as one of our exceptions (4xx where it is ours).

    A node that does not answer is a 503 that names the node.
    """
    if not isinstance(exc, docker_errors.APIError):
        return _unreachable(row.host, 'cannot %s container %s: %s' % (
            action, row.name or row.uuid, exc))
    explanation = getattr(exc, 'explanation', None) or str(exc)
    status = getattr(getattr(exc, 'response', None), 'status_code', None)
    message = 'Cannot %s container %s: %s' % (action, row.name or row.uuid,
                                              explanation)
    if status == 409 or status == 304:
        return exception.Conflict(message)
    if status is not None and 400 <= status < 500:
        return exception.InvalidParameterValue(err=message)
    return exception.ContainerActionFailed(reason=message)


def _container_host(dbapi, cluster_uuid):
    """The ContainerHost of a cluster's driver."""
    return clusters.container_host(
        dbapi, clusters.get_cluster(dbapi, cluster_uuid))


class _Node:
    """A node's Docker client for one row, closed on exit.

    `host` is the ContainerHost of the row's cluster (looked up when not
    given).
    """

    def __init__(self, dbapi, row, host=None):
        self.dbapi = dbapi
        self.row = row
        self.host = host
        self.client = None

    def __enter__(self):
        if not self.row.host:
            raise exception.Conflict(
                'Container %s is not placed on a node yet (status %s).'
                % (self.row.name or self.row.uuid, self.row.status))
        host = self.host or _container_host(self.dbapi, self.row.cluster_uuid)
        try:
            self.client = host.node_client(self.row.cluster_uuid,
                                           self.row.host)
        except docker_errors.DockerException as exc:
            raise _unreachable(self.row.host, exc)
        return self.client

    def __exit__(self, *exc_info):
        if self.client is not None:
            self.client.close()


def _inspect_state(client, row):
    if not row.container_id:
        return None
    try:
        return client.api.inspect_container(row.container_id)['State']
    except docker_errors.NotFound:
        return None
    except NODE_ERRORS as exc:
        raise _docker_failure('inspect', row, exc)


def _record_state(dbapi, client, row):
    status, reason = status_of(_inspect_state(client, row))
    if (status, reason) == (row.status, row.status_reason):
        return row
    try:
        # From the status read: a writer that raced us has the newer word.
        return dbapi.update_container(
            row.uuid, {'status': status, 'status_reason': reason},
            expected_status=(row.status,))
    except exception.OperationInProgress:
        return dbapi.get_container_by_uuid(None, row.uuid)


# -- create ------------------------------------------------------------------

def place(dbapi, row, cluster):
    """Choose the node of a new container and record it on the row."""
    nodes = candidate_nodes(cluster)
    with _placement_lock(cluster.uuid):
        counts = {}
        for other in dbapi.get_container_list(
                _admin(), filters={'cluster_uuid': cluster.uuid}):
            # A container that never reached its node takes no room.
            made = other.container_id or \
                other.status == states.CONTAINER_CREATING
            if other.host and made and other.uuid != row.uuid:
                counts[other.host] = counts.get(other.host, 0) + 1
        node = pick_node(nodes, counts)
        return dbapi.update_container(row.uuid, {'host': node})


def create(dbapi, container_uuid):
    """Place, provide the image, create and start; the row ends Running."""
    row = dbapi.get_container_by_uuid(None, container_uuid)
    cluster = dbapi.get_cluster_by_uuid(None, row.cluster_uuid)
    host = clusters.container_host(dbapi, cluster)
    row = place(dbapi, row, cluster)
    with _Node(dbapi, row, host) as client:
        host.ensure_image(cluster, client, row.image)
        try:
            made = client.api.create_container(
                row.image, command=rules.command_args(row.command),
                environment=dict(row.environment or {}),
                labels={CONTAINER_LABEL: row.uuid},
                name='magnum-lite-%s' % row.uuid,
                host_config=client.api.create_host_config(
                    mem_limit=rules.memory_bytes(row.memory)))
        except NODE_ERRORS as exc:
            raise _docker_failure('create', row, exc)
        # Still Creating until the start's outcome is known: Created is
        # what Docker says of a container that never started.
        row = dbapi.update_container(row.uuid, {'container_id': made['Id']})
        try:
            client.api.start(made['Id'])
        except NODE_ERRORS as exc:
            raise _docker_failure('start', row, exc)
        row = _record_state(dbapi, client, row)
    LOG.info('Container %s runs on node %s of cluster %s', row.uuid,
             row.host, row.cluster_uuid)
    return row


def create_failed(dbapi, container_uuid, reason):
    try:
        dbapi.update_container(container_uuid,
                               {'status': states.CONTAINER_ERROR,
                                'status_reason': reason})
    except exception.ContainerNotFound:
        LOG.info('Container %s was deleted while being made',
                 container_uuid)


# -- calls ---------------------------------------------------------------------

def _stop_timeout():
    return CONF.docker.container_stop_timeout


_ACTIONS = {
    'start': lambda api, cid: api.start(cid),
    'stop': lambda api, cid: api.stop(cid, timeout=_stop_timeout()),
    'reboot': lambda api, cid: api.restart(cid, timeout=_stop_timeout()),
    'pause': lambda api, cid: api.pause(cid),
    'unpause': lambda api, cid: api.unpause(cid),
}
ACTIONS = tuple(_ACTIONS)


def _settled(row, now=None):
    """The row, unless its create is still running (409).

    A create older than STALE_CREATE_SECONDS is taken as lost (its
    conductor stopped mid-way) so the container can at least be deleted.
    """
    now = now or timeutils.utcnow()
    started = row.updated_at or row.created_at
    stale = started is not None and (
        now - started).total_seconds() > STALE_CREATE_SECONDS
    if row.status == states.CONTAINER_CREATING and not stale:
        raise exception.OperationInProgress(
            resource='Container', name=row.name or row.uuid,
            status=row.status)
    return row


def action(dbapi, row, name):
    """Run start/stop/reboot/pause/unpause; the row's new status."""
    _settled(row)
    with _Node(dbapi, row) as client:
        if not row.container_id:
            raise exception.Conflict('Container %s was never created on '
                                     'its node: %s' % (row.name or row.uuid,
                                                       row.status_reason))
        try:
            _ACTIONS[name](client.api, row.container_id)
        except NODE_ERRORS as exc:
            raise _docker_failure(name, row, exc)
        return _record_state(dbapi, client, row)


def logs(dbapi, row):
    _settled(row)
    if row.host and not row.container_id:
        # Placed, but its create failed before Docker made it: there are
        # no logs, and the node may be why (do not reach for it again).
        raise exception.Conflict('Container %s was never created on its '
                                 'node: %s' % (row.name or row.uuid,
                                               row.status_reason))
    with _Node(dbapi, row) as client:
        try:
            output = client.api.logs(row.container_id, stdout=True,
                                     stderr=True)
        except NODE_ERRORS as exc:
            raise _docker_failure('read the logs of', row, exc)
    return output.decode('utf-8', 'replace')


def execute(dbapi, row, command):
    """(exit code, output) of `command` run inside the container."""
    _settled(row)
    args = rules.command_args(command)
    if not args:
        raise exception.InvalidParameterValue(err='command is required')
    with _Node(dbapi, row) as client:
        try:
            exec_id = client.api.exec_create(row.container_id, args,
                                             stdout=True, stderr=True)['Id']
            output = client.api.exec_start(exec_id)
            code = client.api.exec_inspect(exec_id).get('ExitCode')
        except NODE_ERRORS as exc:
            raise _docker_failure('run a command in', row, exc)
    return code, output.decode('utf-8', 'replace')


def _cluster_exists(dbapi, cluster_uuid):
    try:
        dbapi.get_cluster_by_uuid(None, cluster_uuid)
        return True
    except exception.ClusterNotFound:
        return False


def delete(dbapi, row):
    """Remove the Docker container (if any), then the row.

    A container whose cluster is gone went with its node: only its row
    is left to remove.
    """
    _settled(row)
    if row.host and row.container_id and _cluster_exists(dbapi,
                                                         row.cluster_uuid):
        with _Node(dbapi, row) as client:
            try:
                client.api.remove_container(row.container_id, force=True,
                                            v=True)
            except docker_errors.NotFound:
                pass
            except NODE_ERRORS as exc:
                raise _docker_failure('delete', row, exc)
    dbapi.destroy_container(row.uuid)


def refresh(dbapi, rows):
    """Read the current status of settled rows from their nodes.

    One client per node for all its rows. Best effort: a node that cannot
    be reached keeps its rows as they were.
    """
    by_node = {}
    for row in rows:
        if row.status != states.CONTAINER_CREATING and row.host:
            by_node.setdefault((row.cluster_uuid, row.host), []).append(row)
    for (_cluster_uuid, host), node_rows in by_node.items():
        try:
            with _Node(dbapi, node_rows[0]) as client:
                for row in node_rows:
                    _record_state(dbapi, client, row)
        except Exception as exc:  # one node down must not fail the list
            LOG.warning('Containers on node %s: status not refreshed: %s',
                        host, exc)
