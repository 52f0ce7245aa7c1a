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

"""A stand-in Heat API that serves stack lists and counts requests.

Run as ``python -m benchmarks.sync.stand_in_heat PORT COUNT``: it answers
``GET /v1/<project>/stacks`` (with limit, marker and tags) and
``GET /v1/<project>/stacks/<id>`` for COUNT stacks named ``stack-<n>``
whose ids are ``00000000-0000-0000-0000-<n:012d>``, all in
CREATE_IN_PROGRESS, and ``GET /count`` with the requests served so far.
It is a separate process so its CPU time is not the conductor's.
"""

import http.server
import json
import sys
import threading
import urllib.parse

STATUS = 'CREATE_IN_PROGRESS'


def stack_id(n):
    return '00000000-0000-0000-0000-%012d' % n


def _stack(n, project):
    return {'id': stack_id(n), 'stack_name': 'stack-%d' % n,
            'stack_status': STATUS, 'stack_status_reason': '',
            'creation_time': '2026-01-01T00:00:00Z', 'updated_time': None,
            'tags': ['magnum-lite'], 'project': project,
            'links': [{'href': 'http://127.0.0.1/v1/%s/stacks/stack-%d/%s'
                       % (project, n, stack_id(n)), 'rel': 'self'}]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    count = 0
    lock = threading.Lock()
    total = 0

    def log_message(self, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == '/count':
            return self._send(200, {'requests': Handler.count})
        with Handler.lock:
            Handler.count += 1
        parts = url.path.strip('/').split('/')
        if len(parts) >= 3 and parts[0] == 'v1' and parts[2] == 'stacks':
            project = parts[1]
            if len(parts) == 3:
                return self._list(project, urllib.parse.parse_qs(url.query))
            n = int(parts[-1].rsplit('-', 1)[-1])
            if n < Handler.total:
                return self._send(200, {'stack': _stack(n, project)})
        self._send(404, {'error': {'message': 'not found'}})

    def _list(self, project, query):
        limit = int(query.get('limit', [Handler.total])[0])
        start = 0
        if 'marker' in query:
            start = int(query['marker'][0].rsplit('-', 1)[-1]) + 1
        end = min(Handler.total, start + limit)
        self._send(200, {'stacks': [_stack(n, project)
                                    for n in range(start, end)]})


def main():
    port, total = int(sys.argv[1]), int(sys.argv[2])
    Handler.total = total
    server = http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler)
    print('ready', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
