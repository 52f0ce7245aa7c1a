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

"""Sample cluster templates, clusters and nodegroups, and the variants.

Rows are dicts standing for the DB rows the conductor passes to a
driver's build_parameters. A variant is one combination of the options a
cluster template or cluster can choose; `variants()` lists every one.
"""

import itertools

from magnum_lite.drivers.k8s_heat import params as k8s

CLUSTER_UUID = '5d12f6fd-a196-4bf0-ae4c-1f639a523a52'
IMAGES = {'fedora-coreos': 'fedora-coreos-40', 'ubuntu': 'ubuntu-24.04'}
OPTIONS = ('os_distro', 'masters', 'load_balancer', 'floating_ips',
           'volumes', 'network')
CHOICES = (tuple(IMAGES), (1, 3), (False, True), (False, True),
           (False, True), ('private', 'given'))


def variants():
    """Every combination of CHOICES, as dicts, with a readable id."""
    for values in itertools.product(*CHOICES):
        variant = dict(zip(OPTIONS, values))
        yield variant


def variant_id(variant):
    return '-'.join([
        variant['os_distro'], '%dm' % variant['masters'],
        'lb' if variant['load_balancer'] else 'nolb',
        'fip' if variant['floating_ips'] else 'nofip',
        'vol' if variant['volumes'] else 'novol',
        variant['network'] + 'net'])


def rows(variant, coe, labels=None):
    """(template, cluster, nodegroups) of a variant."""
    image = IMAGES[variant['os_distro']]
    template = {
        'uuid': 'b1e7b0c6-9a3f-4d43-8d2a-0f0c2f4de0c1', 'coe': coe,
        'cluster_distro': variant['os_distro'], 'server_type': 'vm',
        'image_id': image, 'flavor_id': 'm1.small',
        'master_flavor_id': 'm1.large', 'keypair_id': 'default',
        'external_network_id': 'public', 'dns_nameserver': '8.8.8.8',
        'network_driver': 'calico' if coe == 'kubernetes' else None,
        'master_lb_enabled': variant['load_balancer'],
        'floating_ip_enabled': variant['floating_ips'],
        'docker_volume_size': 20 if variant['volumes'] else None,
        'labels': dict(labels or {}),
    }
    if variant['volumes']:
        template['labels']['docker_volume_type'] = 'ssd'
    cluster = {
        'uuid': CLUSTER_UUID, 'name': 'demo', 'keypair': 'default',
        'labels': {}, 'master_lb_enabled': variant['load_balancer'],
        'floating_ip_enabled': variant['floating_ips'],
        'trust_id': 'trust-1', 'trustee_user_id': 'trustee-1',
    }
    if variant['network'] == 'given':
        cluster.update(fixed_network='user-net', fixed_subnet='user-subnet')
    nodegroups = [
        {'uuid': 'ng-master', 'name': 'default-master', 'role': 'master',
         'is_default': True, 'node_count': variant['masters'],
         'image_id': image, 'flavor_id': 'm1.large'},
        {'uuid': 'ng-worker', 'name': 'default-worker', 'role': 'worker',
         'is_default': True, 'node_count': 2, 'image_id': image,
         'flavor_id': 'm1.small'},
    ]
    return template, cluster, nodegroups


def extra_for(driver, ca):
    """What the conductor adds to a driver's parameters: CAs and secrets.

    `driver` is the params module of k8s_heat or swarm_heat.
    """
    cert, key = ca
    if driver is k8s:
        return {'ca_cert': cert, 'ca_key': key}
    return {'ca_cert': cert, 'magnum_url': 'https://magnum.example/v1',
            'auth_url': 'https://keystone.example/v3',
            'trustee_password': 'secret'}


def user_nodegroup(variant):
    return {'uuid': 'ng-gpu', 'name': 'gpu-workers', 'role': 'worker',
            'is_default': False, 'node_count': 2,
            'image_id': IMAGES[variant['os_distro']],
            'flavor_id': 'm1.large',
            'docker_volume_size': 50 if variant['volumes'] else None}


# A valid value of every label a driver reads (see test_variants).
EXAMPLE_LABELS = {
    'fixed_network_cidr': '10.20.0.0/24',
    'master_lb_allowed_cidrs': '10.0.0.0/8,192.168.0.0/16',
    'octavia_provider': 'ovn',
    'docker_volume_type': 'ssd',
    'availability_zone': 'az1',
    'nodes_affinity_policy': 'anti-affinity',
    'bootstrap_timeout': '1200',
    'kube_tag': 'v1.32.0',
    'kube_binaries_url': 'https://mirror.example/k8s/release',
    'cni_plugins_url': 'https://mirror.example/cni/cni-@ARCH@.tgz',
    'cni_manifest_url': 'https://mirror.example/cni/calico.yaml',
    'container_infra_prefix': 'registry.example:5000/k8s',
    'pods_network_cidr': '10.120.0.0/16',
    'service_cluster_ip_range': '10.96.0.0/12',
}


def example_labels(schema):
    return {name: EXAMPLE_LABELS[name] for name in schema['properties']}
