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

"""/v1/credentials/{cluster}: rotate the credentials a cluster uses."""

from pecan import rest

from magnum_lite.api import method
from magnum_lite.api import utils
from magnum_lite.api import versions
from magnum_lite.common import policy


class CredentialsController(rest.RestController):

    @method.expose(202)
    def patch(self, cluster_ident):
        """PATCH (no body): rotate; 202 {"uuid"}, 400 if not supported."""
        versions.require(method.api_version(), versions.CREDENTIALS,
                         'credential rotation')
        from magnum_lite.api.controllers.v1 import clusters
        ctx = utils.context()
        cluster = clusters.find_cluster(cluster_ident,
                                        'cluster:update_all_projects')
        policy.authorize(ctx, 'credential:rotate', utils.target_of(cluster))
        utils.rpcapi().rotate_credential(ctx, cluster.uuid)
        return {'uuid': cluster.uuid}
