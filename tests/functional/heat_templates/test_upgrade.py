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

"""A k8s_heat upgrade is a stack update that rebuilds nothing.

The parameters come from the driver's own build_parameters and
upgrade_parameters; the real Heat engine validates both sides and then
runs its own update preview (StackUpdate.preview, as `openstack stack
update --dry-run`) on the cluster stack and every nested stack. Each
resource the update would touch in place names the properties that
change, computed by the same Heat code a real update runs, which raises
UpdateReplace wherever the update would replace the resource instead.
"""

import pytest

from magnum_lite.drivers.k8s_heat import params as k8s
from tests.functional.heat_templates import samples

NEW_TAG = 'v1.32.0'
VARIANTS = [
    {'os_distro': 'fedora-coreos', 'masters': 3, 'load_balancer': True,
     'floating_ips': True, 'volumes': True, 'network': 'private'},
    {'os_distro': 'ubuntu', 'masters': 1, 'load_balancer': False,
     'floating_ips': False, 'volumes': False, 'network': 'given'},
]
IDS = [samples.variant_id(v) for v in VARIANTS]
NESTED = ('OS::Heat::ResourceGroup',)
# What an upgrade may change in place, and how.
ALLOWED = {
    # The version in the metadata; user_data too, which node.yaml's
    # user_data_update_policy IGNORE keeps from rebuilding the server.
    'OS::Nova::Server': {'metadata', 'user_data'},
    # One more signal to wait for.
    'OS::Heat::WaitCondition': {'count'},
    # The bootstrap script of nodes made later.
    'OS::Heat::Value': {'value'},
}


def upgraded(parameters, batch=2):
    """The parameters after the conductor's upgrade to NEW_TAG."""
    shown = {name: ','.join(value) if isinstance(value, list) else value
             for name, value in parameters.items()}
    new = dict(parameters, update_max_batch_size=batch)
    new.update(k8s.upgrade_parameters(NEW_TAG, shown))
    return new


def leaf_changes(stacks):
    """[(stack, resource, type, changed properties)] of real resources."""
    changes = []
    for name, preview in stacks.items():
        assert not preview['replaced'], (name, preview['replaced'])
        for resource, properties in preview['updated'].items():
            kind = preview['types'][resource]
            if kind.endswith('.yaml') or kind in NESTED:
                continue
            changes.append((name, resource, kind, set(properties)))
    return changes


def check_in_place(stacks, nodes):
    for name, preview in stacks.items():
        assert not preview['added'] and not preview['deleted'], (
            name, preview)
    changes = leaf_changes(stacks)
    for name, resource, kind, properties in changes:
        assert kind in ALLOWED, (name, resource, kind, properties)
        assert properties <= ALLOWED[kind], (name, resource, properties)
    servers = [c for c in changes if c[2] == 'OS::Nova::Server']
    conditions = [c for c in changes if c[2] == 'OS::Heat::WaitCondition']
    assert len(servers) == nodes and all('metadata' in c[3]
                                         for c in servers), servers
    # The upgrade's condition only: the boot one is left alone.
    assert {c[1] for c in conditions} == {'upgrade_condition'}
    assert len(conditions) == nodes
    return changes


def cluster_parameters(ca, other_cas, variant):
    template, cluster, nodegroups = samples.rows(variant, 'kubernetes')
    extra = dict(samples.extra_for(k8s, ca), **other_cas)
    return template, cluster, k8s.build_parameters(template, cluster,
                                                   nodegroups, extra)


@pytest.mark.parametrize('variant', VARIANTS, ids=IDS)
def test_upgrade_updates_nodes_in_place(heat, ca, other_cas, variant):
    template, cluster, parameters = cluster_parameters(ca, other_cas,
                                                       variant)
    assert parameters['kube_tag_history'] == k8s.DEFAULT_KUBE_TAG
    new = upgraded(parameters)
    assert new['kube_tag_history'] == '%s,%s' % (k8s.DEFAULT_KUBE_TAG,
                                                 NEW_TAG)
    stacks = heat.preview_update(k8s.template(), k8s.template_files(),
                                 parameters, new)
    # Heat validates one member of each group: a master and a worker.
    check_in_place(stacks, nodes=2)

    # A user nodegroup's own stack is upgraded the same way.
    record = heat.validate(k8s.template(), k8s.template_files(), parameters)
    outputs = heat.top_outputs(record)
    extra = samples.extra_for(k8s, ca)
    extra.update({name: outputs[name]
                  for name in k8s.CLUSTER_OUTPUTS_FOR_NODEGROUPS})
    ng_parameters = k8s.build_nodegroup_parameters(
        template, cluster, samples.user_nodegroup(variant), extra)
    stacks = heat.preview_update(k8s.nodegroup_template(),
                                 k8s.template_files(), ng_parameters,
                                 upgraded(ng_parameters, batch=3))
    check_in_place(stacks, nodes=1)


def test_the_same_version_changes_nothing(heat, ca, other_cas):
    _template, _cluster, parameters = cluster_parameters(ca, other_cas,
                                                         VARIANTS[1])
    shown = dict(parameters)
    new = dict(parameters, **k8s.upgrade_parameters(
        parameters['kube_tag'], shown))
    assert new == parameters
    stacks = heat.preview_update(k8s.template(), k8s.template_files(),
                                 parameters, new)
    assert leaf_changes(stacks) == []


def test_a_resize_does_not_wait_on_the_existing_nodes(heat, ca, other_cas):
    """New nodes only: no count changes, so nothing waits for a signal."""
    _template, _cluster, parameters = cluster_parameters(ca, other_cas,
                                                         VARIANTS[1])
    new = dict(parameters, number_of_minions=3)
    stacks = heat.preview_update(k8s.template(), k8s.template_files(),
                                 parameters, new)
    changes = leaf_changes(stacks)
    assert not [c for c in changes if c[2] in ('OS::Nova::Server',
                                               'OS::Heat::WaitCondition')]


def test_upgraded_scripts_carry_the_agent(heat, ca, other_cas):
    _template, _cluster, parameters = cluster_parameters(ca, other_cas,
                                                         VARIANTS[1])
    record = heat.validate(k8s.template(), k8s.template_files(),
                           upgraded(parameters))
    for _stack, _server, user_data in record.user_data:
        assert "KUBE_TAG='%s'" % NEW_TAG in user_data
        assert "<<'END_OF_AGENT'\n#!/bin/bash\n" in user_data
        assert 'systemctl enable --now magnum-lite-upgrade.timer' in \
            user_data
        # The handle's HEAT_SIGNAL credentials (a stand-in here).
        assert "UPGRADE_SIGNAL='runtime-upgrade_handle-signal'" in user_data


def test_the_preview_sees_a_replacement(heat, ca, other_cas):
    """The check above can fail: a new availability zone rebuilds nodes."""
    _template, _cluster, parameters = cluster_parameters(ca, other_cas,
                                                         VARIANTS[1])
    new = dict(upgraded(parameters), availability_zone='az2')
    stacks = heat.preview_update(k8s.template(), k8s.template_files(),
                                 parameters, new)
    replaced = {(name, resource) for name, preview in stacks.items()
                for resource in preview['replaced']}
    assert ('validate-me-kube_minions-0', 'server') in replaced, replaced
    with pytest.raises(AssertionError):
        check_in_place(stacks, nodes=2)
