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

from magnum_lite.common import exception
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
_SOFTWARE = hp.COMMON + (
    P('api_port', 'template.apiserver_port', type='number', default=6443),
    P('kube_tag', 'label:kube_tag', 'cluster.coe_version',
      default=DEFAULT_KUBE_TAG),
    # Set from kube_tag by build_parameters; upgrades extend it.
    P('kube_tag_history', 'extra:kube_tag_history',
      type='comma_delimited_list'),
    P('kube_binaries_url', 'label:kube_binaries_url'),
    P('cni_plugins_url', 'label:cni_plugins_url'),
    P('container_infra_prefix', 'label:container_infra_prefix'),
    P('network_driver', 'template.network_driver', default='calico'),
    P('pods_network_cidr', 'label:pods_network_cidr'),
    P('service_cluster_ip_range', 'label:service_cluster_ip_range'),
)

PARAMETERS = _SOFTWARE + hp.CLUSTER + (
    P('minion_image', 'worker.image_id', 'template.image_id',
      required=True),
    P('minion_flavor', 'worker.flavor_id', 'cluster.flavor_id',
      'template.flavor_id', required=True),
    P('number_of_minions', 'worker.node_count', type='number', default=1),
    P('minions_to_remove', 'extra:nodes_to_remove',
      type='comma_delimited_list'),
    P('master_nodegroup_name', 'master.name', default='default-master'),
    P('worker_nodegroup_name', 'worker.name', default='default-worker'),
    P('minion_docker_volume_size', 'worker.docker_volume_size',
      'cluster.docker_volume_size', 'template.docker_volume_size',
      type='number', default=0),
    P('cni_manifest_url', 'label:cni_manifest_url'),
    P('ca_key', 'extra:ca_key', required=True),
    P('etcd_ca_cert', 'extra:etcd_ca_cert'),
    P('etcd_ca_key', 'extra:etcd_ca_key'),
    P('front_proxy_ca_cert', 'extra:front_proxy_ca_cert'),
    P('front_proxy_ca_key', 'extra:front_proxy_ca_key'),
    P('bootstrap_token', 'extra:bootstrap_token', required=True),
    P('certificate_key', 'extra:certificate_key', required=True),
)

# Cluster stack outputs a nodegroup stack takes as parameters (same name).
CLUSTER_OUTPUTS_FOR_NODEGROUPS = (
    'network', 'subnet', 'nodes_security_group', 'api_private_address',
    'api_public_address')

NODEGROUP_PARAMETERS = _SOFTWARE + hp.NODEGROUP + (
    P('bootstrap_token', 'extra:bootstrap_token', required=True),
) + hp.from_cluster_stack(CLUSTER_OUTPUTS_FOR_NODEGROUPS,
                          optional=('api_public_address',))

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
    """Add the kubeadm bootstrap token and control-plane certificate key.

    Both derive from the CA key so every stack of the cluster agrees.

    `extra` of the cluster stack must hold ca_cert and ca_key (PEM) and
    may hold etcd_ca_cert/_key and front_proxy_ca_cert/_key (else kubeadm
    makes those CAs), openstack_ca and nodes_to_remove (of the default
    workers); a
    nodegroup stack's `extra` holds ca_cert, ca_key (only to derive the
    token, it is not passed on) and the cluster stack's outputs named in
    CLUSTER_OUTPUTS_FOR_NODEGROUPS.
    """
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


# Only an upgrade changes these on an existing stack: an update or a
# nodegroup update leaves the stack's own values alone.
VERSION_PARAMETERS = ('kube_tag', 'kube_tag_history')
# The labels naming the version, replaced in a cluster's (or nodegroup's)
# own labels by an upgrade.
VERSION_LABELS = ('kube_tag',)


def parse_version(tag):
    """(major, minor, patch) of a kube_tag such as v1.31.1, else None."""
    parts = str(tag or '').lstrip('v').split('.')
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def current_version(template, cluster, nodegroup=None):
    """The kube_tag a cluster (or nodegroup) was given by its rows."""
    labels = hp.merged_labels(template, cluster, nodegroup)
    return (labels.get('kube_tag') or hp.field(cluster, 'coe_version') or
            DEFAULT_KUBE_TAG)


def check_upgrade(current_tag, new_template):
    """The kube_tag an upgrade to new_template moves to, if it may.

    Raises InvalidParameterValue (400) when the template names no
    kube_tag or an older one, or skips a minor version (kubeadm upgrades
    one minor version at a time). The same version is allowed: nodes that
    already run it have nothing to do.
    """
    name = hp.field(new_template, 'name') or hp.field(new_template, 'uuid')
    new_tag = (hp.field(new_template, 'labels') or {}).get('kube_tag')
    if not new_tag:
        raise exception.InvalidParameterValue(
            err='Cluster template %s has no kube_tag label: an upgrade '
                'needs the Kubernetes version to move to.' % name)
    new, current = parse_version(new_tag), parse_version(current_tag)
    if new is None:
        raise exception.InvalidParameterValue(
            err='kube_tag %s of cluster template %s is not a version such '
                'as v1.31.1.' % (new_tag, name))
    if current is not None and new < current:
        raise exception.InvalidParameterValue(
            err='Cluster template %s has kube_tag %s, older than the '
                "cluster's %s: downgrades are not supported." % (
                    name, new_tag, current_tag))
    if current is not None and (new[0] != current[0] or
                                new[1] > current[1] + 1):
        raise exception.InvalidParameterValue(
            err='kube_tag %s of cluster template %s skips a minor version '
                "after the cluster's %s: kubeadm upgrades one minor version "
                'at a time.' % (new_tag, name, current_tag))
    return new_tag


def split_history(value):
    """A comma_delimited_list parameter as Heat shows it, as a list."""
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = str(value or '').strip('[]').split(',')
    return [v for v in (str(i).strip().strip('\'"') for i in items) if v]


def upgrade_parameters(new_tag, stack_parameters):
    """kube_tag and kube_tag_history moving a stack to new_tag.

    `stack_parameters` are the stack's current parameters (heatclient's
    stack show): the history grows by new_tag unless it ends with it
    already, so the nodes' wait conditions count one more signal only
    when there is a new version to reach.
    """
    history = split_history(stack_parameters.get('kube_tag_history'))
    if not history and stack_parameters.get('kube_tag'):
        history = [stack_parameters['kube_tag']]
    if not history or history[-1] != new_tag:
        history.append(new_tag)
    return {'kube_tag': new_tag, 'kube_tag_history': ','.join(history)}


def _with_history(build):
    def build_with_history(*args, **kwargs):
        params = build(*args, **kwargs)
        params.setdefault('kube_tag_history', params['kube_tag'])
        return params
    build_with_history.__doc__ = build.__doc__
    return build_with_history


_TABLES = hp.DriverTables(
    TEMPLATE_PATH, NODEGROUP_TEMPLATE_PATH, PARAMETERS, NODEGROUP_PARAMETERS,
    LABEL_SCHEMA, OUTPUTS, NODEGROUP_OUTPUTS, ('number_of_minions', 'minions_to_remove'),
    prepare_extra=_secrets)
# build_parameters(template, cluster, nodegroups, extra) -> dict
build_parameters = _with_history(_TABLES.build_parameters)
# build_nodegroup_parameters(template, cluster, nodegroup, extra) -> dict
build_nodegroup_parameters = _with_history(
    _TABLES.build_nodegroup_parameters)
# template_files() -> {name: contents} for heatclient's files=
template_files = _TABLES.template_files
template = _TABLES.template
nodegroup_template = _TABLES.nodegroup_template
# resize_parameters(nodegroup, node_count, nodes_to_remove) -> dict
resize_parameters = _TABLES.resize_parameters
# read_outputs(outputs, parameters=None, nodegroup=False) -> fields
read_outputs = _TABLES.read_outputs
