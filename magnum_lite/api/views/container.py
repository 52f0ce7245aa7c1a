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

"""How a container row is answered (microversion 1.15).

The members of Magnum's former container API, with cluster_uuid beside
its old name bay_uuid, plus where it runs and why it failed.
"""

from magnum_lite.api import utils


def format(row):
    return {
        'uuid': row.uuid,
        'name': row.name,
        'image': row.image,
        'command': row.command,
        'environment': dict(row.environment or {}),
        'memory': row.memory,
        'cluster_uuid': row.cluster_uuid,
        'bay_uuid': row.cluster_uuid,
        'host': row.host,
        'status': row.status,
        'status_reason': row.status_reason,
        'project_id': row.project_id,
        'user_id': row.user_id,
        'links': utils.links('containers', row.uuid),
        'created_at': utils.isotime(row.created_at),
        'updated_at': utils.isotime(row.updated_at),
    }
