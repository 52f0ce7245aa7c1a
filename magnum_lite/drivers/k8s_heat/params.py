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

"""What the k8s_heat driver gives Heat, and what it reads back.

TEMPLATE_PATH / PARAMETERS / OUTPUTS describe the cluster stack (network,
masters, default workers); NODEGROUP_TEMPLATE_PATH / NODEGROUP_PARAMETERS
/ NODEGROUP_OUTPUTS a user nodegroup's stack, whose `extra` values are the
cluster stack's outputs named in CLUSTER_OUTPUTS_FOR_NODEGROUPS.
"""

import os

from magnum_lite.drivers.heat import files
from magnum_lite.drivers.heat import params as hp
from magnum_lite.drivers.k8s_heat import labels

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'templates')
TEMPLATE_PATH = os.path.join(TEMPLATES, 'kubecluster.yaml')
NODEGROUP_TEMPLATE_PATH = os.path.join(TEMPLATES, 'kubenodegroup.yaml')
LABEL_SCHEMA = labels.LABEL_SCHEMA
DEFAULT_KUBE_TAG = 'v1.31.1'
P = hp.param

# Shared by the cluster and the nodegroup stacks: the cluster's software.
_SOFTWARE = (
    P('cluster_name', 'cluster.name', required=True),
    P('cluster_uuid', 'cluster.uuid', required=True),
    P('os_distro', 'template.cluster_distro', required=True),
    P('external_network', 'template.external_network_id', required=True),
    P('ssh_key_name', 'cluster.keypair', 'template.keypair_id'),
    P('docker_volume_type', 'label:docker_volume_type'),
    P('availability_zone', 'label:availability_zone'),
    P('floating_ip_enabled', 'cluster.floating_ip_enabled',
      'template.floating_ip_enabled', type='boolean', default=True),
    P('api_port', 'template.apiserver_port', type='number', default=6443),
    P('bootstrap_timeout', 'label:bootstrap_timeout', type='number'),
    P('kube_tag', 'label:kube_tag', 'cluster.coe_version',
      default=DEFAULT_KUBE_TAG),
    P('kube_binaries_url', 'label:kube_binaries_url'),
    P('cni_plugins_url', 'label:cni_plugins_url'),
    P('container_infra_prefix', 'label:container_infra_prefix'),
    P('network_driver', 'template.network_driver', default='calico'),
    P('pods_network_cidr', 'label:pods_network_cidr'),
    P('service_cluster_ip_range', 'label:service_cluster_ip_range'),
    P('http_proxy', 'template.http_proxy'),
    P('https_proxy', 'template.https_proxy'),
    P('no_proxy', 'template.no_proxy'),
    P('openstack_ca', 'extra:openstack_ca'),
    P('ca_cert', 'extra:ca_cert', required=True),
)

PARAMETERS = _SOFTWARE + (
    P('fixed_network', 'cluster.fixed_network', 'template.fixed_network'),
    P('fixed_subnet', 'cluster.fixed_subnet', 'template.fixed_subnet'),
    P('fixed_network_cidr', 'label:fixed_network_cidr'),
    P('dns_nameserver', 'template.dns_nameserver',
      type='comma_delimited_list'),
    P('master_image', 'master.image_id', 'template.image_id',
      required=True),
    P('minion_image', 'worker.image_id', 'template.image_id',
      required=True),
    P('master_flavor', 'master.flavor_id', 'cluster.master_flavor_id',
      'template.master_flavor_id', required=True),
    P('minion_flavor', 'worker.flavor_id', 'cluster.flavor_id',
      'template.flavor_id', required=True),
    P('number_of_masters', 'master.node_count', type='number', default=1),
    P('number_of_minions', 'worker.node_count', type='number', default=1),
    P('minions_to_remove', 'extra:nodes_to_remove',
      type='comma_delimited_list'),
    P('master_nodegroup_name', 'master.name', default='default-master'),
    P('worker_nodegroup_name', 'worker.name', default='default-worker'),
    P('master_lb_enabled', 'cluster.master_lb_enabled',
      'template.master_lb_enabled', type='boolean', default=False),
    P('master_docker_volume_size', 'master.docker_volume_size',
      'cluster.docker_volume_size', 'template.docker_volume_size',
      type='number', default=0),
    P('minion_docker_volume_size', 'worker.docker_volume_size',
      'cluster.docker_volume_size', 'template.docker_volume_size',
      type='number', default=0),
    P('nodes_affinity_policy', 'label:nodes_affinity_policy'),
    P('master_lb_allowed_cidrs', 'label:master_lb_allowed_cidrs',
      type='comma_delimited_list'),
    P('octavia_provider', 'label:octavia_provider'),
    P('cni_manifest_url', 'label:cni_manifest_url'),
    P('ca_key', 'extra:ca_key', required=True),
    P('bootstrap_token', 'extra:bootstrap_token', required=True),
    P('certificate_key', 'extra:certificate_key', required=True),
)

# Cluster stack output -> nodegroup stack parameter.
CLUSTER_OUTPUTS_FOR_NODEGROUPS = {
    'network': 'network', 'subnet': 'subnet',
    'nodes_security_group': 'nodes_security_group',
    'api_private_address': 'api_private_address',
    'api_public_address': 'api_public_address',
}

NODEGROUP_PARAMETERS = _SOFTWARE + (
    P('nodegroup_name', 'nodegroup.name', required=True),
    P('image', 'nodegroup.image_id', 'template.image_id', required=True),
    P('flavor', 'nodegroup.flavor_id', 'cluster.flavor_id',
      'template.flavor_id', required=True),
    P('node_count', 'nodegroup.node_count', type='number', default=1),
    P('nodes_to_remove', 'extra:nodes_to_remove',
      type='comma_delimited_list'),
    P('docker_volume_size', 'nodegroup.docker_volume_size',
      'cluster.docker_volume_size', 'template.docker_volume_size',
      type='number', default=0),
    P('bootstrap_token', 'extra:bootstrap_token', required=True),
) + tuple(P(name, 'extra:' + name, required=(name != 'api_public_address'))
          for name in sorted(CLUSTER_OUTPUTS_FOR_NODEGROUPS.values()))

OUTPUTS = (
    hp.Output('api_address', 'cluster.api_address'),
    hp.Output('coe_version', 'cluster.coe_version'),
    hp.Output('kube_masters', 'master.node_addresses'),
    hp.Output('kube_minions', 'worker.node_addresses'),
    hp.Output('number_of_masters', 'master.node_count', parameter=True),
    hp.Output('number_of_minions', 'worker.node_count', parameter=True),
)

NODEGROUP_OUTPUTS = (
    hp.Output('node_addresses', 'nodegroup.node_addresses'),
    hp.Output('node_count', 'nodegroup.node_count', parameter=True),
)


def _secrets(cluster, extra):
    """The kubeadm bootstrap token and control-plane certificate key,
    derived from the CA key so every stack of the cluster agrees."""
    extra = dict(extra or {})
    key = extra.get('ca_key')
    uuid = hp.field(cluster, 'uuid') or ''
    if key:
        alnum = 'abcdefghijklmnopqrstuvwxyz0123456789'
        extra.setdefault('bootstrap_token', '%s.%s' % (
            hp.derive_secret(key, 'token-id:' + uuid, alnum, 6),
            hp.derive_secret(key, 'token-secret:' + uuid, alnum, 16)))
        extra.setdefault('certificate_key', hp.derive_secret(
            key, 'certificate-key:' + uuid, '0123456789abcdef', 64))
    return extra


def build_parameters(template, cluster, nodegroups, extra):
    """Heat parameters of the cluster stack.

    `extra` must hold ca_cert and ca_key (PEM) and may hold openstack_ca
    and nodes_to_remove (of the default worker nodegroup).
    """
    hp.check_labels(LABEL_SCHEMA, hp.merged_labels(template, cluster))
    return hp.render(PARAMETERS, template, cluster, nodegroups,
                     extra=_secrets(cluster, extra))


def build_nodegroup_parameters(template, cluster, nodegroup, extra):
    """Heat parameters of a user nodegroup's stack.

    `extra` holds ca_cert, ca_key (only to derive the bootstrap token; it
    is not passed on) and the cluster stack outputs named in
    CLUSTER_OUTPUTS_FOR_NODEGROUPS.
    """
    hp.check_labels(LABEL_SCHEMA,
                    hp.merged_labels(template, cluster, nodegroup))
    return hp.render(NODEGROUP_PARAMETERS, template, cluster,
                     nodegroup=nodegroup, extra=_secrets(cluster, extra))


def template_files():
    """heatclient `files=` for the cluster and the nodegroup templates."""
    found = files.template_files(TEMPLATE_PATH)
    found.update(files.template_files(NODEGROUP_TEMPLATE_PATH))
    return found


def template():
    return files.read(TEMPLATE_PATH)


def nodegroup_template():
    return files.read(NODEGROUP_TEMPLATE_PATH)
