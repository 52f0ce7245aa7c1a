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

"""Docker Swarm mode on Nova servers, as Heat stacks."""

from magnum_lite.common import exception
from magnum_lite.common import trusts
from magnum_lite.drivers import docker_nodes
from magnum_lite.drivers.heat import table_driver
from magnum_lite.drivers.swarm_heat import params


class SwarmHeatDriver(table_driver.TableHeatDriver):
    """(vm, fedora-coreos | ubuntu, swarm-mode) clusters.

    Nodes never see the CA key: each asks magnum-lite's certificate API
    to sign its own key, with a token of the cluster's trust when it has
    one. Containers of the container API run on the nodes, which pull
    their images themselves.
    """

    provides = [('vm', 'fedora-coreos', 'swarm-mode'),
                ('vm', 'ubuntu', 'swarm-mode')]
    tables = params

    def cluster_extra(self, context, cluster):
        extra = super().cluster_extra(context, cluster)
        if cluster.trust_id:
            extra['trustee_password'] = trusts.trustee_password(
                cluster.trustee_username)
        return extra

    def container_host(self):
        return docker_nodes.NodeContainerHost(self.services)

    def check_upgrade(self, cluster, template, new_template,
                      nodegroup=None):
        # Magnum never upgraded Swarm clusters either: the engine is the
        # image's, and nodes are never rebuilt.
        raise exception.NotSupported(
            operation='Upgrading a Docker Swarm cluster in place (the '
                      'Docker engine comes with the node image; create a '
                      'cluster from the new template and move the '
                      'services to it)')
