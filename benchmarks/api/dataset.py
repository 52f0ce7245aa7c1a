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

"""The data set both services are measured on, shared by the seeders.

Only the standard library is used: the module is imported by the seeders
of both virtualenvs and by the load driver. UUIDs are derived from the
index so both databases hold the same clusters under the same UUIDs.
"""

import uuid

CLUSTERS = 1000
PROJECT_ID = '5f0e5e3b8e6a4d2f9c1b7a6d3e2f1a0b'
USER_ID = '0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5'
ROLES = 'member,reader'

_NS = uuid.UUID('6f9619ff-8b86-d011-b42d-00c04fc964ff')
TEMPLATE_UUID = str(uuid.uuid5(_NS, 'cluster-template'))

# The request headers of every benchmark request, for both services.
HEADERS = {
    'OpenStack-API-Version': 'container-infra latest',
    'Accept': 'application/json',
    'Content-Type': 'application/json',
    'X-Project-Id': PROJECT_ID,
    'X-User-Id': USER_ID,
    'X-Roles': ROLES,
}


def cluster_uuid(i):
    return str(uuid.uuid5(_NS, 'cluster-%d' % i))


def template_values():
    """The cluster template every seeded cluster uses (common columns)."""
    return {
        'uuid': TEMPLATE_UUID,
        'name': 'bench-k8s',
        'project_id': PROJECT_ID,
        'user_id': USER_ID,
        'image_id': 'fedora-coreos-40',
        'flavor_id': 'm1.small',
        'master_flavor_id': 'm1.medium',
        'keypair_id': 'bench-key',
        'external_network_id': 'public',
        'fixed_network': 'private',
        'fixed_subnet': 'private-subnet',
        'network_driver': 'flannel',
        'volume_driver': 'cinder',
        'dns_nameserver': '8.8.8.8',
        'docker_volume_size': 10,
        'docker_storage_driver': 'overlay2',
        'cluster_distro': 'ubuntu',
        'coe': 'kubernetes',
        'server_type': 'vm',
        'labels': {'kube_tag': 'v1.30.1', 'boot_volume_size': '20'},
        'tls_disabled': False,
        'public': False,
        'hidden': False,
        'registry_enabled': False,
        'master_lb_enabled': False,
        'floating_ip_enabled': True,
    }


def clusters():
    """Yield (cluster values, [nodegroup values]) for every cluster."""
    for i in range(CLUSTERS):
        cid = cluster_uuid(i)
        octet3, octet4 = divmod(i, 250)
        master_ip = '10.%d.%d.%d' % (octet3, octet4 + 1, 10)
        worker_ips = ['10.%d.%d.%d' % (octet3, octet4 + 1, 20 + n)
                      for n in range(3)]
        cluster = {
            'uuid': cid,
            'name': 'cluster-%04d' % i,
            'project_id': PROJECT_ID,
            'user_id': USER_ID,
            'cluster_template_id': TEMPLATE_UUID,
            'status': 'CREATE_COMPLETE',
            'status_reason': 'Stack CREATE completed successfully',
            'stack_id': str(uuid.uuid5(_NS, 'stack-%d' % i)),
            'api_address': 'https://%s:6443' % master_ip,
            'discovery_url': '',
            'create_timeout': 60,
            'coe_version': 'v1.30.1',
            'container_version': '1.12.6',
            'keypair': 'bench-key',
            'docker_volume_size': 10,
            'labels': {'kube_tag': 'v1.30.1', 'boot_volume_size': '20'},
            'master_flavor_id': 'm1.medium',
            'flavor_id': 'm1.small',
            'health_status': 'HEALTHY',
            'health_status_reason': {'api': 'ok'},
            'fixed_network': 'private',
            'fixed_subnet': 'private-subnet',
            'floating_ip_enabled': True,
            'master_lb_enabled': False,
        }
        nodegroups = [
            {
                'uuid': str(uuid.uuid5(_NS, 'ng-master-%d' % i)),
                'name': 'default-master',
                'role': 'master',
                'is_default': True,
                'node_count': 1,
                'min_node_count': 1,
                'max_node_count': None,
                'flavor_id': 'm1.medium',
                'image_id': 'fedora-coreos-40',
                'docker_volume_size': 10,
                'labels': {'kube_tag': 'v1.30.1'},
                'node_addresses': [master_ip],
                'stack_id': cluster['stack_id'],
                'status': 'CREATE_COMPLETE',
                'version': '1',
            },
            {
                'uuid': str(uuid.uuid5(_NS, 'ng-worker-%d' % i)),
                'name': 'default-worker',
                'role': 'worker',
                'is_default': True,
                'node_count': 3,
                'min_node_count': 0,
                'max_node_count': 10,
                'flavor_id': 'm1.small',
                'image_id': 'fedora-coreos-40',
                'docker_volume_size': 10,
                'labels': {'kube_tag': 'v1.30.1'},
                'node_addresses': worker_ips,
                'stack_id': cluster['stack_id'],
                'status': 'CREATE_COMPLETE',
                'version': '1',
            },
        ]
        yield cluster, nodegroups


def template_create_body(name):
    """The body of POST /v1/clustertemplates."""
    return {
        'name': name,
        'image_id': 'fedora-coreos-40',
        'coe': 'kubernetes',
        'flavor_id': 'm1.small',
        'master_flavor_id': 'm1.medium',
        'keypair_id': 'bench-key',
        'external_network_id': 'public',
        'network_driver': 'flannel',
        'docker_volume_size': 10,
        # Magnum reads the distribution from the Glance image; magnum-lite,
        # having no image service, from this label.
        'labels': {'kube_tag': 'v1.30.1', 'boot_volume_size': '20',
                   'os_distro': 'ubuntu'},
    }
