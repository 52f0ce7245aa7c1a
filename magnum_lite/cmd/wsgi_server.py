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

"""A small threaded WSGI server from the standard library.

wsgiref with one thread per connection: enough for the API of a control
plane, with no extra dependency. Production deployments may also run
`magnum_lite.api.wsgi:application` under uWSGI, gunicorn or mod_wsgi.
"""

import socket
import socketserver
from wsgiref import simple_server

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class _RequestHandler(simple_server.WSGIRequestHandler):

    def log_message(self, format, *args):
        # Access log through oslo.log, not stderr.
        LOG.info('%s %s', self.address_string(), format % args)


class ThreadingWSGIServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _ThreadingWSGIServer6(ThreadingWSGIServer):
    address_family = socket.AF_INET6


def make_server(app, host, port):
    server_class = _ThreadingWSGIServer6 if ':' in host \
        else ThreadingWSGIServer
    server = simple_server.make_server(host, port, app,
                                       server_class=server_class,
                                       handler_class=_RequestHandler)
    return server
