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

"""What the swarm_heat driver gives Heat, and what it reads back.

TEMPLATE_PATH / PARAMETERS / OUTPUTS describe the cluster stack (network,
managers, default workers); NODEGROUP_TEMPLATE_PATH / NODEGROUP_PARAMETERS
/ NODEGROUP_OUTPUTS a user nodegroup's stack, whose `extra` values are the
cluster stack's outputs named in CLUSTER_OUTPUTS_FOR_NODEGROUPS.

Node certificates: every node makes its own key and asks magnum-lite's
certificate API (`extra` magnum_url, POST /certificates) to sign it,
authenticated with a token of the cluster's trust (trust_id,
trustee_user_id, `extra` trustee_password, auth_url) when there is one.
The CA key stays with magnum-lite.

The cluster stack's `extra` must hold ca_cert (PEM) and magnum_url, and
may hold auth_url, trustee_password, verify_ca, openstack_ca and
nodes_to_remove; a nodegroup stack's also holds the cluster stack's
outputs named in CLUSTER_OUTPUTS_FOR_NODEGROUPS.
"""

import os

from magnum_lite.drivers.heat import params as hp
from magnum_lite.drivers.swarm_heat import labels

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'templates')
TEMPLATE_PATH = os.path.join(TEMPLATES, 'swarmcluster.yaml')
NODEGROUP_TEMPLATE_PATH = os.path.join(TEMPLATES, 'swarmnodegroup.yaml')
LABEL_SCHEMA = labels.LABEL_SCHEMA
P = hp.param

# Shared by the cluster and the nodegroup stacks.
_SOFTWARE = hp.COMMON + (
    P('magnum_url', 'extra:magnum_url', required=True),
    P('auth_url', 'extra:auth_url'),
    P('trust_id', 'cluster.trust_id'),
    P('trustee_user_id', 'cluster.trustee_user_id'),
    P('trustee_password', 'extra:trustee_password'),
    P('verify_ca', 'extra:verify_ca', type='boolean'),
)

PARAMETERS = _SOFTWARE + hp.CLUSTER + (
    P('node_image', 'worker.image_id', 'template.image_id', required=True),
    P('node_flavor', 'worker.flavor_id', 'cluster.flavor_id',
      'template.flavor_id', required=True),
    P('number_of_nodes', 'worker.node_count', type='number', default=1),
    P('nodes_to_remove', 'extra:nodes_to_remove',
      type='comma_delimited_list'),
    P('node_docker_volume_size', 'worker.docker_volume_size',
      'cluster.docker_volume_size', 'template.docker_volume_size',
      type='number', default=0),
)

# Cluster stack outputs a nodegroup stack takes as parameters (same name).
CLUSTER_OUTPUTS_FOR_NODEGROUPS = (
    'network', 'subnet', 'nodes_security_group', 'primary_address')

NODEGROUP_PARAMETERS = (_SOFTWARE + hp.NODEGROUP +
                        hp.from_cluster_stack(CLUSTER_OUTPUTS_FOR_NODEGROUPS))

OUTPUTS = (
    hp.Output('api_address', 'cluster.api_address'),
    hp.Output('swarm_masters', 'master.node_addresses'),
    hp.Output('swarm_nodes', 'worker.node_addresses'),
    hp.Output('number_of_masters', 'master.node_count', parameter=True),
    hp.Output('number_of_nodes', 'worker.node_count', parameter=True),
)

NODEGROUP_OUTPUTS = (
    hp.Output('node_addresses', 'nodegroup.node_addresses'),
    hp.Output('node_count', 'nodegroup.node_count', parameter=True),
)


_TABLES = hp.DriverTables(
    TEMPLATE_PATH, NODEGROUP_TEMPLATE_PATH, PARAMETERS, NODEGROUP_PARAMETERS,
    LABEL_SCHEMA, OUTPUTS, NODEGROUP_OUTPUTS, ('number_of_nodes', 'nodes_to_remove'))
# build_parameters(template, cluster, nodegroups, extra) -> dict
build_parameters = _TABLES.build_parameters
# build_nodegroup_parameters(template, cluster, nodegroup, extra) -> dict
build_nodegroup_parameters = _TABLES.build_nodegroup_parameters
# template_files() -> {name: contents} for heatclient's files=
template_files = _TABLES.template_files
template = _TABLES.template
nodegroup_template = _TABLES.nodegroup_template
# resize_parameters(nodegroup, node_count, nodes_to_remove) -> dict
resize_parameters = _TABLES.resize_parameters
# read_outputs(outputs, parameters=None, nodegroup=False) -> fields
read_outputs = _TABLES.read_outputs
