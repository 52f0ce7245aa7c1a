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


def backend_state(stack_status):
    """Map a Heat stack status to one of base.BACKEND_STATES."""
    if stack_status is None:
        return base.NOT_FOUND
    if stack_status == 'DELETE_COMPLETE':
        return base.NOT_FOUND
    if stack_status.endswith('_IN_PROGRESS'):
        return base.IN_PROGRESS
    if stack_status.endswith('_FAILED') or (
            stack_status in _FAILED_WHEN_COMPLETE):
        return base.FAILED
    if stack_status.endswith('_COMPLETE'):
        return base.COMPLETE
    return base.IN_PROGRESS
