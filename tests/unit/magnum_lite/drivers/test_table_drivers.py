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

"""The k8s_heat and swarm_heat drivers: rows and CAs to stack inputs."""

import pytest

from magnum_lite.certificates import store
from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.drivers import docker_nodes
from magnum_lite.drivers.k8s_heat import driver as k8s_driver
from magnum_lite.drivers.swarm_heat import driver as swarm_driver
from tests.harness import cluster_rows
from tests.harness import keys

certificate_config = keys.certificate_config


@pytest.fixture
def k8s_cluster(database, certificate_config):
    template = cluster_rows.make_template(
        database, image_id='fcos-40', cluster_distro='fedora-coreos',
        external_network_id='public', labels={'kube_tag': 'v1.31.4'})
    cluster = cluster_rows.make_cluster(database, template, node_count=2)
    store.generate_cluster_cas(database, cluster)
    return template, database.get_cluster_by_uuid(
        ml_context.make_admin_context(), cluster.uuid)


def test_k8s_stack_carries_the_cluster_cas(k8s_cluster, database, services):
    template, cluster = k8s_cluster
    driver = k8s_driver.KubernetesHeatDriver(services)
    definition = driver.stack_definition(None, cluster, template,
                                         cluster.nodegroups)
    parameters = definition.parameters
    ca_pem = store.get_ca_certificate(database, cluster.uuid)
    assert parameters['ca_cert'] == ca_pem
    assert 'PRIVATE KEY' in parameters['ca_key']
    for prefix, ca_type in (('ca', 'kubernetes'), ('etcd_ca', 'etcd'),
                            ('front_proxy_ca', 'front_proxy')):
        assert (parameters['%s_cert' % prefix],
                parameters['%s_key' % prefix]) == store.get_ca_key_pair(
                    database, cluster.uuid, ca_type)
    assert parameters['kube_tag'] == 'v1.31.4'
    assert parameters['number_of_minions'] == 2
    assert 'heat_template_version' in definition.template
    assert definition.files, 'nested templates and fragments are sent'


def test_k8s_outputs_fill_cluster_and_default_nodegroups(k8s_cluster):
    _template, cluster = k8s_cluster
    driver = k8s_driver.KubernetesHeatDriver()
    fields, addresses = driver.read_outputs(
        {'api_address': 'https://192.0.2.5:6443',
         'kube_masters': ['10.0.0.3'], 'kube_minions': ['10.0.0.4',
                                                        '10.0.0.5']},
        cluster, cluster.nodegroups)
    assert fields == {'api_address': 'https://192.0.2.5:6443'}
    master = cluster.default_nodegroup(states.NODEGROUP_ROLE_MASTER)
    worker = cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
    assert addresses == {master.uuid: ['10.0.0.3'],
                         worker.uuid: ['10.0.0.4', '10.0.0.5']}


def test_resize_names_the_removed_nodes(k8s_cluster):
    _template, cluster = k8s_cluster
    worker = cluster.default_nodegroup(states.NODEGROUP_ROLE_WORKER)
    parameters = k8s_driver.KubernetesHeatDriver().resize_parameters(
        cluster, worker, 1, ['server-id-1'])
    assert parameters['number_of_minions'] == 1
    # Heat's comma_delimited_list travels as one string.
    assert parameters['minions_to_remove'] == 'server-id-1'


def test_swarm_upgrade_is_refused_with_a_reason(k8s_cluster):
    template, cluster = k8s_cluster
    driver = swarm_driver.SwarmHeatDriver()
    with pytest.raises(exception.NotSupported) as caught:
        driver.check_upgrade(cluster, template, template)
    assert 'Docker Swarm cluster in place' in str(caught.value)
    with pytest.raises(exception.NotSupported):
        driver.upgrade_parameters(cluster, template, None, {})


def test_unknown_labels_are_refused(k8s_cluster):
    _template, _cluster = k8s_cluster
    driver = swarm_driver.SwarmHeatDriver()
    with pytest.raises(exception.InvalidLabels):
        driver.validate_labels({'no_such_label': 'x'})
    driver.validate_labels({})


def test_swarm_nodes_run_containers_and_kubernetes_nodes_do_not(services):
    host = swarm_driver.SwarmHeatDriver(services).container_host()
    assert type(host) is docker_nodes.NodeContainerHost
    assert host.services is services
    assert k8s_driver.KubernetesHeatDriver(services).container_host() is None
