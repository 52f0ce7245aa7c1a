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

"""A small HTTP client of /v1/containers (API microversion 1.15).

Shared by the `openstack coe container` commands and, later, a dashboard
panel: it takes any keystoneauth1 session, finds the container-infra
endpoint in the catalog (or uses the endpoint of an auth-less session, as
`--os-auth-type none --os-endpoint URL` gives) and turns error answers
into ContainerAPIError with the message of the API's error envelope.
"""

import json
import shlex

from keystoneauth1 import adapter

SERVICE_TYPE = 'container-infra'
API_VERSION = '1.15'
VERSION_HEADER = 'OpenStack-API-Version'
ACTIONS = ('start', 'stop', 'reboot', 'pause', 'unpause')


class ContainerAPIError(Exception):
    """An error answer of the API: its HTTP status and message."""

    def __init__(self, status, message):
        super().__init__('%s (HTTP %s)' % (message, status))
        self.status = status
        self.message = message


def error_message(response):
    """The message of an error answer, in any of Magnum's envelopes."""
    try:
        document = response.json()
    except ValueError:
        return response.text or response.reason or 'no message'
    if isinstance(document, dict):
        errors = document.get('errors')
        if isinstance(errors, list) and errors and \
                isinstance(errors[0], dict):
            return (errors[0].get('detail') or errors[0].get('title') or
                    json.dumps(errors[0]))
        if isinstance(document.get('error_message'), str):
            return document['error_message']
    return json.dumps(document)


def command_text(command):
    """A command line from a string or a list of arguments."""
    if isinstance(command, str):
        return command
    return shlex.join([str(part) for part in command])


class ContainersClient:
    """Calls of /v1/containers over a keystoneauth1 session."""

    def __init__(self, session, interface=None, region_name=None,
                 endpoint_override=None, service_type=SERVICE_TYPE,
                 api_version=API_VERSION):
        self.api_version = api_version
        self.adapter = adapter.Adapter(
            session, service_type=service_type, interface=interface,
            region_name=region_name, endpoint_override=endpoint_override,
            additional_headers={
                VERSION_HEADER: '%s %s' % (SERVICE_TYPE, api_version)})

    def _request(self, method, path, body=None, params=None):
        kwargs = {'raise_exc': False, 'params': params or {},
                  'headers': {'Accept': 'application/json'}}
        if body is not None:
            kwargs['json'] = body
        # The endpoint ends with /v1, as Magnum's does.
        response = self.adapter.request('/containers' + path, method,
                                        **kwargs)
        if response.status_code >= 400:
            raise ContainerAPIError(response.status_code,
                                    error_message(response))
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def create(self, image, cluster, name=None, command=None,
               environment=None, memory=None):
        body = {'image': image, 'cluster': cluster}
        for key, value in (('name', name), ('command', command),
                           ('environment', environment),
                           ('memory', memory)):
            if value is not None:
                body[key] = value
        return self._request('POST', '', body)

    def list(self, cluster=None, limit=None, marker=None, sort_key=None,
             sort_dir=None):
        """Every container (following the pages unless `limit` is set)."""
        params = {k: v for k, v in (
            ('cluster', cluster), ('limit', limit), ('marker', marker),
            ('sort_key', sort_key), ('sort_dir', sort_dir)) if v is not None}
        found = []
        while True:
            page = self._request('GET', '', params=params)
            found.extend(page.get('containers') or [])
            if limit is not None or not page.get('next') or \
                    not page.get('containers'):
                return found
            params['marker'] = page['containers'][-1]['uuid']

    def get(self, ident):
        return self._request('GET', '/%s' % ident)

    def rename(self, ident, name):
        return self._request('PATCH', '/%s' % ident,
                             [{'op': 'replace', 'path': '/name',
                               'value': name}])

    def delete(self, ident):
        self._request('DELETE', '/%s' % ident)

    def action(self, ident, action):
        """start|stop|reboot|pause|unpause; the container afterwards."""
        if action not in ACTIONS:
            raise ValueError('unknown container action %r' % action)
        return self._request('PUT', '/%s/%s' % (ident, action))

    def logs(self, ident):
        return self._request('GET', '/%s/logs' % ident)['output']

    def execute(self, ident, command):
        """{"output", "exit_code"} of a command run in the container."""
        return self._request('PUT', '/%s/execute' % ident,
                             params={'command': command_text(command)})
