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

"""/v1/mservices: the conductors and whether each is up."""

from oslo_utils import timeutils
from pecan import rest

from magnum_lite.api import method
from magnum_lite.api import utils
from magnum_lite.api.views import misc as view
from magnum_lite.common import policy


class MServicesController(rest.RestController):

    @method.expose()
    def get_all(self):
        """GET: every conductor, up when its heartbeat is recent."""
        ctx = utils.context()
        policy.authorize(ctx, 'magnum-service:get_all')
        paging = utils.Paging(utils.query(), int_marker=True)
        rows = utils.dbapi().get_service_list(**paging.db_kwargs())
        now = timeutils.utcnow()
        return utils.collection(
            'mservices', [view.service(r, now) for r in rows],
            paging, 'mservices', rows, marker_attr='id')
