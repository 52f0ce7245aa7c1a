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

"""The v1 API: its description document and its resources."""

import pecan
import webob.exc

from magnum_lite.api.controllers.v1 import bays
from magnum_lite.api.controllers.v1 import certificates
from magnum_lite.api.controllers.v1 import cluster_templates
from magnum_lite.api.controllers.v1 import clusters
from magnum_lite.api.controllers.v1 import containers
from magnum_lite.api.controllers.v1 import credentials
from magnum_lite.api.controllers.v1 import federations
from magnum_lite.api.controllers.v1 import mservices
from magnum_lite.api.controllers.v1 import quotas
from magnum_lite.api.controllers.v1 import stats
from magnum_lite.api import method
from magnum_lite.api import utils

MEDIA_TYPE = 'application/vnd.openstack.magnum.v1+json'

RESOURCES = ('clustertemplates', 'clusters', 'quotas', 'certificates',
             'mservices', 'stats', 'federations', 'nodegroups',
             'credentials', 'baymodels', 'bays', 'containers')


def _resource_links(name):
    if name == 'nodegroups':
        name = 'clusters/{cluster_id}/nodegroups'
    return utils.links(name, '')


class V1Controller:

    clustertemplates = cluster_templates.ClusterTemplatesController()
    clusters = clusters.ClustersController()
    baymodels = cluster_templates.BayModelsController()
    bays = bays.BaysController()
    certificates = certificates.CertificatesController()
    credentials = credentials.CredentialsController()
    quotas = quotas.QuotasController()
    stats = stats.StatsController()
    mservices = mservices.MServicesController()
    federations = federations.FederationsController()
    containers = containers.ContainersController()

    @method.expose()
    def index(self):
        """GET /v1: what v1 offers (no token needed)."""
        if pecan.request.method not in ('GET', 'HEAD'):
            raise webob.exc.HTTPMethodNotAllowed()
        base = utils.base_url()
        document = {
            'id': 'v1',
            'media_types': [{'base': 'application/json',
                             'type': MEDIA_TYPE}],
            'links': [
                {'href': '%s/v1/' % base, 'rel': 'self'},
                {'href': 'https://docs.openstack.org/magnum/latest/',
                 'rel': 'describedby', 'type': 'text/html'},
            ],
        }
        for name in RESOURCES:
            links = _resource_links(name)
            for link in links:
                link['href'] = link['href'].rstrip('/')
            document[name] = links
        return document
