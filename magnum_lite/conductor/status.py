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

"""From a driver's report to a cluster's or nodegroup's status.

Pure functions, table-tested: the periodic sync reads a row, asks the
driver, and writes only what these functions say changed.
"""

from magnum_lite.common import states
from magnum_lite.drivers import base

# (status the row is in, backend state) → status to write. A pair not
# listed leaves the row as it is: a finished operation is never reopened by
# the sync, and "in progress" is no news.
TRANSITIONS = {
    (states.CREATE_IN_PROGRESS, base.COMPLETE): states.CREATE_COMPLETE,
    (states.CREATE_IN_PROGRESS, base.FAILED): states.CREATE_FAILED,
    (states.CREATE_IN_PROGRESS, base.NOT_FOUND): states.CREATE_FAILED,
    (states.UPDATE_IN_PROGRESS, base.COMPLETE): states.UPDATE_COMPLETE,
    (states.UPDATE_IN_PROGRESS, base.FAILED): states.UPDATE_FAILED,
    (states.UPDATE_IN_PROGRESS, base.NOT_FOUND): states.UPDATE_FAILED,
    (states.DELETE_IN_PROGRESS, base.COMPLETE): states.DELETE_COMPLETE,
    (states.DELETE_IN_PROGRESS, base.NOT_FOUND): states.DELETE_COMPLETE,
    (states.DELETE_IN_PROGRESS, base.FAILED): states.DELETE_FAILED,
    (states.ROLLBACK_IN_PROGRESS, base.COMPLETE): states.ROLLBACK_COMPLETE,
    (states.ROLLBACK_IN_PROGRESS, base.FAILED): states.ROLLBACK_FAILED,
    (states.ROLLBACK_IN_PROGRESS, base.NOT_FOUND): states.ROLLBACK_FAILED,
}

_NOT_FOUND_REASON = ('The backend resources of %(what)s no longer exist; '
                     'delete it and create it again.')
_FAILED_REASON = ('The backend reported the operation on %(what)s as '
                  'failed without a reason; see its faults.')


def next_status(current, backend_state):
    """The status to move to, or None to stay."""
    return TRANSITIONS.get((current, backend_state))


def _reason(new_status, backend_state, reason, what):
    if reason:
        return reason
    if new_status.endswith('_FAILED'):
        template = (_NOT_FOUND_REASON if backend_state == base.NOT_FOUND
                    else _FAILED_REASON)
        return template % {'what': what}
    return None


def cluster_changes(cluster, report):
    """Columns of the cluster row to update from a ClusterReport.

    Returns a dict holding only the values that differ from the row (empty
    when nothing changed).
    """
    wanted = {}
    new_status = next_status(cluster.status, report.state)
    if new_status:
        wanted['status'] = new_status
        wanted['status_reason'] = _reason(
            new_status, report.state, report.reason,
            'cluster %s' % (cluster.name or cluster.uuid))
    for column in ('backend_status', 'api_address', 'coe_version',
                   'container_version', 'faults'):
        value = getattr(report, column)
        if value is not None:
            wanted[column] = value
    return {column: value for column, value in wanted.items()
            if getattr(cluster, column) != value}


def nodegroup_changes(nodegroup, report):
    """Columns of a nodegroup row to update from a NodeGroupReport."""
    wanted = {}
    new_status = next_status(nodegroup.status, report.state)
    if new_status:
        wanted['status'] = new_status
        wanted['status_reason'] = _reason(
            new_status, report.state, report.reason,
            'nodegroup %s' % nodegroup.name)
    if report.node_addresses is not None:
        wanted['node_addresses'] = list(report.node_addresses)
    if report.backend_id is not None:
        wanted['stack_id'] = report.backend_id
    return {column: value for column, value in wanted.items()
            if getattr(nodegroup, column) != value}
