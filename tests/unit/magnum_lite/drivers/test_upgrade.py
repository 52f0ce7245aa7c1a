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

"""In-place upgrades of k8s_heat clusters: versions and stack parameters."""

import types

import pytest

from magnum_lite.certificates import store
from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.conductor import clusters as conductor_clusters
from magnum_lite.drivers.heat import client as heat_client
from magnum_lite.drivers.k8s_heat import driver as k8s_driver
from magnum_lite.drivers.k8s_heat import params as k8s
from tests.harness import cluster_rows
from tests.harness import keys

certificate_config = keys.certificate_config


def _template(tag, name='newer'):
    return {'name': name, 'labels': {'kube_tag': tag} if tag else {}}


@pytest.mark.parametrize('current, new, error', [
    ('v1.31.1', 'v1.31.1', None),          # same version: nothing to do
    ('v1.31.1', 'v1.31.9', None),          # patch release
    ('v1.31.9', 'v1.32.0', None),          # next minor version
    ('v1.31.9', 'v1.31.10', None),         # numbers, not strings
    ('v1.31.1', None, 'has no kube_tag label'),
    ('v1.31.1', 'latest', 'is not a version'),
    ('v1.32.0', 'v1.31.9', 'older than the cluster'),
    ('v1.31.10', 'v1.31.9', 'older than the cluster'),
    ('v1.31.1', 'v1.33.0', 'skips a minor version'),
])
def test_check_upgrade(current, new, error):
    if error is None:
        assert k8s.check_upgrade(current, _template(new)) == new
        return
    with pytest.raises(exception.InvalidParameterValue) as caught:
        k8s.check_upgrade(current, _template(new))
    assert error in str(caught.value)
    assert caught.value.code == 400


@pytest.mark.parametrize('stack, new, history', [
    # A stack shows a comma_delimited_list parameter as one string.
    ({'kube_tag': 'v1.31.1', 'kube_tag_history': 'v1.31.1'}, 'v1.32.0',
     'v1.31.1,v1.32.0'),
    ({'kube_tag': 'v1.32.0', 'kube_tag_history': 'v1.31.1,v1.32.0'},
     'v1.32.3', 'v1.31.1,v1.32.0,v1.32.3'),
    # The same version adds nothing, so no node has anything to signal.
    ({'kube_tag': 'v1.32.0', 'kube_tag_history': 'v1.31.1,v1.32.0'},
     'v1.32.0', 'v1.31.1,v1.32.0'),
    # A stack without a history starts one from its kube_tag.
    ({'kube_tag': 'v1.31.1'}, 'v1.32.0', 'v1.31.1,v1.32.0'),
    ({'kube_tag_history': "['v1.31.1']"}, 'v1.32.0', 'v1.31.1,v1.32.0'),
])
def test_upgrade_parameters_extend_the_history(stack, new, history):
    assert k8s.upgrade_parameters(new, stack) == {
        'kube_tag': new, 'kube_tag_history': history}


def test_split_history():
    assert k8s.split_history(['v1', 'v2']) == ['v1', 'v2']
    assert k8s.split_history('v1, v2') == ['v1', 'v2']
    assert k8s.split_history('') == []
    assert k8s.split_history(None) == []


@pytest.fixture
def k8s_cluster(database, certificate_config):
    template = cluster_rows.make_template(
        database, image_id='fcos-40', cluster_distro='fedora-coreos',
        external_network_id='public', labels={'kube_tag': 'v1.31.4'})
    cluster = cluster_rows.make_cluster(database, template, node_count=2,
                                        labels={'kube_tag': 'v1.31.4'},
                                        stack_id='cluster-stack')
    store.generate_cluster_cas(database, cluster)
    newer = cluster_rows.make_template(
        database, name='newer', image_id='fcos-40',
        cluster_distro='fedora-coreos', external_network_id='public',
        labels={'kube_tag': 'v1.32.1'})
    return template, newer, database.get_cluster_by_uuid(
        ml_context.make_admin_context(), cluster.uuid)


class FakeStacks(object):
    """heatclient's stacks manager: shows parameters, records updates."""

    def __init__(self, parameters):
        self.parameters = parameters
        self.updates = []

    def get(self, stack_id, **kwargs):
        return types.SimpleNamespace(id=stack_id,
                                     parameters=self.parameters[stack_id])

    def update(self, stack_id, **kwargs):
        self.updates.append((stack_id, kwargs))


@pytest.fixture
def heat(monkeypatch):
    stacks = FakeStacks({})
    monkeypatch.setattr(heat_client, 'get_client',
                        lambda *args, **kwargs: types.SimpleNamespace(
                            stacks=stacks))
    return stacks


def test_new_stacks_start_their_history_at_their_kube_tag(k8s_cluster,
                                                          services):
    template, _newer, cluster = k8s_cluster
    driver = k8s_driver.KubernetesHeatDriver(services)
    parameters = driver.stack_definition(None, cluster, template,
                                         cluster.nodegroups).parameters
    assert parameters['kube_tag_history'] == 'v1.31.4'


def test_upgrade_updates_the_cluster_stack_only_in_version(k8s_cluster,
                                                           heat, services):
    _template, newer, cluster = k8s_cluster
    heat.parameters[cluster.stack_id] = {
        'kube_tag': 'v1.31.4', 'kube_tag_history': 'v1.31.4',
        'number_of_minions': '2'}
    k8s_driver.KubernetesHeatDriver(services).upgrade_cluster(
        None, cluster, newer, 2)
    (stack_id, update), = heat.updates
    assert stack_id == cluster.stack_id
    assert update['existing'] is True
    assert update['parameters'] == {
        'kube_tag': 'v1.32.1', 'kube_tag_history': 'v1.31.4,v1.32.1',
        'update_max_batch_size': 2}
    assert 'template' not in update


def test_upgrade_of_a_nodegroup_updates_its_own_stack(k8s_cluster, heat,
                                                      database, services):
    template, _newer, cluster = k8s_cluster
    nodegroup = database.create_nodegroup({
        'name': 'extra', 'cluster_id': cluster.uuid, 'role': 'worker',
        'node_count': 1, 'project_id': cluster.project_id,
        'stack_id': 'ng-stack', 'status': states.CREATE_COMPLETE})
    heat.parameters['ng-stack'] = {'kube_tag': 'v1.31.1',
                                   'kube_tag_history': 'v1.31.1'}
    k8s_driver.KubernetesHeatDriver(services).upgrade_cluster(
        None, cluster, template, 1, nodegroup)
    (stack_id, update), = heat.updates
    assert stack_id == 'ng-stack'
    assert update['parameters']['kube_tag_history'] == 'v1.31.1,v1.31.4'


def test_upgrade_refuses_an_older_version_than_the_stack_runs(
        k8s_cluster, heat, services):
    _template, newer, cluster = k8s_cluster
    heat.parameters[cluster.stack_id] = {'kube_tag': 'v1.32.5',
                                         'kube_tag_history': 'v1.32.5'}
    with pytest.raises(exception.InvalidParameterValue):
        k8s_driver.KubernetesHeatDriver(services).upgrade_cluster(
            None, cluster, newer, 1)
    assert heat.updates == []


def test_updates_leave_the_version_to_upgrades(k8s_cluster, heat, services):
    _template, _newer, cluster = k8s_cluster
    k8s_driver.KubernetesHeatDriver(services).update_cluster(
        None, cluster, cluster.nodegroups)
    (_stack_id, update), = heat.updates
    assert 'number_of_minions' in update['parameters']
    assert not set(k8s.VERSION_PARAMETERS) & set(update['parameters'])


def test_conductor_moves_own_version_labels_to_the_new_template(
        k8s_cluster, heat, database, services):
    _template, newer, cluster = k8s_cluster
    heat.parameters[cluster.stack_id] = {'kube_tag': 'v1.31.4',
                                         'kube_tag_history': 'v1.31.4'}
    database.update_cluster(cluster.uuid, {'driver': 'k8s_heat'})
    from magnum_lite.drivers import loader
    registry = loader._Registry(
        {'k8s_heat': k8s_driver.KubernetesHeatDriver(services)})
    saved, loader._drivers = loader._drivers, registry
    try:
        conductor_clusters.upgrade(database, None, cluster.uuid, newer.uuid,
                                   1, None)
    finally:
        loader._drivers = saved
    cluster = database.get_cluster_by_uuid(ml_context.make_admin_context(),
                                           cluster.uuid)
    assert cluster.cluster_template_id == newer.uuid
    assert cluster.labels == {'kube_tag': 'v1.32.1'}


@pytest.mark.parametrize('labels, expected', [
    ({'kube_tag': 'v1.31.4', 'x': '1'}, {'kube_tag': 'v1.32.1', 'x': '1'}),
    ({'x': '1'}, None),
    ({}, None),
    (None, None),
])
def test_upgraded_labels(labels, expected):
    template = types.SimpleNamespace(labels={'kube_tag': 'v1.32.1'})
    assert conductor_clusters._upgraded_labels(
        labels, template, ('kube_tag',)) == expected


def test_a_heat_driver_without_upgrade_parameters_refuses_upfront():
    from magnum_lite.drivers.heat import driver as heat_driver

    class NoUpgrades(heat_driver.HeatDriver):
        provides = []
        stack_definition = nodegroup_stack_definition = read_outputs = None

    with pytest.raises(exception.NotSupported):
        NoUpgrades().check_upgrade(None, None, None)
