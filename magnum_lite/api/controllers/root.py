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

"""The root of the API: the version document and the v1 mount."""

import pecan
import webob.exc

from magnum_lite.api.controllers import v1
from magnum_lite.api import method
from magnum_lite.api import utils
from magnum_lite.api import versions


def version_document():
    return {
        'id': 'v1',
        'status': 'CURRENT',
        'min_version': str(versions.MIN_VERSION),
        'max_version': str(versions.MAX_VERSION),
        'links': [{'href': '%s/v1/' % utils.base_url(), 'rel': 'self'}],
    }


class RootController:

    v1 = v1.V1Controller()

    @method.expose()
    def index(self):
        """GET /: the versions this API serves (no token needed)."""
        if pecan.request.method not in ('GET', 'HEAD'):
            raise webob.exc.HTTPMethodNotAllowed()
        return {
            'name': 'OpenStack Magnum API',
            'description': 'Magnum is an OpenStack project which aims to '
                           'provide container cluster management.',
            'versions': [version_document()],
        }

    @pecan.expose()
    def _lookup(self, *remainder):
        # Magnum serves /clusters as /v1/clusters: its bookmark links
        # point there, so the same routes work without the prefix.
        return self.v1, list(remainder)
