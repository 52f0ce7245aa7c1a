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

"""Resources on a remote engine reached over mutual TLS."""

import pytest

from tests.harness import docker_engine
from tests.harness import docker_tls

TEMPLATE = """
heat_template_version: 2021-04-16
parameters:
  endpoint: {type: string}
  ca: {type: string}
  cert: {type: string}
  key: {type: string, hidden: true}
  image: {type: string}
resources:
  net:
    type: DockerInc::Docker::Network
    properties:
      docker_endpoint: {get_param: endpoint}
      tls_ca_cert: {get_param: ca}
      tls_client_cert: {get_param: cert}
      tls_client_key: {get_param: key}
  app:
    type: DockerInc::Docker::Container
    properties:
      docker_endpoint: {get_param: endpoint}
      tls_ca_cert: {get_param: ca}
      tls_client_cert: {get_param: cert}
      tls_client_key: {get_param: key}
      image: {get_param: image}
      cmd: [sh, -c, 'echo over tls; exec sleep 600']
      networks: [{network: {get_resource: net}}]
outputs:
  app_id: {value: {get_resource: app}}
  head: {value: {get_attr: [app, logs_head]}}
"""


@pytest.fixture(scope='module')
def pki():
    return docker_tls.make_pki()


@pytest.fixture
def proxy(pki, tmp_path):
    server = docker_tls.TLSDockerProxy(docker_tls.write_pki(pki, str(tmp_path)))
    yield server
    server.stop()


def _params(proxy, pki, **override):
    params = {'endpoint': proxy.endpoint, 'ca': pki['ca'],
              'cert': pki['client_cert'], 'key': pki['client_key'],
              'image': docker_engine.IMAGE}
    params.update(override)
    return params


def test_stack_on_tls_endpoint(heat, ctx, docker_api, proxy, pki,
                               stack_name, tmp_path):
    stack = heat.create(ctx, stack_name, TEMPLATE, _params(proxy, pki))
    assert stack.state == ('CREATE', 'COMPLETE'), stack.status_reason
    # The proxy fronts the local engine, so the container shows up there.
    app_id = heat.output(ctx, stack, 'app_id')
    info = docker_api.inspect_container(app_id)
    assert info['State']['Running']
    assert heat.output(ctx, stack, 'head') == 'over tls'

    # The same material as files instead of PEM text: taken in place, the
    # container stays and later calls use the files.
    (tmp_path / 'files').mkdir()
    paths = docker_tls.write_pki(pki, str(tmp_path / 'files'))
    stack = heat.update(ctx, stack, TEMPLATE, _params(
        proxy, pki, ca=paths['ca'], cert=paths['client_cert'],
        key=paths['client_key']))
    assert stack.state == ('UPDATE', 'COMPLETE'), stack.status_reason
    assert heat.output(ctx, stack, 'app_id') == app_id
    assert stack['app'].properties['tls_ca_cert'] == paths['ca']

    stack = heat.check(ctx, stack)
    assert stack.state == ('CHECK', 'COMPLETE'), stack.status_reason
    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    assert docker_engine.names(docker_api, stack_name) == []
    assert proxy.handshakes_refused == 0


def test_certificate_from_another_ca_is_refused(heat, ctx, docker_api, proxy,
                                                pki, stack_name):
    stranger = docker_tls.make_pki('stranger')
    stack = heat.create(ctx, stack_name, TEMPLATE, _params(
        proxy, pki, cert=stranger['client_cert'],
        key=stranger['client_key']))
    assert stack.state == ('CREATE', 'FAILED')
    assert 'cannot connect to Docker endpoint %s' % proxy.endpoint in \
        stack.status_reason
    assert proxy.handshakes_refused >= 1
    stack = heat.delete(ctx, stack)
    assert stack.state == ('DELETE', 'COMPLETE'), stack.status_reason
    assert docker_engine.names(docker_api, stack_name) == []
