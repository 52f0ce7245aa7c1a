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

"""Status values of clusters, nodegroups and federations.

These are magnum-lite's own domain states; they keep Magnum's spelling so
clients that compare strings keep working. The raw backend status (e.g.
Heat's) is stored beside them for debugging, never used as the domain.
"""

CREATE_IN_PROGRESS = 'CREATE_IN_PROGRESS'
CREATE_FAILED = 'CREATE_FAILED'
CREATE_COMPLETE = 'CREATE_COMPLETE'
UPDATE_IN_PROGRESS = 'UPDATE_IN_PROGRESS'
UPDATE_FAILED = 'UPDATE_FAILED'
UPDATE_COMPLETE = 'UPDATE_COMPLETE'
DELETE_IN_PROGRESS = 'DELETE_IN_PROGRESS'
DELETE_FAILED = 'DELETE_FAILED'
DELETE_COMPLETE = 'DELETE_COMPLETE'
RESUME_COMPLETE = 'RESUME_COMPLETE'
RESUME_FAILED = 'RESUME_FAILED'
RESTORE_COMPLETE = 'RESTORE_COMPLETE'
ROLLBACK_IN_PROGRESS = 'ROLLBACK_IN_PROGRESS'
ROLLBACK_FAILED = 'ROLLBACK_FAILED'
ROLLBACK_COMPLETE = 'ROLLBACK_COMPLETE'
SNAPSHOT_COMPLETE = 'SNAPSHOT_COMPLETE'
CHECK_COMPLETE = 'CHECK_COMPLETE'
ADOPT_COMPLETE = 'ADOPT_COMPLETE'

ALL = (CREATE_IN_PROGRESS, CREATE_FAILED, CREATE_COMPLETE,
       UPDATE_IN_PROGRESS, UPDATE_FAILED, UPDATE_COMPLETE,
       DELETE_IN_PROGRESS, DELETE_FAILED, DELETE_COMPLETE,
       RESUME_COMPLETE, RESUME_FAILED, RESTORE_COMPLETE,
       ROLLBACK_IN_PROGRESS, ROLLBACK_FAILED, ROLLBACK_COMPLETE,
       SNAPSHOT_COMPLETE, CHECK_COMPLETE, ADOPT_COMPLETE)

IN_PROGRESS = (CREATE_IN_PROGRESS, UPDATE_IN_PROGRESS, DELETE_IN_PROGRESS,
               ROLLBACK_IN_PROGRESS)

FAILED = (CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED, ROLLBACK_FAILED,
          RESUME_FAILED)

# A cluster may start an update, resize, upgrade or CA rotation only from
# one of these (Magnum's rule, kept so clients see the same answers).
UPDATE_ALLOWED_FROM = (CREATE_COMPLETE, UPDATE_COMPLETE, RESUME_COMPLETE,
                       RESTORE_COMPLETE, ROLLBACK_COMPLETE, SNAPSHOT_COMPLETE,
                       CHECK_COMPLETE, ADOPT_COMPLETE)

# Resize may also recover a failed or stuck scale (the cluster autoscaler
# relies on this).
RESIZE_ALLOWED_FROM = UPDATE_ALLOWED_FROM + (UPDATE_FAILED,
                                             UPDATE_IN_PROGRESS)

# Delete is refused only while another delete runs.
DELETE_ALLOWED_FROM = tuple(s for s in ALL if s != DELETE_IN_PROGRESS)

HEALTHY = 'HEALTHY'
UNHEALTHY = 'UNHEALTHY'
UNKNOWN = 'UNKNOWN'
HEALTH_STATUSES = (HEALTHY, UNHEALTHY, UNKNOWN)

NODEGROUP_ROLE_MASTER = 'master'
NODEGROUP_ROLE_WORKER = 'worker'
DEFAULT_MASTER_NODEGROUP = 'default-master'
DEFAULT_WORKER_NODEGROUP = 'default-worker'

COE_KUBERNETES = 'kubernetes'
COE_SWARM = 'swarm'
COE_SWARM_MODE = 'swarm-mode'
COES = (COE_KUBERNETES, COE_SWARM, COE_SWARM_MODE)

SERVER_TYPES = ('vm', 'bm', 'container')

QUOTA_RESOURCES = ('Cluster',)

# Containers (/v1/containers, microversion 1.15): the words of Magnum's
# former container API, plus Creating and Created before the first start.
CONTAINER_CREATING = 'Creating'
CONTAINER_CREATED = 'Created'
CONTAINER_RUNNING = 'Running'
CONTAINER_STOPPED = 'Stopped'
CONTAINER_PAUSED = 'Paused'
CONTAINER_ERROR = 'Error'
CONTAINER_UNKNOWN = 'Unknown'
CONTAINER_STATUSES = (CONTAINER_CREATING, CONTAINER_CREATED,
                      CONTAINER_RUNNING, CONTAINER_STOPPED, CONTAINER_PAUSED,
                      CONTAINER_ERROR, CONTAINER_UNKNOWN)
