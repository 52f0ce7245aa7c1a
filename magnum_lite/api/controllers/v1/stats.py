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

"""/v1/stats: how many clusters and nodes a project (or everyone) has."""

from pecan import rest

from magnum_lite.api import method
from magnum_lite.api import utils
from magnum_lite.common import exception
from magnum_lite.common import policy

STAT_TYPES = ('cluster',)


class StatsController(rest.RestController):

    @method.expose()
    def get_all(self):
        """GET ?project_id=&type=cluster: {"clusters", "nodes"}."""
        ctx = utils.context()
        params = utils.query()
        stat_type = params.get('type')
        if stat_type is not None and stat_type not in STAT_TYPES:
            raise exception.InvalidParameterValue(
                err='Invalid stats type %r: must be cluster.' % stat_type)
        project_id = params.get('project_id') or None
        if ctx.is_admin:
            policy.authorize(ctx, 'stats:get_all')
            ctx.all_tenants = True
        else:
            if project_id is None:
                project_id = ctx.project_id
            # Another project's numbers are refused, not hidden.
            policy.authorize(ctx, 'stats:get_all',
                             {'project_id': project_id})
        clusters, nodes = utils.dbapi().get_cluster_stats(ctx, project_id)
        return {'clusters': clusters, 'nodes': nodes}
