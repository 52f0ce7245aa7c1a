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

"""The Heat parameter and output tables, and the pure functions over them."""

import pytest

from magnum_lite.common import exception
from magnum_lite.drivers.heat import params as hp
from magnum_lite.drivers.k8s_heat import params as k8s
from magnum_lite.drivers.swarm_heat import params as swarm

P = hp.param

TEMPLATE = {'image_id': 'tmpl-image', 'flavor_id': 'tmpl-flavor',
            'master_flavor_id': 'tmpl-master-flavor',
            'docker_volume_size': 20, 'floating_ip_enabled': True,
            'labels': {'size': '3', 'where': 'template', 'flag': 'TRUE'}}
CLUSTER = {'uuid': 'c-uuid', 'name': 'demo', 'flavor_id': 'cl-flavor',
           'fixed_network': '', 'floating_ip_enabled': False,
           'labels': {'where': 'cluster'}}
MASTER = {'name': 'default-master', 'role': 'master', 'is_default': True,
          'node_count': 3, 'flavor_id': None}
WORKER = {'name': 'default-worker', 'role': 'worker', 'is_default': True,
          'node_count': 0, 'flavor_id': 'ng-flavor'}
EXTRA_WORKER = {'name': 'big', 'role': 'worker', 'is_default': False,
                'node_count': 5, 'labels': {'where': 'nodegroup'}}


@pytest.mark.parametrize('row, expected', [
    # The first source with a value wins.
    (P('x', 'worker.flavor_id', 'cluster.flavor_id'), 'ng-flavor'),
    (P('x', 'master.flavor_id', 'cluster.flavor_id'), 'cl-flavor'),
    (P('x', 'cluster.image_id', 'template.image_id'), 'tmpl-image'),
    # An empty string is no value.
    (P('x', 'cluster.fixed_network', 'label:where'), 'cluster'),
    # A false or zero value is a value.
    (P('x', 'cluster.floating_ip_enabled', 'template.floating_ip_enabled',
       type='boolean'), False),
    (P('x', 'worker.node_count', type='number', default=1), 0),
    # Labels: the cluster's override the template's.
    (P('x', 'label:where'), 'cluster'),
    (P('x', 'label:size', type='number'), 3),
    (P('x', 'label:flag', type='boolean'), True),
    (P('x', 'extra:given'), 'from-extra'),
    (P('x', 'label:missing', default='fallback'), 'fallback'),
    (P('x', 'template.dns', type='comma_delimited_list',
       default=['1.1.1.1', '8.8.8.8']), '1.1.1.1,8.8.8.8'),
    (P('x', 'extra:blob', type='json'), {'a': 1}),
    (P('x', 'master.node_count', type='string'), '3'),
])
def test_render_sources(row, expected):
    params = hp.render([row], TEMPLATE, CLUSTER, [MASTER, WORKER],
                       extra={'given': 'from-extra', 'blob': '{"a": 1}'})
    assert params == {'x': expected}


def test_render_nodegroup_labels_win():
    row = P('x', 'label:where')
    assert hp.render([row], TEMPLATE, CLUSTER,
                     nodegroup=EXTRA_WORKER) == {'x': 'nodegroup'}
    assert hp.render([P('n', 'nodegroup.node_count', type='number')],
                     TEMPLATE, CLUSTER, nodegroup=EXTRA_WORKER) == {'n': 5}


def test_render_leaves_out_an_optional_value_without_default():
    assert hp.render([P('x', 'label:missing')], TEMPLATE, CLUSTER) == {}


def test_render_names_a_missing_required_parameter():
    with pytest.raises(exception.InvalidParameterValue) as failure:
        hp.render([P('ca_cert', 'extra:ca_cert', required=True)],
                  TEMPLATE, CLUSTER)
    assert 'ca_cert' in str(failure.value)
    assert 'extra:ca_cert' in str(failure.value)


@pytest.mark.parametrize('kind, value', [
    ('number', 'three'), ('number', True), ('boolean', 'maybe'),
    ('json', '{not json'),
])
def test_convert_refuses_ill_typed_values(kind, value):
    with pytest.raises(exception.InvalidParameterValue) as failure:
        hp.convert('size', kind, value)
    assert 'size' in str(failure.value)


@pytest.mark.parametrize('bad', [
    lambda: P('x', 'clusters.name'), lambda: P('x', 'label'),
    lambda: P('x', 'template.'), lambda: P('x', 'cluster.name', type='int'),
    lambda: hp.Output('x', 'stack.name'), lambda: hp.Output('x', 'cluster'),
])
def test_tables_refuse_bad_rows(bad):
    with pytest.raises(ValueError):
        bad()


def test_default_nodegroup():
    second_master = dict(MASTER, is_default=False, name='m2')
    assert hp.default_nodegroup([second_master, MASTER, WORKER],
                                'master') is MASTER
    assert hp.default_nodegroup([second_master], 'master') is second_master
    assert hp.default_nodegroup([MASTER], 'worker') is None


def test_field_reads_objects_and_dicts():
    class Row(object):
        name = 'object'
    assert hp.field(Row(), 'name') == 'object'
    assert hp.field({'name': 'dict'}, 'name') == 'dict'
    assert hp.field(None, 'name') is None


@pytest.mark.parametrize('outputs', [
    [{'output_key': 'api_address', 'output_value': 'https://1.2.3.4:6443'},
     {'output_key': 'kube_masters', 'output_value': ['1.2.3.4']},
     {'output_key': 'kube_minions', 'output_value': None}],
    {'api_address': 'https://1.2.3.4:6443', 'kube_masters': ['1.2.3.4']},
])
def test_read_outputs(outputs):
    fields = hp.read_outputs(k8s.OUTPUTS, outputs,
                             parameters={'number_of_minions': '4'})
    assert fields == {
        'cluster': {'api_address': 'https://1.2.3.4:6443'},
        'master': {'node_addresses': ['1.2.3.4']},
        'worker': {'node_count': 4},
    }


def test_derive_secret_is_stable_and_keyed():
    one = hp.derive_secret('key-1', 'purpose', 'ab', 16)
    assert one == hp.derive_secret('key-1', 'purpose', 'ab', 16)
    assert one != hp.derive_secret('key-2', 'purpose', 'ab', 16)
    assert set(one) <= {'a', 'b'} and len(one) == 16


# -- the drivers' tables -------------------------------------------------

K8S_TEMPLATE = {'cluster_distro': 'ubuntu', 'external_network_id': 'public',
                'image_id': 'ubuntu-24.04', 'flavor_id': 'm1.small',
                'master_flavor_id': 'm1.large', 'keypair_id': 'default',
                'network_driver': 'flannel', 'dns_nameserver': '9.9.9.9',
                'labels': {'kube_tag': 'v1.31.2',
                           'master_lb_allowed_cidrs': '10.0.0.0/8'}}
K8S_CLUSTER = {'uuid': 'c-uuid', 'name': 'demo', 'keypair': 'mine',
               'master_lb_enabled': True, 'labels': {}}
CA = {'ca_cert': 'CERT', 'ca_key': 'KEY'}
BIG = {'name': 'big', 'role': 'worker', 'node_count': 5,
       'labels': {'availability_zone': 'az2'}}


def test_k8s_cluster_parameters():
    params = k8s.build_parameters(K8S_TEMPLATE, K8S_CLUSTER,
                                  [MASTER, WORKER], CA)
    assert params['cluster_name'] == 'demo'
    assert params['os_distro'] == 'ubuntu'
    assert params['ssh_key_name'] == 'mine'
    assert params['kube_tag'] == 'v1.31.2'
    assert params['master_lb_enabled'] is True
    assert params['number_of_masters'] == 3
    assert params['number_of_minions'] == 0
    assert params['minion_flavor'] == 'ng-flavor'
    assert params['master_flavor'] == 'm1.large'
    assert params['master_lb_allowed_cidrs'] == '10.0.0.0/8'
    assert params['network_driver'] == 'flannel'
    assert params['ca_key'] == 'KEY'
    token_id, token_secret = params['bootstrap_token'].split('.')
    assert len(token_id) == 6 and len(token_secret) == 16
    assert len(params['certificate_key']) == 64
    # Every parameter is one the template declares.
    assert set(params) <= set(hp.names(k8s.PARAMETERS))


def test_k8s_kube_tag_defaults():
    template = dict(K8S_TEMPLATE, labels={})
    params = k8s.build_parameters(template, K8S_CLUSTER, [MASTER], CA)
    assert params['kube_tag'] == k8s.DEFAULT_KUBE_TAG


def test_k8s_nodegroup_shares_the_token_but_not_the_ca_key():
    cluster = k8s.build_parameters(K8S_TEMPLATE, K8S_CLUSTER,
                                   [MASTER, WORKER], CA)
    outputs = {'network': 'net', 'subnet': 'sub',
               'nodes_security_group': 'sg', 'api_private_address': '10.0.0.5',
               'api_public_address': ''}
    ng = k8s.build_nodegroup_parameters(K8S_TEMPLATE, K8S_CLUSTER,
                                        BIG, dict(CA, **outputs))
    assert ng['bootstrap_token'] == cluster['bootstrap_token']
    assert 'ca_key' not in ng and 'certificate_key' not in ng
    assert ng['nodegroup_name'] == 'big'
    assert ng['node_count'] == 5
    assert ng['api_private_address'] == '10.0.0.5'
    assert ng['availability_zone'] == 'az2'
    assert 'api_public_address' not in ng


def test_k8s_nodegroup_needs_the_cluster_stack_outputs():
    with pytest.raises(exception.InvalidParameterValue) as failure:
        k8s.build_nodegroup_parameters(K8S_TEMPLATE, K8S_CLUSTER, BIG, CA)
    assert 'extra:network' in str(failure.value)


def test_k8s_labels_are_checked_before_anything_else():
    template = dict(K8S_TEMPLATE, labels={'kube_tag': 'latest'})
    with pytest.raises(exception.InvalidLabels) as failure:
        k8s.build_parameters(template, K8S_CLUSTER, [MASTER], CA)
    assert 'kube_tag' in str(failure.value)


def test_swarm_cluster_parameters():
    template = dict(K8S_TEMPLATE, labels={'bootstrap_timeout': '600'})
    cluster = dict(K8S_CLUSTER, trust_id='t-1', trustee_user_id='u-1')
    params = swarm.build_parameters(
        template, cluster, [MASTER, WORKER],
        {'ca_cert': 'CERT', 'magnum_url': 'http://api/v1',
         'trustee_password': 'pw', 'verify_ca': 'false'})
    assert params['trust_id'] == 't-1'
    assert params['trustee_user_id'] == 'u-1'
    assert params['trustee_password'] == 'pw'
    assert params['verify_ca'] is False
    assert params['bootstrap_timeout'] == 600
    assert params['number_of_nodes'] == 0
    assert 'ca_key' not in params
    assert set(params) <= set(hp.names(swarm.PARAMETERS))


def test_swarm_needs_the_certificate_api():
    with pytest.raises(exception.InvalidParameterValue) as failure:
        swarm.build_parameters(dict(K8S_TEMPLATE, labels={}), K8S_CLUSTER,
                               [MASTER], {'ca_cert': 'CERT'})
    assert 'magnum_url' in str(failure.value)


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_tables_match_the_templates(driver):
    """Table rows and template parameters agree.

    Every row is a parameter of its template, and every template
    parameter without a default has a row.
    """
    import yaml
    for path, table in ((driver.TEMPLATE_PATH, driver.PARAMETERS),
                        (driver.NODEGROUP_TEMPLATE_PATH,
                         driver.NODEGROUP_PARAMETERS)):
        with open(path) as f:
            declared = yaml.safe_load(f)['parameters']
        names = hp.names(table)
        assert len(names) == len(set(names)), path
        assert set(names) <= set(declared), set(names) - set(declared)
        needed = {n for n, p in declared.items() if 'default' not in p}
        assert needed <= set(names), needed - set(names)


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_outputs_match_the_templates(driver):
    import yaml
    for path, table in ((driver.TEMPLATE_PATH, driver.OUTPUTS),
                        (driver.NODEGROUP_TEMPLATE_PATH,
                         driver.NODEGROUP_OUTPUTS)):
        with open(path) as f:
            template = yaml.safe_load(f)
        for row in table:
            where = 'parameters' if row.parameter else 'outputs'
            assert row.name in template[where], (path, row.name)


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_template_files(driver):
    files = driver.template_files()
    assert '../../heat/templates/node.yaml' in files
    assert 'script.yaml' in files
    assert files['fragments/node-params.sh'].startswith('#!/bin/bash')
    assert driver.template().startswith('# Licensed')


def test_template_files_refuses_two_files_under_one_name(tmp_path):
    from magnum_lite.drivers.heat import files
    (tmp_path / 'a').mkdir()
    (tmp_path / 'a' / 'x.sh').write_text('one')
    (tmp_path / 'x.sh').write_text('two')
    (tmp_path / 'a' / 'nested.yaml').write_text(
        'resources: {v: {properties: {value: {get_file: x.sh}}}}')
    (tmp_path / 'main.yaml').write_text(
        'resources:\n  n: {type: a/nested.yaml}\n'
        '  v: {properties: {value: {get_file: x.sh}}}\n')
    with pytest.raises(ValueError) as failure:
        files.template_files(str(tmp_path / 'main.yaml'))
    assert 'x.sh' in str(failure.value)


def test_tables_import_no_configuration():
    """The tables load next to the Heat engine: no magnum-lite options."""
    import subprocess
    import sys
    code = ('import sys; '
            'import magnum_lite.drivers.k8s_heat.params; '
            'import magnum_lite.drivers.swarm_heat.params; '
            'loaded = [m for m in sys.modules if m.startswith('
            '("magnum_lite.conf", "oslo_config", "heat"))]; '
            'assert not loaded, loaded')
    subprocess.run([sys.executable, '-c', code], check=True)


@pytest.mark.parametrize('driver, nodegroup, expected', [
    (k8s, WORKER, {'number_of_minions': 4, 'minions_to_remove': 's-1,2'}),
    (swarm, WORKER, {'number_of_nodes': 4, 'nodes_to_remove': 's-1,2'}),
    (k8s, BIG, {'node_count': 4, 'nodes_to_remove': 's-1,2'}),
    (swarm, dict(BIG, is_default=True, role='gpu'),
     {'number_of_nodes': 4, 'nodes_to_remove': 's-1,2'}),
])
def test_resize_parameters(driver, nodegroup, expected):
    assert driver.resize_parameters(nodegroup, '4', ['s-1', 2]) == expected


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_masters_do_not_resize(driver):
    with pytest.raises(exception.NotSupported):
        driver.resize_parameters(MASTER, 5, [])


def test_driver_read_outputs():
    assert k8s.read_outputs({'node_addresses': ['10.0.0.9']},
                            {'node_count': 1}, nodegroup=True) == {
        'nodegroup': {'node_addresses': ['10.0.0.9'], 'node_count': 1}}
    assert swarm.read_outputs({'api_address': 'tcp://1.2.3.4:2376',
                               'swarm_nodes': []}) == {
        'cluster': {'api_address': 'tcp://1.2.3.4:2376'},
        'worker': {'node_addresses': []}}


@pytest.mark.parametrize('driver', [k8s, swarm], ids=['k8s', 'swarm'])
def test_unsupported_requests_are_refused(driver):
    extra = dict(CA, magnum_url='http://api/v1')
    with pytest.raises(exception.NotSupported) as failure:
        driver.build_parameters(dict(K8S_TEMPLATE, tls_disabled=True,
                                     labels={}),
                                K8S_CLUSTER, [MASTER, WORKER], extra)
    assert 'tls_disabled' in str(failure.value)
    with pytest.raises(exception.NotSupported):
        driver.build_nodegroup_parameters(
            dict(K8S_TEMPLATE, labels={}), K8S_CLUSTER,
            dict(BIG, role='master'), extra)
