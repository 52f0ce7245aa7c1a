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

"""Every template variant passes the real Heat engine's full validation.

For each driver and each combination of options (samples.CHOICES: image
distribution, 1 or 3 masters, load balancer, floating IPs, volumes,
private or given network) the parameters come from the driver's own
build_parameters, Heat validates the cluster stack and every nested
stack strictly, and then the nodegroup stack with the cluster stack's
outputs. What Heat resolved is checked too: the resources the variant
asks for (and only those) were validated, every server's user_data is a
script bash can parse (inside an Ignition config on Fedora CoreOS) that
fits Nova's limit, and the API address has the driver's form. k8s nodes
also carry their upgrade wait condition, and the k8s nodegroup stack is
validated with the parameters an upgrade gives it.
"""

import base64
import json
import re
import subprocess
import urllib.parse

import pytest

from magnum_lite.drivers.k8s_heat import params as k8s
from magnum_lite.drivers.swarm_heat import params as swarm
from tests.functional.heat_templates import samples

VARIANTS = list(samples.variants())
IDS = [samples.variant_id(v) for v in VARIANTS]
NOVA_USER_DATA_LIMIT = 65535
PLACEHOLDER = re.compile(r"'@[A-Z_]+@'")


def script_of(user_data, os_distro):
    """The bash script a server runs, out of its user_data."""
    if os_distro == 'fedora-coreos':
        ignition = json.loads(user_data)
        assert ignition['ignition']['version'] == '3.3.0'
        source = ignition['storage']['files'][0]['contents']['source']
        assert source.startswith('data:,')
        # Only RFC 2396 URI characters, as Ignition's data: URL parser
        # accepts.
        assert re.fullmatch(r"[A-Za-z0-9_.!~*'();/?:@&=+$,%-]*",
                            source[len('data:,'):])
        return urllib.parse.unquote(source[len('data:,'):])
    return user_data


def check_servers(record, variant, secrets_of_masters, count=2):
    servers = {stack: data for stack, _name, data in record.user_data}
    assert len(servers) == count, servers.keys()
    for stack, user_data in servers.items():
        size = len(base64.b64encode(user_data.encode()))
        assert size <= NOVA_USER_DATA_LIMIT, (stack, size)
        script = script_of(user_data, variant['os_distro'])
        assert script.startswith('#!/bin/bash\n')
        assert not PLACEHOLDER.search(script), PLACEHOLDER.search(script)
        parsed = subprocess.run(['bash', '-n'], input=script, text=True,
                                capture_output=True)
        assert parsed.returncode == 0, (stack, parsed.stderr)
        is_master = '_masters-' in stack
        for secret in secrets_of_masters:
            assert (secret in script) == is_master, stack


def check_resources(record, variant, upgradable=False):
    """The variant's resources, and the upgrade handle when upgradable.

    Every node has its bootstrap wait condition; a node of an upgradable
    driver also its upgrade handle and condition.
    """
    types = {}
    for _stack, _name, kind in record.resources:
        types[kind] = types.get(kind, 0) + 1
    names = {name for _stack, name, _kind in record.resources}
    assert ({'upgrade_handle', 'upgrade_condition'} <= names) == upgradable
    servers = types['OS::Nova::Server']
    assert types['OS::Heat::WaitCondition'] == servers * (1 + upgradable)
    expected = {
        'OS::Octavia::LoadBalancer': variant['load_balancer'],
        'OS::Octavia::PoolMember': variant['load_balancer'],
        'OS::Neutron::FloatingIP': variant['floating_ips'],
        'OS::Cinder::Volume': variant['volumes'],
        'OS::Cinder::VolumeAttachment': variant['volumes'],
        'OS::Neutron::Net': variant['network'] == 'private',
        'OS::Neutron::Router': variant['network'] == 'private',
        'OS::Nova::Server': True,
        'OS::Heat::WaitCondition': True,
    }
    for kind, wanted in expected.items():
        assert bool(types.get(kind)) == wanted, (kind, types)


def validate_cluster(heat, driver, variant, ca, coe, more_extra=None):
    template, cluster, nodegroups = samples.rows(variant, coe)
    params = driver.build_parameters(template, cluster, nodegroups,
                                     dict(samples.extra_for(driver, ca),
                                          **(more_extra or {})))
    record = heat.validate(driver.template(), driver.template_files(),
                           params)
    check_resources(record, variant, upgradable=driver is k8s)
    return template, cluster, record


def validate_nodegroup(heat, driver, variant, ca, template, cluster,
                       cluster_record, upgrade_to=None):
    """The nodegroup stack; upgraded to kube_tag `upgrade_to` if given."""
    outputs = heat.top_outputs(cluster_record)
    extra = samples.extra_for(driver, ca)
    extra.update({name: outputs[name]
                  for name in driver.CLUSTER_OUTPUTS_FOR_NODEGROUPS})
    params = driver.build_nodegroup_parameters(
        template, cluster, samples.user_nodegroup(variant), extra)
    if upgrade_to:
        params.update(driver.upgrade_parameters(upgrade_to, params),
                      update_max_batch_size=2)
    record = heat.validate(driver.nodegroup_template(),
                           driver.template_files(), params)
    check_resources(record, dict(variant, load_balancer=False,
                                 network='given'),
                    upgradable=driver is k8s)
    return record


def key_line(pem):
    return pem.strip().splitlines()[1]


@pytest.mark.parametrize('variant', VARIANTS, ids=IDS)
def test_kubernetes_variant(heat, ca, other_cas, variant):
    template, cluster, record = validate_cluster(heat, k8s, variant, ca,
                                                 'kubernetes', other_cas)
    outputs = heat.top_outputs(record)
    assert re.fullmatch(r'https://[0-9.]+:6443', outputs['api_address'])
    assert outputs['coe_version'] == k8s.DEFAULT_KUBE_TAG
    # Only masters hold the CA keys and the control-plane certificate key.
    secrets = [key_line(ca[1]), key_line(other_cas['etcd_ca_key']),
               key_line(other_cas['front_proxy_ca_key']),
               'CERTIFICATE_KEY=\'%s\'' % k8s.build_parameters(
                   *samples.rows(variant, 'kubernetes'),
                   samples.extra_for(k8s, ca))['certificate_key']]
    check_servers(record, variant, secrets)

    # The nodegroup stack as an upgrade to the next minor version leaves
    # it: two versions in its history, workers two at a time.
    ng_record = validate_nodegroup(heat, k8s, variant, ca, template,
                                   cluster, record, upgrade_to='v1.32.0')
    check_servers(ng_record, variant, secrets, count=1)
    assert "KUBE_TAG='v1.32.0'" in script_of(ng_record.user_data[0][2],
                                             variant['os_distro'])
    assert 'OS::Octavia::LoadBalancer' not in {
        kind for _s, _n, kind in ng_record.resources}


@pytest.mark.parametrize('variant', VARIANTS, ids=IDS)
def test_swarm_variant(heat, ca, variant):
    template, cluster, record = validate_cluster(heat, swarm, variant, ca,
                                                 'swarm-mode')
    outputs = heat.top_outputs(record)
    assert re.fullmatch(r'tcp://[0-9.]+:2376', outputs['api_address'])
    # No node ever holds the CA key.
    check_servers(record, variant, [])
    assert key_line(ca[1]) not in str(record.user_data)

    ng_record = validate_nodegroup(heat, swarm, variant, ca, template,
                                   cluster, record)
    check_servers(ng_record, variant, [], count=1)


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_every_label_and_option_reaches_heat(heat, ca, driver):
    """Every label, proxies, an OpenStack CA, flannel, no keypair.

    All are accepted by Heat, and the scripts carry them.
    """
    variant = dict(VARIANTS[-1], os_distro='ubuntu')
    coe = 'kubernetes' if driver is k8s else 'swarm-mode'
    labels = samples.example_labels(driver.LABEL_SCHEMA)
    template, cluster, nodegroups = samples.rows(variant, coe, labels)
    template.update(http_proxy='http://proxy.example:3128',
                    https_proxy='http://proxy.example:3128',
                    no_proxy='localhost,10.0.0.0/8', keypair_id=None,
                    network_driver='flannel' if driver is k8s else None)
    cluster['keypair'] = None
    extra = dict(samples.extra_for(driver, ca), openstack_ca=ca[0])
    params = driver.build_parameters(template, cluster, nodegroups, extra)
    assert 'ssh_key_name' not in params
    record = heat.validate(driver.template(), driver.template_files(),
                           params)
    scripts = '\n'.join(data for _s, _n, data in record.user_data)
    assert "HTTP_PROXY='http://proxy.example:3128'" in scripts
    assert ca[0].strip() in scripts
    if driver is k8s:
        for name in ('kube_tag', 'kube_binaries_url', 'cni_manifest_url',
                     'container_infra_prefix', 'pods_network_cidr'):
            assert labels[name] in scripts, name
        assert "NETWORK_DRIVER='flannel'" in scripts


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_resize_parameters_are_accepted(heat, ca, driver):
    """The parameters resize_parameters gives are the templates' own."""
    variant = VARIANTS[0]
    coe = 'kubernetes' if driver is k8s else 'swarm-mode'
    template, cluster, nodegroups = samples.rows(variant, coe)
    extra = samples.extra_for(driver, ca)
    params = driver.build_parameters(template, cluster, nodegroups, extra)
    params.update(driver.resize_parameters(nodegroups[1], 1, ['0']))
    record = heat.validate(driver.template(), driver.template_files(),
                           params)
    extra.update({name: heat.top_outputs(record)[name]
                  for name in driver.CLUSTER_OUTPUTS_FOR_NODEGROUPS})
    nodegroup = samples.user_nodegroup(variant)
    params = driver.build_nodegroup_parameters(template, cluster, nodegroup,
                                               extra)
    params.update(driver.resize_parameters(nodegroup, 3, ['1', 'abc']))
    heat.validate(driver.nodegroup_template(), driver.template_files(),
                  params)
