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

"""The panel's one door to magnum-lite: our containers client.

The client is built per request from the user's token and the catalog's
container-infra endpoint, as magnum-ui builds python-magnumclient. The
clusters (the create form's choices, the names in the table) are read
through magnum-ui's API module, as its own panels read them.
"""

import logging

from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from magnum_ui.api import magnum
from openstack_dashboard.api import base

from magnum_lite.client import containers as containers_client

LOG = logging.getLogger(__name__)


class Container:
    """A container as the tables want it: attributes, and an id."""

    def __init__(self, values):
        self._values = values
        self.id = values.get('uuid')
        self.name = values.get('name') or self.id
        self.image = values.get('image')
        self.status = values.get('status')
        self.status_reason = values.get('status_reason')
        self.cluster = values.get('cluster_uuid')
        # Set by with_cluster_names; None while the cluster is unread.
        self.cluster_name = None
        self.command = values.get('command')
        self.memory = values.get('memory')

    def to_dict(self):
        return dict(self._values)


def client(request):
    endpoint = base.url_for(request, 'container-infra')
    auth = token_endpoint.Token(endpoint, request.user.token.id)
    return containers_client.ContainersClient(
        ks_session.Session(auth=auth), endpoint_override=endpoint)


def container_list(request):
    return [Container(c) for c in client(request).list()]


def cluster_list(request):
    return magnum.cluster_list(request, detail=False)


def with_cluster_names(request, containers):
    """The containers, with the names of their clusters set.

    One cluster list for them all. A cluster that is not in it (deleted,
    not the project's) or a list that fails leaves the name None: the
    table then shows the cluster's UUID.
    """
    try:
        names = {c.uuid: c.name for c in cluster_list(request)}
    except Exception:
        LOG.warning('Unable to list the clusters of the containers',
                    exc_info=True)
        names = {}
    for container in containers:
        container.cluster_name = names.get(container.cluster)
    return containers


def container_get(request, ident):
    return Container(client(request).get(ident))


def container_create(request, **fields):
    return Container(client(request).create(**fields))


def container_delete(request, ident):
    client(request).delete(ident)


def container_action(request, ident, action):
    """start, stop, reboot, pause or unpause."""
    client(request).action(ident, action)


def container_logs(request, ident):
    return client(request).logs(ident)
