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

"""The pure mapping from driver reports to statuses, table by table."""

import types

import pytest

from magnum_lite.common import states
from magnum_lite.conductor import status
from magnum_lite.drivers import base

S = states


@pytest.mark.parametrize('current, backend, expected', [
    (S.CREATE_IN_PROGRESS, base.IN_PROGRESS, None),
    (S.CREATE_IN_PROGRESS, base.COMPLETE, S.CREATE_COMPLETE),
    (S.CREATE_IN_PROGRESS, base.FAILED, S.CREATE_FAILED),
    (S.CREATE_IN_PROGRESS, base.NOT_FOUND, S.CREATE_FAILED),
    (S.UPDATE_IN_PROGRESS, base.IN_PROGRESS, None),
    (S.UPDATE_IN_PROGRESS, base.COMPLETE, S.UPDATE_COMPLETE),
    (S.UPDATE_IN_PROGRESS, base.FAILED, S.UPDATE_FAILED),
    (S.UPDATE_IN_PROGRESS, base.NOT_FOUND, S.UPDATE_FAILED),
    (S.DELETE_IN_PROGRESS, base.IN_PROGRESS, None),
    (S.DELETE_IN_PROGRESS, base.COMPLETE, S.DELETE_COMPLETE),
    (S.DELETE_IN_PROGRESS, base.NOT_FOUND, S.DELETE_COMPLETE),
    (S.DELETE_IN_PROGRESS, base.FAILED, S.DELETE_FAILED),
    (S.ROLLBACK_IN_PROGRESS, base.COMPLETE, S.ROLLBACK_COMPLETE),
    (S.ROLLBACK_IN_PROGRESS, base.FAILED, S.ROLLBACK_FAILED),
    (S.ROLLBACK_IN_PROGRESS, base.NOT_FOUND, S.ROLLBACK_FAILED),
    # A finished operation is never reopened by the sync.
    (S.CREATE_COMPLETE, base.FAILED, None),
    (S.CREATE_FAILED, base.COMPLETE, None),
    (S.UPDATE_COMPLETE, base.NOT_FOUND, None),
    (S.DELETE_FAILED, base.COMPLETE, None),
])
def test_next_status(current, backend, expected):
    assert status.next_status(current, backend) == expected


def _cluster(**values):
    row = dict(uuid='u-1', name='c1', status=S.CREATE_IN_PROGRESS,
               status_reason=None, backend_status=None, api_address=None,
               coe_version=None, container_version=None, faults=None)
    row.update(values)
    return types.SimpleNamespace(**row)


@pytest.mark.parametrize('row, report, expected', [
    # Completed: status and what the backend knows now.
    ({}, base.ClusterReport(state=base.COMPLETE,
                            backend_status='CREATE_COMPLETE',
                            api_address='https://a:6443'),
     {'status': S.CREATE_COMPLETE, 'backend_status': 'CREATE_COMPLETE',
      'api_address': 'https://a:6443'}),
    # Failed with the backend's reason.
    ({}, base.ClusterReport(state=base.FAILED, reason='quota exceeded'),
     {'status': S.CREATE_FAILED, 'status_reason': 'quota exceeded'}),
    # Failed without one: a reason that says where to look.
    ({}, base.ClusterReport(state=base.FAILED),
     {'status': S.CREATE_FAILED,
      'status_reason': 'The backend reported the operation on cluster c1 '
                       'as failed without a reason; see its faults.'}),
    ({}, base.ClusterReport(state=base.NOT_FOUND),
     {'status': S.CREATE_FAILED,
      'status_reason': 'The backend resources of cluster c1 no longer '
                       'exist; delete it and create it again.'}),
    # Still going: only the fields that changed.
    ({'backend_status': 'CREATE_IN_PROGRESS'},
     base.ClusterReport(state=base.IN_PROGRESS,
                        backend_status='CREATE_IN_PROGRESS',
                        faults={'n0': 'slow'}),
     {'faults': {'n0': 'slow'}}),
    # A reason left by an earlier failure is cleared on success.
    ({'status': S.UPDATE_IN_PROGRESS, 'status_reason': 'old failure'},
     base.ClusterReport(state=base.COMPLETE),
     {'status': S.UPDATE_COMPLETE, 'status_reason': None}),
    # Nothing new at all.
    ({'api_address': 'x'},
     base.ClusterReport(state=base.IN_PROGRESS, api_address='x'), {}),
    # A field the report leaves None is left alone.
    ({'status': S.CREATE_COMPLETE, 'api_address': 'x'},
     base.ClusterReport(state=base.COMPLETE), {}),
])
def test_cluster_changes(row, report, expected):
    assert status.cluster_changes(_cluster(**row), report) == expected


@pytest.mark.parametrize('row, report, expected', [
    ({'status': S.CREATE_IN_PROGRESS, 'node_addresses': []},
     base.NodeGroupReport(state=base.COMPLETE, node_addresses=['10.0.0.1']),
     {'status': S.CREATE_COMPLETE, 'node_addresses': ['10.0.0.1']}),
    ({'status': S.DELETE_IN_PROGRESS, 'node_addresses': ['10.0.0.1']},
     base.NodeGroupReport(state=base.NOT_FOUND),
     {'status': S.DELETE_COMPLETE}),
    ({'status': S.UPDATE_IN_PROGRESS, 'node_addresses': ['10.0.0.1']},
     base.NodeGroupReport(state=base.FAILED, reason='no capacity'),
     {'status': S.UPDATE_FAILED, 'status_reason': 'no capacity'}),
    ({'status': S.CREATE_COMPLETE, 'node_addresses': ['10.0.0.1']},
     base.NodeGroupReport(state=base.COMPLETE, node_addresses=['10.0.0.1']),
     {}),
    ({'status': S.CREATE_COMPLETE, 'stack_id': None},
     base.NodeGroupReport(backend_id='stack-2'), {'stack_id': 'stack-2'}),
])
def test_nodegroup_changes(row, report, expected):
    values = dict(name='ng', status_reason=None, node_addresses=None,
                  stack_id=None)
    values.update(row)
    assert status.nodegroup_changes(types.SimpleNamespace(**values),
                                    report) == expected
