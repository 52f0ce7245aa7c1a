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

"""A loopback stand-in for the Nova, Glance and Neutron a catalog lists.

It answers the few GETs the API's name checks make (flavors, a keypair,
images by ID or name, networks with the router:external filter, subnets)
from the data a test gives, and records every request, so a test can see
that each question was asked once. catalog() is the X-Service-Catalog
header keystonemiddleware would send (the v2 format), listing the
services a test picks; headers() the rest of what it would send.

Use the `cloud` fixture: the stand-in started on a free port, with one
image (os_distro fedora-coreos), two flavors, one keypair, an external
and a private network and a subnet.
"""

import json
import re
import socketserver
import threading
import urllib.parse
from wsgiref import simple_server

import pytest

IMAGE_ID = '5a0c1d59-7b7a-4cf4-9c3e-6f3c8e0c6f01'
BARE_IMAGE_ID = '0b5c6f0e-2d4b-4a51-8d0e-7c8f1f7a3a10'
PUBLIC_NET_ID = '7d2f0c1e-9e0a-4b6f-8f56-3c1e2a4b5c60'
PRIVATE_NET_ID = '1f0e9d8c-7b6a-4f5e-9d4c-3b2a1f0e9d8c'
SUBNET_ID = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d'
TOKEN = 'stand-in-token'


def image(image_id, name, **properties):
    return dict({'id': image_id, 'name': name, 'status': 'active',
                 'visibility': 'public'}, **properties)


def default_data():
    return {
        'images': [image(IMAGE_ID, 'fedora-coreos-40',
                         os_distro='fedora-coreos'),
                   image(BARE_IMAGE_ID, 'no-distro')],
        'flavors': [{'id': 'ds2G', 'name': 'ds2G'},
                    {'id': '42', 'name': 'm1.large'}],
        'keypairs': ['default'],
        'networks': [{'id': PUBLIC_NET_ID, 'name': 'public',
                      'router:external': True},
                     {'id': PRIVATE_NET_ID, 'name': 'private',
                      'router:external': False}],
        'subnets': [{'id': SUBNET_ID, 'name': 'private-subnet'}],
    }


class CloudStandIn:
    """One loopback server answering for compute, image and network."""

    def __init__(self, data=None):
        self.data = data or default_data()
        self.requests = []
        self._server = None
        self.base = None

    # -- what keystonemiddleware would hand the API ------------------------

    def catalog(self, services=('compute', 'image', 'network')):
        paths = {'compute': '/compute/v2.1', 'image': '/image',
                 'network': '/network'}
        return [{'type': service, 'name': service,
                 'endpoints': [{'region': 'RegionOne',
                                'publicURL': self.base + paths[service],
                                'internalURL': self.base + paths[service]}]}
                for service in services]

    def headers(self, services=('compute', 'image', 'network')):
        return {'X-Auth-Token': TOKEN,
                'X-Service-Catalog': json.dumps(self.catalog(services))}

    def asked(self, prefix=''):
        """The (method, path, query) asked so far under `prefix`."""
        return [r for r in self.requests if r[1].startswith(prefix)]

    # -- the answers -------------------------------------------------------

    def _answer(self, path, query):
        data = self.data
        match = re.match(r'/compute/v2\.1/os-keypairs/([^/]+)$', path)
        if match:
            name = urllib.parse.unquote(match.group(1))
            if name in data['keypairs']:
                return 200, {'keypair': {'name': name, 'type': 'ssh',
                                         'public_key': 'ssh-ed25519 x'}}
            return 404, {'itemNotFound': {
                'code': 404, 'message': 'Keypair %s not found' % name}}
        if re.match(r'/compute/v2\.1/flavors/detail$', path):
            return 200, {'flavors': [
                dict(f, ram=2048, vcpus=1, disk=20, links=[])
                for f in data['flavors']]}
        match = re.match(r'/image/v2/images/([^/]+)$', path)
        if match:
            found = [i for i in data['images']
                     if i['id'] == match.group(1)]
            return (200, found[0]) if found else (404, {})
        if re.match(r'/image/v2/images$', path):
            name = query.get('name', [None])[0]
            return 200, {'images': [i for i in data['images']
                                    if name is None or i['name'] == name]}
        if re.match(r'/network/v2\.0/networks$', path):
            networks = data['networks']
            if 'router:external' in query:
                wanted = query['router:external'][0].lower() == 'true'
                networks = [n for n in networks
                            if n['router:external'] == wanted]
            return 200, {'networks': networks}
        if re.match(r'/network/v2\.0/subnets$', path):
            return 200, {'subnets': data['subnets']}
        return 404, {'error': {'message': 'not served here'}}

    def app(self, environ, start_response):
        path = environ['PATH_INFO']
        query = urllib.parse.parse_qs(environ.get('QUERY_STRING', ''))
        if environ.get('HTTP_X_AUTH_TOKEN') != TOKEN:
            status, body = 401, {'error': {'message': 'no token'}}
        elif environ['REQUEST_METHOD'] != 'GET':
            status, body = 405, {}
        else:
            status, body = self._answer(path, query)
        self.requests.append((environ['REQUEST_METHOD'], path,
                              environ.get('QUERY_STRING', '')))
        payload = json.dumps(body).encode()
        start_response('%d %s' % (status, 'OK' if status == 200 else 'Error'),
                       [('Content-Type', 'application/json'),
                        ('Content-Length', str(len(payload)))])
        return [payload]

    def start(self):
        class Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
            daemon_threads = True

        class Quiet(simple_server.WSGIRequestHandler):
            def log_message(self, *args):
                pass  # recorded in self.requests instead

        self._server = simple_server.make_server(
            '127.0.0.1', 0, self.app, server_class=Server,
            handler_class=Quiet)
        self.base = 'http://127.0.0.1:%d' % self._server.server_port
        threading.Thread(target=self._server.serve_forever,
                         daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture
def cloud():
    stand_in = CloudStandIn().start()
    yield stand_in
    stand_in.stop()
