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

"""The example templates shipped in heat_plugins/templates work as written.

Only the image (no registry here) and the subnets (to stay clear of other
networks on the engine) are given as parameters.
"""

import os

import requests

import heat_plugins
from tests.harness import docker_engine
from tests.harness import docker_tls

TEMPLATES = os.path.join(os.path.dirname(heat_plugins.__file__),
                         'templates')


def _read(name):
    with open(os.path.join(TEMPLATES, name)) as f:
        return f.read()


def _create(heat, ctx, name, template, params):
    stack = heat.create(ctx, name, _read(template), params)
    assert stack.state == ('CREATE', 'COMPLETE'), stack.status_reason
    return stack


def _delete(heat, ctx, docker_api, stack):
    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    assert docker_engine.names(docker_api, stack.name) == []


def test_container(heat, ctx, docker_api, stack_name):
    stack = _create(heat, ctx, stack_name, 'container.yaml',
                    {'image': docker_engine.IMAGE})
    port = heat.output(ctx, stack, 'published_port')
    # The health check passed before Heat called the stack complete, and
    # the published port reaches the server.
    page = requests.get('http://127.0.0.1:%d/' % port, timeout=10)
    assert page.text == 'hello\n'
    _delete(heat, ctx, docker_api, stack)


def test_multi_network_app(heat, ctx, docker_api, stack_name):
    stack = _create(heat, ctx, stack_name, 'multi_network_app.yaml', {
        'image': docker_engine.IMAGE,
        'front_cidr': '10.236.0.0/24', 'web_ip': '10.236.0.10',
        'back_cidr': '10.237.0.0/24', 'db_ip': '10.237.0.20'})
    networks = heat.output(ctx, stack, 'web_networks')
    addresses = sorted(n['ip_address'] for n in networks.values())
    assert addresses[0] == '10.236.0.10'
    assert addresses[1].startswith('10.237.0.')
    port = heat.output(ctx, stack, 'web_host_ports')['80/tcp'][0]
    assert requests.get('http://127.0.0.1:%d/' % port,
                        timeout=10).text == 'web\n'
    assert heat.output(ctx, stack, 'volume_mountpoint')
    _delete(heat, ctx, docker_api, stack)


def test_tls_endpoint(heat, ctx, docker_api, stack_name, tmp_path):
    pki = docker_tls.make_pki()
    proxy = docker_tls.TLSDockerProxy(docker_tls.write_pki(pki, str(tmp_path)))
    try:
        stack = _create(heat, ctx, stack_name, 'tls_endpoint.yaml', {
            'docker_endpoint': proxy.endpoint, 'ca_cert': pki['ca'],
            'client_cert': pki['client_cert'],
            'client_key': pki['client_key'],
            'image': docker_engine.IMAGE})
        assert heat.output(ctx, stack, 'status') == 'running'
        _delete(heat, ctx, docker_api, stack)
    finally:
        proxy.stop()
