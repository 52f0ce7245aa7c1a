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

"""/v1/bays: clusters under their bay-era names.

Not a second implementation: the same controller, rows and policies as
/v1/clusters, with baymodel_id, bay_create_timeout and bay_faults for
cluster_template_id, create_timeout and faults. As in Magnum, a bay
create or update at microversion 1.1 answers with the bay itself.
"""

import copy

from magnum_lite.api.controllers.v1 import clusters
from magnum_lite.api import method
from magnum_lite.api.schemas.v1 import cluster as schema
from magnum_lite.api.views import cluster as view

REQUEST_RENAMES = {new: old for old, new in view.BAY_RENAMES.items()}


class BaysController(clusters.ClustersController):

    resource = 'bays'
    collection_key = 'bays'
    sync_before_1_2 = True
    # Bays never had nodegroups or actions.
    nodegroups = None
    actions = None

    def format(self, row, detail=False, template_labels=None):
        return view.format_bay(row, method.api_version(), detail,
                               template_labels)

    def to_values(self, body):
        if not isinstance(body, dict):
            return body
        return {REQUEST_RENAMES.get(k, k): v for k, v in body.items()}

    def create_schema(self, version):
        # A bay always has at least one node.
        result = copy.deepcopy(schema.create(version))
        result['properties']['node_count']['minimum'] = 1
        return result
