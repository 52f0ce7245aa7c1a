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

"""A cluster driver for the tests: no backend, answers from the rows.

It keeps no state of its own, so a conductor restarted in a functional
test finds its clusters where it left them. Each operation is accepted at
once and reported finished on the next status poll. Labels steer it:

- fake_fail: comma-separated operations (create, update, delete) that the
  backend reports as failed, with a reason;
- fake_raise: operations whose driver call itself raises;
- fake_delay: seconds an operation stays in progress before it finishes.
"""

import datetime
import threading

from oslo_utils import timeutils

from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.drivers import base
from magnum_lite.drivers import docker_nodes

OPERATIONS = ('create', 'update', 'delete')
_OPERATION_LIST = '^(%s)(,(%s))*$' % ('|'.join(OPERATIONS),
                                      '|'.join(OPERATIONS))


def _operations(labels, key):
    value = (labels or {}).get(key) or ''
    return {op.strip() for op in value.split(',') if op.strip()}


class FakeDriver(base.ClusterDriver):

    provides = [
        ('vm', 'fedora-coreos', 'kubernetes'),
        ('vm', 'ubuntu', 'kubernetes'),
        # A template whose image distribution is unknown (no Glance).
        ('vm', 'any', 'kubernetes'),
        ('vm', 'fedora-coreos', 'swarm-mode'),
        ('bm', 'fedora', 'kubernetes'),
        ('container', 'any', 'swarm-mode'),
        ('container', 'any', 'kubernetes'),
    ]

    labels_schema = {
        'type': 'object',
        'properties': {
            'fake_fail': {'type': 'string', 'pattern': _OPERATION_LIST},
            'fake_raise': {'type': 'string', 'pattern': _OPERATION_LIST},
            'fake_delay': {'type': 'string', 'pattern': '^[0-9]+$'},
        },
    }

    # Calls seen in this process, for unit tests: (method, cluster uuid,
    # extra arguments). Shared by every instance.
    calls = []
    _calls_lock = threading.Lock()

    def _record(self, method, cluster, **kwargs):
        with self._calls_lock:
            self.calls.append((method, cluster.uuid, kwargs))
        if method.split('_')[0] in ('resize', 'upgrade', 'rotate'):
            operation = 'update'
        else:
            operation = method.split('_')[0]
        if operation in _operations(cluster.labels, 'fake_raise'):
            raise exception.MagnumLiteException(
                'The fake backend refused to %s cluster %s (label '
                'fake_raise).' % (operation, cluster.name))

    def create_cluster(self, context, cluster, nodegroups, timeout):
        self._record('create_cluster', cluster, timeout=timeout,
                     nodegroups=[ng.name for ng in nodegroups])
        return 'fake-' + cluster.uuid

    def update_cluster(self, context, cluster, nodegroups, rollback=False):
        self._record('update_cluster', cluster, rollback=rollback)

    def resize_cluster(self, context, cluster, nodegroup, node_count,
                       nodes_to_remove):
        self._record('resize_cluster', cluster, nodegroup=nodegroup.uuid,
                     node_count=node_count, nodes_to_remove=nodes_to_remove)

    def upgrade_cluster(self, context, cluster, cluster_template,
                        max_batch_size, nodegroup=None):
        self._record('upgrade_cluster', cluster,
                     cluster_template=cluster_template.uuid,
                     max_batch_size=max_batch_size,
                     nodegroup=nodegroup.uuid if nodegroup else None)

    def delete_cluster(self, context, cluster):
        self._record('delete_cluster', cluster)

    def create_nodegroup(self, context, cluster, nodegroup):
        self._record('create_nodegroup', cluster, nodegroup=nodegroup.uuid)
        return 'fake-ng-' + nodegroup.uuid

    def update_nodegroup(self, context, cluster, nodegroup):
        self._record('update_nodegroup', cluster, nodegroup=nodegroup.uuid)

    def delete_nodegroup(self, context, cluster, nodegroup):
        self._record('delete_nodegroup', cluster, nodegroup=nodegroup.uuid)

    def container_host(self):
        # Containers go to nodes the way they go to a swarm's, so the
        # container RPCs can be tested against any address.
        return docker_nodes.NodeContainerHost(self.services)

    def rotate_ca_certificate(self, context, cluster):
        self._record('rotate_ca_certificate', cluster)

    def get_status(self, context, clusters):
        return {cluster.uuid: self._report(cluster) for cluster in clusters}

    @staticmethod
    def _still_running(cluster):
        delay = int((cluster.labels or {}).get('fake_delay') or 0)
        if not delay or cluster.updated_at is None:
            return False
        age = timeutils.utcnow() - cluster.updated_at
        return age < datetime.timedelta(seconds=delay)

    def _report(self, cluster):
        operation = (cluster.status or '').split('_')[0].lower()
        if cluster.status not in states.IN_PROGRESS:
            return base.ClusterReport(state=base.COMPLETE,
                                      backend_status=cluster.status)
        if self._still_running(cluster):
            return base.ClusterReport(
                state=base.IN_PROGRESS,
                backend_status=operation.upper() + '_IN_PROGRESS')
        if operation in _operations(cluster.labels, 'fake_fail'):
            reason = ('The fake backend failed to %s cluster %s: '
                      'node fake-node-0 did not boot (label fake_fail).'
                      % (operation, cluster.name))
            return base.ClusterReport(
                state=base.FAILED, reason=reason,
                backend_status=operation.upper() + '_FAILED',
                faults={'fake-node-0': 'did not boot'},
                nodegroups={ng.uuid: base.NodeGroupReport(
                    state=base.FAILED, reason=reason)
                    for ng in cluster.nodegroups
                    if ng.status in states.IN_PROGRESS})
        if operation == 'delete':
            return base.ClusterReport(state=base.NOT_FOUND,
                                      backend_status='DELETE_COMPLETE')
        return base.ClusterReport(
            state=base.COMPLETE,
            backend_status=operation.upper() + '_COMPLETE',
            api_address='https://192.0.2.1:6443',
            coe_version='v1.30.0',
            container_version='1.7.0',
            faults={},
            nodegroups={ng.uuid: self._nodegroup_report(ng)
                        for ng in cluster.nodegroups})

    @staticmethod
    def _nodegroup_report(nodegroup):
        if nodegroup.status == states.DELETE_IN_PROGRESS:
            return base.NodeGroupReport(state=base.NOT_FOUND)
        prefix = '192.0.2.%d' if nodegroup.role == 'master' else '198.51.100.%d'
        return base.NodeGroupReport(
            state=base.COMPLETE,
            node_addresses=[prefix % (10 + i)
                            for i in range(nodegroup.node_count or 0)])


class BasicFakeDriver(FakeDriver):
    """A fake driver that keeps the base class's optional operations.

    It serves one type of its own, so tests reach it by type or by name.
    """

    provides = [('bm', 'fedora-atomic', 'kubernetes')]

    rotate_ca_certificate = base.ClusterDriver.rotate_ca_certificate
