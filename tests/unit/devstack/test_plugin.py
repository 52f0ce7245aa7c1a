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

"""The DevStack plugin, phase by phase, with DevStack's functions stubbed.

Each test sources devstack/settings and devstack/plugin.sh in a fresh bash
with stubs.sh in front: the DevStack helpers record their calls to a file
(one tab-separated line per call) and the test checks what the plugin
asked DevStack to do. Real files the plugin writes (its configuration
directory) go under the test's temporary directory.
"""

import os
import subprocess
import sys

from cryptography import fernet
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
HOST = '10.0.0.5'
GUEST_IMAGE = ('https://cloud-images.ubuntu.com/noble/current/'
               'noble-server-cloudimg-amd64.img')
# Console scripts the plugin runs from DevStack's venv: recorders here.
SCRIPTS = ('nova-docker-install', 'magnum-lite-db-manage')


class Stack:
    """One DevStack host: its environment and the recorded calls."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.calls_file = tmp_path / 'calls'
        self.calls_file.write_text('')
        self.bin = tmp_path / 'bin'
        self.bin.mkdir()
        for script in SCRIPTS:
            path = self.bin / script
            path.write_text('#!/bin/bash\nIFS=$\'\\t\'\n'
                            'echo "%s${*:+$IFS$*}" >> "$CALLS"\n' % script)
            path.chmod(0o755)
        self.conf_dir = tmp_path / 'etc'
        # Made by "sudo install -d", which is stubbed.
        self.conf_dir.mkdir()
        self.env = {
            'PATH': os.environ['PATH'], 'CALLS': str(self.calls_file),
            'FAKE_BIN': str(self.bin), 'DEST': str(tmp_path / 'opt'),
            'DATA_DIR': str(tmp_path / 'data'),
            'MAGNUM_LITE_DIR': REPO,
            'MAGNUM_LITE_CONF_DIR': str(self.conf_dir),
            'SERVICE_PROTOCOL': 'http', 'SERVICE_HOST': HOST,
            'SERVICE_PASSWORD': 'service-secret',
            'SERVICE_PROJECT_NAME': 'service',
            'SERVICE_DOMAIN_NAME': 'Default', 'REGION_NAME': 'RegionOne',
            'KEYSTONE_SERVICE_URI': 'http://%s/identity' % HOST,
            'ENABLE_DEBUG_LOG_LEVEL': 'True', 'SERVICE_TIMEOUT': '60',
            'STACK_USER': 'stack', 'PYTHON': sys.executable,
            'HEAT_CONF': '/etc/heat/heat.conf',
            'NOVA_CPU_CONF': '/etc/nova/nova-cpu.conf',
            'NOVA_CONF_DIR': '/etc/nova',
            'GLANCE_API_CONF': '/etc/glance/glance-api.conf',
            'ENABLED_SERVICES': 'key,mysql,rabbit,h-eng,h-api,heat,n-cpu',
            'VIRT_DRIVER': 'libvirt', 'IMAGE_URLS': '',
        }

    def run(self, mode, phase='', **env):
        """Source settings, then plugin.sh `mode phase`; the new calls."""
        before = len(self.calls())
        script = '\n'.join([
            'set -eu -o pipefail',
            'source %s/stubs.sh' % HERE,
            'source %s/devstack/settings' % REPO,
            ('source %s/devstack/plugin.sh %s %s' % (REPO, mode, phase)).strip(),
            '_record var IMAGE_URLS "$IMAGE_URLS"',
        ])
        result = subprocess.run(['bash', '-c', script],
                                env=dict(self.env, **env),
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-3000:]
        return self.calls()[before:]

    def calls(self):
        return [tuple(line.split('\t'))
                for line in self.calls_file.read_text().splitlines()]

    def seed(self, *call):
        with open(self.calls_file, 'a') as calls:
            calls.write('\t'.join(call) + '\n')


def inisets(calls, path):
    """{(section, option): value} of the iniset calls on `path`."""
    return {(c[2], c[3]): c[4] for c in calls
            if c[0] == 'iniset' and c[1] == str(path)}


def named(calls, name):
    return [c[1:] for c in calls if c[0] == name]


@pytest.fixture
def stack(tmp_path):
    return Stack(tmp_path)


def test_settings_enable_both_services(stack):
    calls = stack.run('stack', 'pre-install')
    assert named(calls, 'enable_service') == [
        ('magnum-lite-api', 'magnum-lite-cond')]
    assert named(calls, 'setup_develop') == []


def test_install(stack):
    calls = stack.run('stack', 'install')
    assert named(calls, 'setup_develop') == [(REPO,)]
    # stack.sh uploads the guest image with the others.
    assert named(calls, 'var') == [('IMAGE_URLS', GUEST_IMAGE)]
    assert named(calls, 'nova-docker-install') == []


def test_install_keeps_other_images(stack):
    calls = stack.run('stack', 'install', IMAGE_URLS='http://x/cirros.img')
    assert named(calls, 'var') == [
        ('IMAGE_URLS', 'http://x/cirros.img,' + GUEST_IMAGE)]


def test_install_docker_virt_driver(stack):
    calls = stack.run('stack', 'install', VIRT_DRIVER='docker')
    assert named(calls, 'nova-docker-install') == [()]
    filters = [c for c in named(calls, 'sudo') if c[0] == 'install']
    assert filters and filters[0][-2:] == (
        REPO + '/etc/nova_docker_driver/rootwrap.d/nova-docker.filters',
        '/etc/nova/rootwrap.d/nova-docker.filters')


def test_post_config_magnum_lite_conf(stack):
    calls = stack.run('stack', 'post-config')
    conf = inisets(calls, stack.conf_dir / 'magnum_lite.conf')
    assert conf[('api', 'auth_strategy')] == 'keystone'
    assert conf[('api', 'api_paste_config')] == str(
        stack.conf_dir / 'api-paste.ini')
    assert conf[('database', 'connection')] == (
        'mysql+pymysql://root:secret@127.0.0.1/magnum_lite?charset=utf8')
    assert conf[('DEFAULT', 'transport_url')].startswith('rabbit://')
    assert conf[('keystone_auth', 'auth_type')] == 'password'
    assert conf[('keystone_auth', 'auth_url')] == (
        'http://%s/identity/v3' % HOST)
    assert conf[('keystone_auth', 'username')] == 'magnum-lite'
    assert conf[('trust', 'enabled')] == 'True'
    assert conf[('trust', 'trustee_domain_name')] == 'magnum_lite'
    assert conf[('trust', 'trustee_domain_admin_name')] == (
        'trustee_domain_admin')
    assert conf[('trust', 'trustee_domain_admin_password')] == (
        'service-secret')
    assert conf[('heat_client', 'region_name')] == 'RegionOne'
    assert conf[('oslo_policy', 'policy_file')] == str(
        stack.conf_dir / 'policy.yaml')
    fernet.Fernet(conf[('certificates', 'encryption_key')].encode())
    assert named(calls, 'configure_keystone_authtoken_middleware') == [
        (str(stack.conf_dir / 'magnum_lite.conf'), 'magnum-lite')]
    # The paste file is the project's, copied as is.
    with open(REPO + '/etc/magnum_lite/api-paste.ini') as source:
        assert (stack.conf_dir / 'api-paste.ini').read_text() == source.read()
    assert (stack.conf_dir / 'policy.yaml').exists()


def test_post_config_uwsgi(stack):
    calls = stack.run('stack', 'post-config')
    assert named(calls, 'write_uwsgi_config') == [(
        str(stack.conf_dir / 'magnum-lite-api-uwsgi.ini'),
        str(stack.bin / 'magnum-lite-api-wsgi'), '/container-infra', '',
        'magnum-lite-api')]


def test_post_config_catalog_and_trustee_domain(stack):
    calls = stack.run('stack', 'post-config')
    assert named(calls, 'create_service_user') == [('magnum-lite', 'admin')]
    service = named(calls, 'get_or_create_service')
    assert [s[:2] for s in service] == [('magnum-lite', 'container-infra')]
    url = 'http://%s/container-infra/v1' % HOST
    assert named(calls, 'get_or_create_endpoint') == [
        ('service-id-of-magnum-lite', 'RegionOne', url, url, url)]
    assert [d[0] for d in named(calls, 'get_or_create_domain')] == [
        'magnum_lite']
    assert named(calls, 'get_or_create_user') == [
        ('trustee_domain_admin', 'service-secret',
         'domain-id-of-magnum_lite')]
    assert named(calls, 'get_or_add_user_domain_role') == [
        ('admin', 'user-id-of-trustee_domain_admin',
         'domain-id-of-magnum_lite')]


def test_post_config_without_trusts(stack):
    calls = stack.run('stack', 'post-config',
                      MAGNUM_LITE_TRUST_ENABLED='false')
    conf = inisets(calls, stack.conf_dir / 'magnum_lite.conf')
    assert conf[('trust', 'enabled')] == 'False'
    assert named(calls, 'get_or_create_domain') == []


def test_post_config_heat_plugin_dirs(stack):
    from heat_plugins import plugin_dir
    stack.seed('iniset', '/etc/heat/heat.conf', 'DEFAULT', 'plugin_dirs',
               '/usr/lib/heat')
    expected = '/usr/lib/heat,' + plugin_dir.plugin_dir()
    calls = stack.run('stack', 'post-config')
    assert inisets(calls, '/etc/heat/heat.conf') == {
        ('DEFAULT', 'plugin_dirs'): expected}
    # A second run (restack) does not add the directory twice.
    calls = stack.run('stack', 'post-config')
    assert inisets(calls, '/etc/heat/heat.conf') == {
        ('DEFAULT', 'plugin_dirs'): expected}


def test_post_config_asks_the_venv_python(stack):
    # With DevStack's global venv, its python3 knows where heat_plugins is.
    python = stack.bin / 'python3'
    python.write_text('#!/bin/bash\necho /venv/site-packages/heat_plugins/'
                      'resources\n')
    python.chmod(0o755)
    calls = stack.run('stack', 'post-config')
    assert inisets(calls, '/etc/heat/heat.conf') == {
        ('DEFAULT', 'plugin_dirs'): '/venv/site-packages/heat_plugins/resources'}


def test_post_config_without_heat(stack):
    calls = stack.run('stack', 'post-config',
                      ENABLED_SERVICES='key,mysql,rabbit')
    assert inisets(calls, '/etc/heat/heat.conf') == {}


def test_post_config_keeps_encryption_key(stack):
    conf = str(stack.conf_dir / 'magnum_lite.conf')
    key = fernet.Fernet.generate_key().decode()
    stack.seed('iniset', conf, 'certificates', 'encryption_key', key)
    calls = stack.run('stack', 'post-config')
    assert inisets(calls, conf)[('certificates', 'encryption_key')] == key


def test_post_config_docker_virt_driver(stack):
    calls = stack.run('stack', 'post-config', VIRT_DRIVER='docker')
    assert inisets(calls, '/etc/nova/nova-cpu.conf')[
        ('DEFAULT', 'compute_driver')] == 'docker.DockerDriver'
    formats = inisets(calls, '/etc/glance/glance-api.conf')[
        ('image_format', 'container_formats')]
    assert 'docker' in formats.split(',')
    assert named(calls, 'add_user_to_group') == [('stack', 'docker')]


def test_post_config_libvirt_leaves_nova_alone(stack):
    calls = stack.run('stack', 'post-config')
    assert inisets(calls, '/etc/nova/nova-cpu.conf') == {}


def test_extra(stack):
    calls = stack.run('stack', 'extra')
    conf = str(stack.conf_dir / 'magnum_lite.conf')
    names = [c[0] for c in calls]
    assert named(calls, 'recreate_database') == [('magnum_lite',)]
    assert named(calls, 'magnum-lite-db-manage') == [
        ('--config-file', conf, 'upgrade')]
    assert named(calls, 'openstack') == [
        ('--os-cloud', 'devstack-admin', 'image', 'set',
         'noble-server-cloudimg-amd64', '--property', 'os_distro=ubuntu')]
    assert named(calls, 'run_process') == [
        ('magnum-lite-api', '/usr/bin/uwsgi --procname-prefix '
         'magnum-lite-api --ini %s/magnum-lite-api-uwsgi.ini'
         % stack.conf_dir),
        ('magnum-lite-cond', '%s/magnum-lite-conductor --config-file %s'
         % (stack.bin, conf))]
    assert named(calls, 'wait_for_service') == [
        ('60', 'http://%s/container-infra' % HOST)]
    # The schema is in place before anything starts.
    assert names.index('magnum-lite-db-manage') < names.index('run_process')


@pytest.mark.parametrize('url,distro', [
    ('https://x/fedora-coreos-40.x86_64.qcow2', 'fedora-coreos'),
    ('https://x/jammy-server-cloudimg-amd64.img', 'ubuntu'),
])
def test_extra_image_os_distro(stack, url, distro):
    calls = stack.run('stack', 'extra', MAGNUM_LITE_GUEST_IMAGE_URL=url)
    image_set = named(calls, 'openstack')
    assert image_set[0][-1] == 'os_distro=' + distro


def test_extra_unknown_image_warns(stack):
    calls = stack.run('stack', 'extra',
                      MAGNUM_LITE_GUEST_IMAGE_URL='https://x/cirros.img')
    assert named(calls, 'openstack') == []
    assert len(named(calls, 'warn')) == 1


def test_unstack(stack):
    calls = stack.run('unstack')
    assert named(calls, 'stop_process') == [('magnum-lite-api',),
                                            ('magnum-lite-cond',)]
    assert named(calls, 'run_process') == []


def test_clean(stack):
    calls = stack.run('clean')
    assert named(calls, 'remove_uwsgi_config') == [
        (str(stack.conf_dir / 'magnum-lite-api-uwsgi.ini'),
         'magnum-lite-api')]
    assert ('rm', '-rf', str(stack.conf_dir),
            str(stack.tmp / 'data' / 'magnum-lite')) in named(calls, 'sudo')
    assert named(calls, 'stop_process') == []
