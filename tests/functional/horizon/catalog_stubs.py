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

"""Stand-ins for the services magnum-ui's forms read besides Magnum.

The cluster template and cluster workflows fill their selects from
Glance (images), Nova (flavors, keypairs, availability zones) and Neutron
(networks), and magnum-lite's API checks the names the forms send
against the same services. None of them is part of magnum-lite, so the
browser test serves fixed answers for them from one loopback server,
registered in Keystone's catalog like the real ones. Every request is
recorded so a test can tell what Horizon asked.
"""

import json
import re
import socketserver
import threading
from wsgiref import simple_server

IMAGE = {
    'id': '5a0c1d59-7b7a-4cf4-9c3e-6f3c8e0c6f01', 'name': 'fedora-coreos-40',
    'status': 'active', 'visibility': 'public', 'os_distro': 'fedora-coreos',
    'disk_format': 'qcow2', 'container_format': 'bare', 'size': 1024,
    'min_disk': 0, 'min_ram': 0, 'protected': False, 'tags': [],
    'owner': None, 'created_at': '2026-01-01T00:00:00Z',
    'updated_at': '2026-01-01T00:00:00Z', 'file': '/v2/images/x/file',
    'schema': '/v2/schemas/image', 'self': '/v2/images/x',
}
FLAVOR = {'id': 'ds4G', 'name': 'ds4G', 'ram': 4096, 'vcpus': 2, 'disk': 20,
          'OS-FLV-EXT-DATA:ephemeral': 0, 'swap': '', 'rxtx_factor': 1.0,
          'os-flavor-access:is_public': True, 'links': [], 'description': None,
          'extra_specs': {}}
KEYPAIR = {'keypair': {'name': 'default', 'type': 'ssh',
                       'fingerprint': 'aa:bb', 'public_key': 'ssh-ed25519 x'}}
NETWORK = {'id': '7d2f0c1e-9e0a-4b6f-8f56-3c1e2a4b5c60', 'name': 'public',
           'status': 'ACTIVE', 'admin_state_up': True, 'shared': True,
           'router:external': True, 'subnets': [], 'tenant_id': '',
           'project_id': '', 'mtu': 1500, 'availability_zones': ['nova'],
           'tags': [], 'description': '', 'port_security_enabled': True}


def _versions(base, version, minimum='', maximum=''):
    link = [{'rel': 'self', 'href': '%s/%s/' % (base, version)}]
    return {'id': version, 'status': 'CURRENT', 'links': link,
            'version': maximum, 'min_version': minimum}


class StubServices:
    """One loopback server answering for compute, image and network."""

    def __init__(self, port):
        self.port = port
        self.base = 'http://127.0.0.1:%d' % port
        self.requests = []
        self._server = None

    def catalog(self):
        """(service type, name, endpoint URL) to register in Keystone."""
        return [('compute', 'nova', self.base + '/compute/v2.1'),
                ('image', 'glance', self.base + '/image'),
                ('network', 'neutron', self.base + '/network')]

    def _answer(self, method, path):
        compute = self.base + '/compute'
        routes = [
            (r'/compute/?$', {'versions': [
                _versions(compute, 'v2.1', '2.1', '2.90')]}),
            (r'/compute/v2\.1/?$', {'version': _versions(
                compute, 'v2.1', '2.1', '2.90')}),
            (r'/compute/v2\.1/flavors/detail$', {'flavors': [FLAVOR]}),
            (r'/compute/v2\.1/flavors/[^/]+/os-extra_specs$',
             {'extra_specs': {}}),
            (r'/compute/v2\.1/os-keypairs$', {'keypairs': [KEYPAIR]}),
            (r'/compute/v2\.1/os-keypairs/default$', KEYPAIR),
            (r'/compute/v2\.1/os-availability-zone$', {
                'availabilityZoneInfo': [{'zoneName': 'nova',
                                          'zoneState': {'available': True},
                                          'hosts': None}]}),
            (r'/image/?$', {'versions': [
                _versions(self.base + '/image', 'v2', '', '2.16')]}),
            (r'/image/v2/images$', {'images': [IMAGE],
                                    'schema': '/v2/schemas/images',
                                    'first': '/v2/images'}),
            (r'/image/v2/schemas/image$', {
                'name': 'image', 'additionalProperties': {'type': 'string'},
                'properties': {}, 'links': []}),
            (r'/network/?$', {'versions': [
                _versions(self.base + '/network', 'v2.0')]}),
            (r'/network/v2\.0/networks$', {'networks': [NETWORK]}),
            (r'/network/v2\.0/subnets$', {'subnets': []}),
            (r'/network/v2\.0/extensions$', {'extensions': []}),
        ]
        if method == 'GET':
            for pattern, body in routes:
                if re.match(pattern, path):
                    return '200 OK', body
        return '404 Not Found', {'error': {'message': 'not served here'}}

    def app(self, environ, start_response):
        method, path = environ['REQUEST_METHOD'], environ['PATH_INFO']
        status, body = self._answer(method, path)
        self.requests.append((method, path, int(status.split()[0])))
        data = json.dumps(body).encode()
        start_response(status, [('Content-Type', 'application/json'),
                                ('Content-Length', str(len(data)))])
        return [data]

    def start(self):
        class Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
            daemon_threads = True

        class Quiet(simple_server.WSGIRequestHandler):
            def log_message(self, *args):
                pass  # recorded in self.requests instead

        self._server = simple_server.make_server(
            '127.0.0.1', self.port, self.app, server_class=Server,
            handler_class=Quiet)
        threading.Thread(target=self._server.serve_forever,
                         daemon=True).start()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
