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

"""A Heat driver whose stacks are described by parameter tables.

The k8s_heat and swarm_heat drivers differ only in their templates and
tables (``<driver>/params.py``); this class turns the rows the conductor
hands over, the cluster's CAs and the cluster stack's outputs into the
``extra`` values those tables read.
"""

from magnum_lite.certificates import x509
from magnum_lite.common import exception
from magnum_lite import conf as ml_conf
from magnum_lite.conf import keystone_auth as keystone_auth_conf
from magnum_lite.drivers.heat import client as heat_client
from magnum_lite.drivers.heat import driver as heat_driver
from magnum_lite.drivers.heat import params as heat_params

CONF = ml_conf.CONF


def public_endpoint():
    return CONF.api.public_endpoint or 'http://%s:%d/v1' % (CONF.api.host,
                                                            CONF.api.port)


class TableHeatDriver(heat_driver.HeatDriver):
    """Base of drivers built from a params module (see k8s_heat)."""

    # The driver's params module: template(), template_files(),
    # build_parameters(), build_nodegroup_parameters(),
    # resize_parameters(), read_outputs(), LABEL_SCHEMA,
    # CLUSTER_OUTPUTS_FOR_NODEGROUPS.
    tables = None

    @property
    def labels_schema(self):
        return self.tables.LABEL_SCHEMA

    def cluster_extra(self, context, cluster):
        """Values beyond the rows that the cluster's tables read."""
        ca_cert = self.services.ca_certificate(cluster.uuid, x509.KUBERNETES)
        return {'ca_cert': ca_cert, 'magnum_url': public_endpoint(),
                'auth_url': keystone_auth_conf.keystone_auth_url(CONF)}

    def stack_definition(self, context, cluster, template, nodegroups):
        extra = self.cluster_extra(context, cluster)
        return heat_driver.StackDefinition(
            template=self.tables.template(),
            files=self.tables.template_files(),
            parameters=self.tables.build_parameters(template, cluster,
                                                    nodegroups, extra))

    def nodegroup_stack_definition(self, context, cluster, template,
                                   nodegroup):
        extra = self.cluster_extra(context, cluster)
        heat = heat_client.get_client(context, cluster)
        outputs = self._outputs(heat, cluster.stack_id)
        for name in self.tables.CLUSTER_OUTPUTS_FOR_NODEGROUPS:
            if outputs.get(name) is not None:
                extra[name] = outputs[name]
        return heat_driver.StackDefinition(
            template=self.tables.nodegroup_template(),
            files=self.tables.template_files(),
            parameters=self.tables.build_nodegroup_parameters(
                template, cluster, nodegroup, extra))

    def read_outputs(self, outputs, cluster, nodegroups, nodegroup=None):
        if nodegroup is not None:
            found = self.tables.read_outputs(outputs, nodegroup=True)
            addresses = found.get('nodegroup', {}).get('node_addresses')
            return {}, ({nodegroup.uuid: addresses}
                        if addresses is not None else {})
        found = self.tables.read_outputs(outputs)
        addresses = {}
        for role in ('master', 'worker'):
            group = heat_params.default_nodegroup(nodegroups, role)
            value = found.get(role, {}).get('node_addresses')
            if group is not None and value is not None:
                addresses[group.uuid] = value
        fields = {k: v for k, v in found.get('cluster', {}).items()
                  if k in ('api_address', 'coe_version',
                           'container_version')}
        return fields, addresses

    def resize_parameters(self, cluster, nodegroup, node_count,
                          nodes_to_remove):
        return self.tables.resize_parameters(nodegroup, node_count,
                                             nodes_to_remove)

    # A params module that upgrades in place also has current_version(),
    # check_upgrade(), upgrade_parameters(), VERSION_PARAMETERS and
    # VERSION_LABELS (see k8s_heat).

    @property
    def version_parameters(self):
        return getattr(self.tables, 'VERSION_PARAMETERS', ())

    @property
    def version_labels(self):
        return getattr(self.tables, 'VERSION_LABELS', ())

    def _upgradable(self):
        if not hasattr(self.tables, 'upgrade_parameters'):
            raise exception.NotSupported(
                operation='Upgrading this cluster type in place')

    def check_upgrade(self, cluster, template, new_template,
                      nodegroup=None):
        self._upgradable()
        self.tables.check_upgrade(
            self.tables.current_version(template, cluster, nodegroup),
            new_template)

    def upgrade_parameters(self, cluster, template, nodegroup,
                           stack_parameters):
        # Nodes are never rebuilt: each one's agent reads the new version
        # from its server metadata and upgrades itself, and Heat waits for
        # it (see heat/templates/node.yaml).
        self._upgradable()
        new_version = self.tables.check_upgrade(
            stack_parameters.get(self.version_parameters[0]), template)
        return self.tables.upgrade_parameters(new_version, stack_parameters)
