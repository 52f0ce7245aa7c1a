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

"""The validation the variants pass is able to fail.

Each case breaks one thing a real cluster create would trip over: an
unknown flavor, image, keypair, network or volume type, a missing or
out-of-range parameter, a bad attribute reference, a mistake inside a
nested template, a fragment that lost a placeholder, a missing file. Heat
must refuse each, naming the problem.
"""

import pytest

from magnum_lite.drivers.k8s_heat import params as k8s
from magnum_lite.drivers.swarm_heat import params as swarm
from tests.functional.heat_templates import samples
from tests.functional.heat_templates import worker_client

MAIN = 'the main template'
BASE = {'os_distro': 'fedora-coreos', 'masters': 3, 'load_balancer': True,
        'floating_ips': True, 'volumes': True, 'network': 'private'}


def parameters(driver, ca, variant=None, change_rows=None):
    coe = 'kubernetes' if driver is k8s else 'swarm-mode'
    template, cluster, nodegroups = samples.rows(variant or BASE, coe)
    if change_rows:
        change_rows(template, cluster, nodegroups)
    return driver.build_parameters(template, cluster, nodegroups,
                                   samples.extra_for(driver, ca))


def set_row(index, **values):
    def change(template, cluster, nodegroups):
        rows = {'template': template, 'cluster': cluster,
                'master': nodegroups[0], 'worker': nodegroups[1]}
        rows[index].update(values)
    return change


def edit_file(name, old, new):
    def change(files):
        assert old in files[name], (name, old)
        files[name] = files[name].replace(old, new, 1)
    return change


# (id, driver, change to the sample rows, change to the parameters,
#  change to the files, what Heat's message must say)
CASES = [
    ('unknown worker flavor', k8s, set_row('worker', flavor_id='m1.huge'),
     None, None, 'm1.huge'),
    ('unknown master image', k8s, set_row('master', image_id='centos-7'),
     None, None, 'centos-7'),
    ('unknown keypair', swarm, set_row('cluster', keypair='nokey'),
     None, None, 'nokey'),
    ('unknown given network', k8s,
     set_row('cluster', fixed_network='nope', fixed_subnet='user-subnet'),
     None, None, 'nope'),
    ('unknown volume type', swarm, None,
     lambda p: p.update(docker_volume_type='nvme'), None, 'nvme'),
    ('unsupported image distribution', k8s,
     set_row('template', cluster_distro='centos'), None, None, 'centos'),
    ('no masters', swarm, set_row('master', node_count=0), None, None,
     'number_of_masters'),
    ('bad network CIDR', k8s, None,
     lambda p: p.update(fixed_network_cidr='10.0.0.0/99'), None,
     '10.0.0.0/99'),
    ('missing required parameter', k8s, None, lambda p: p.pop('ca_cert'),
     None, 'ca_cert'),
    ('missing certificate API', swarm, None,
     lambda p: p.pop('magnum_url'), None, 'magnum_url'),
    ('get_attr of an output the nested stack lacks', k8s, None, None,
     edit_file(MAIN, 'subnet: {get_attr: [network, subnet]}',
               'subnet: {get_attr: [network, subnets]}'), 'subnets'),
    ('get_attr of a missing resource', swarm, None, None,
     edit_file(MAIN,
               'primary_address: {get_attr: [primary_port',
               'primary_address: {get_attr: [primary_prot'),
     'primary_prot'),
    ('unknown property in the node template', k8s, None, None,
     edit_file('../../heat/templates/node.yaml', 'user_data_format: RAW',
               'user_data_format: RAW\n      user_data_fromat: RAW'),
     'user_data_fromat'),
    ('bad value in the load balancer template', swarm, None, None,
     edit_file('../../heat/templates/lb.yaml', 'lb_algorithm: ROUND_ROBIN',
               'lb_algorithm: RANDOM'), 'RANDOM'),
    ('node fragment lost a placeholder', k8s, None, None,
     edit_file('fragments/node-params.sh', "'@WAIT_TOKEN@'", "''"),
     '@WAIT_TOKEN@'),
    ('cluster fragment lost a placeholder', swarm, None, None,
     edit_file('fragments/cluster-params.sh', "'@MAGNUM_URL@'", "''"),
     '@MAGNUM_URL@'),
    ('fragment missing from the files', k8s, None, None,
     lambda files: files.pop('fragments/kubeadm-worker.sh'),
     'kubeadm-worker.sh'),
]


@pytest.mark.parametrize('case', CASES, ids=[c[0] for c in CASES])
def test_heat_refuses(heat, ca, case):
    _name, driver, change_rows, change_params, change_files, expected = case
    params = parameters(driver, ca, change_rows=change_rows)
    if change_params:
        change_params(params)
    files = dict(driver.template_files(), **{MAIN: driver.template()})
    if change_files:
        change_files(files)
    with pytest.raises(worker_client.HeatValidationFailed) as failure:
        heat.validate(files.pop(MAIN), files, params)
    assert expected in str(failure.value)


def test_unchanged_base_variant_passes(heat, ca):
    """The cases above fail for their change alone."""
    for driver in (k8s, swarm):
        heat.validate(driver.template(), driver.template_files(),
                      parameters(driver, ca))
