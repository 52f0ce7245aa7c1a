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

"""The drivers' label schemas: known labels of the right type only."""

import pytest

from magnum_lite.common import exception
from magnum_lite.drivers.heat import params as hp
from magnum_lite.drivers.k8s_heat import labels as k8s_labels
from magnum_lite.drivers.swarm_heat import labels as swarm_labels

K8S = k8s_labels.LABEL_SCHEMA
SWARM = swarm_labels.LABEL_SCHEMA


@pytest.mark.parametrize('schema, labels', [
    (K8S, {}),
    (K8S, None),
    (K8S, {'kube_tag': 'v1.31.1'}),
    (K8S, {'kube_tag': 'v1.40.0', 'container_infra_prefix':
           'registry.example:5000/k8s'}),
    (K8S, {'bootstrap_timeout': '1800'}),
    (K8S, {'bootstrap_timeout': 1800}),
    (K8S, {'pods_network_cidr': '10.100.0.0/16',
           'service_cluster_ip_range': '10.254.0.0/16'}),
    (K8S, {'master_lb_allowed_cidrs': '10.0.0.0/8,192.168.1.0/24'}),
    (K8S, {'kube_binaries_url': 'https://mirror.example/k8s/release',
           'cni_plugins_url': 'https://mirror.example/cni-@ARCH@.tgz'}),
    (K8S, {'nodes_affinity_policy': 'anti-affinity'}),
    (SWARM, {'docker_volume_type': 'fast ssd', 'availability_zone': 'az1'}),
    (SWARM, {'octavia_provider': 'ovn', 'fixed_network_cidr': '10.1.0.0/24'}),
])
def test_valid_labels(schema, labels):
    hp.check_labels(schema, labels)


@pytest.mark.parametrize('schema, labels, named', [
    # Unknown labels, including another driver's.
    (K8S, {'kube_tagg': 'v1.31.1'}, 'kube_tagg'),
    (SWARM, {'kube_tag': 'v1.31.1'}, 'kube_tag'),
    (K8S, {'etcd_discovery_url': 'https://discovery.etcd.io/x'},
     'etcd_discovery_url'),
    # Ill-typed values.
    (K8S, {'kube_tag': '1.31.1'}, 'kube_tag'),
    (K8S, {'kube_tag': 'v1.28.0'}, 'kube_tag'),
    (K8S, {'bootstrap_timeout': 'soon'}, 'bootstrap_timeout'),
    (K8S, {'bootstrap_timeout': 10}, 'bootstrap_timeout'),
    (SWARM, {'bootstrap_timeout': True}, 'bootstrap_timeout'),
    (K8S, {'pods_network_cidr': '10.100.0.0/33'}, 'pods_network_cidr'),
    (K8S, {'pods_network_cidr': '10.100.0.0'}, 'pods_network_cidr'),
    (SWARM, {'master_lb_allowed_cidrs': '0.0.0.0/0;rm -rf /'},
     'master_lb_allowed_cidrs'),
    # Values that land in a shell script may not break out of quotes.
    (K8S, {'kube_binaries_url': "https://x/'$(reboot)'"},
     'kube_binaries_url'),
    (K8S, {'container_infra_prefix': 'reg.example/ k8s'},
     'container_infra_prefix'),
    (K8S, {'nodes_affinity_policy': 'spread'}, 'nodes_affinity_policy'),
    (SWARM, {'octavia_provider': ''}, 'octavia_provider'),
])
def test_invalid_labels_name_the_label(schema, labels, named):
    with pytest.raises(exception.InvalidLabels) as failure:
        hp.check_labels(schema, labels)
    assert named in str(failure.value)
    assert failure.value.code == 400


@pytest.mark.parametrize('schema', [K8S, SWARM], ids=['k8s', 'swarm'])
def test_schema_works_with_the_driver_base(schema):
    """The same schema serves base.ClusterDriver.validate_labels."""
    from magnum_lite.drivers import base

    class Labels(object):
        labels_schema = schema
    base.ClusterDriver.validate_labels(Labels(), {'availability_zone': 'a'})
    with pytest.raises(exception.InvalidLabels) as failure:
        base.ClusterDriver.validate_labels(Labels(), {'nope': 'x'})
    assert 'nope' in str(failure.value)


@pytest.mark.parametrize('schema', [K8S, SWARM], ids=['k8s', 'swarm'])
def test_the_os_distro_label_of_the_api_is_accepted(schema):
    # Templates name their distribution with it when there is no image
    # service: every driver takes it, whatever its schema.
    from magnum_lite.drivers import base

    class Labels(object):
        labels_schema = schema
    labels = {'os_distro': 'debian'}
    hp.check_labels(schema, labels)
    base.ClusterDriver.validate_labels(Labels(), labels)
    with pytest.raises(exception.InvalidLabels):
        hp.check_labels(schema, dict(labels, os_distroo='debian'))


@pytest.mark.parametrize('schema', [K8S, SWARM], ids=['k8s', 'swarm'])
def test_every_label_is_described(schema):
    assert schema['additionalProperties'] is False
    for name, prop in schema['properties'].items():
        assert prop['description'].endswith('.'), name
