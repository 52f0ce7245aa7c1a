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

"""What a Heat stack status means for a cluster operation (pure)."""

from magnum_lite.drivers import base

# Heat ends a failed update that it rolled back in ROLLBACK_COMPLETE: the
# stack is healthy again, but the operation the user asked for failed.
_FAILED_WHEN_COMPLETE = ('ROLLBACK_COMPLETE',)


# The Heat actions that carry out an operation of a cluster (the word
# before _IN_PROGRESS in its status). A stack showing another action has
# not been reached by the operation yet: its status is the end of an
# earlier operation and must not end this one (a delete asked of a
# cluster whose create failed would otherwise fail at once). Only a
# delete always acts on the stack it is judged by: an update of a cluster
# may be carried by a nodegroup's own stack while the cluster's stays as
# its create left it, so updates are judged as before.
OPERATION_ACTIONS = {
    'DELETE': ('DELETE',),
}


def operation_of(status):
    """The operation a cluster or nodegroup status is in, or None."""
    if status and status.endswith('_IN_PROGRESS'):
        return status[:-len('_IN_PROGRESS')]
    return None


def backend_state(stack_status, operation=None):
    """Map a Heat stack status to one of base.BACKEND_STATES.

    `operation` (e.g. 'DELETE', or None) is the one the cluster or
    nodegroup is in; a stack status of an action that does not carry it
    out (OPERATION_ACTIONS) is no news.
    """
    if stack_status is None:
        return base.NOT_FOUND
    if stack_status == 'DELETE_COMPLETE':
        return base.NOT_FOUND
    action = stack_status.split('_', 1)[0]
    if action not in OPERATION_ACTIONS.get(operation, (action,)):
        return base.IN_PROGRESS
    if stack_status.endswith('_IN_PROGRESS'):
        return base.IN_PROGRESS
    if stack_status.endswith('_FAILED') or (
            stack_status in _FAILED_WHEN_COMPLETE):
        return base.FAILED
    if stack_status.endswith('_COMPLETE'):
        return base.COMPLETE
    return base.IN_PROGRESS
