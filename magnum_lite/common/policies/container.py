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

"""Rules of /v1/containers (API microversion 1.15).

The names are those of Magnum's former container API, so operators'
policy files carry over.
"""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'container:%s'
BASE_PATH = '/v1/containers'
ITEM_PATH = BASE_PATH + '/{container_ident}'


def _rule(name, check_str, description, method, *paths):
    return policy.DocumentedRuleDefault(
        name=PREFIX % name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path} for path in paths])


MEMBER = base.RULE_ADMIN_OR_PROJECT_MEMBER
READER = base.RULE_ADMIN_OR_PROJECT_READER

rules = [
    _rule('create', MEMBER, 'Create a container on a Swarm cluster.',
          'POST', BASE_PATH),
    _rule('get', READER, 'Show a container.', 'GET', ITEM_PATH),
    _rule('get_all', READER, 'List containers.', 'GET', BASE_PATH),
    _rule('get_all_all_projects', base.RULE_ADMIN_API,
          'See the containers of every project.', 'GET', BASE_PATH),
    _rule('update', MEMBER, 'Rename a container.', 'PATCH', ITEM_PATH),
    _rule('delete', MEMBER, 'Delete a container.', 'DELETE', ITEM_PATH),
    _rule('action', MEMBER,
          'Start, stop, reboot, pause or unpause a container.', 'PUT',
          *[ITEM_PATH + '/' + action for action in
            ('start', 'stop', 'reboot', 'pause', 'unpause')]),
    _rule('logs', READER, "Read a container's logs.", 'GET',
          ITEM_PATH + '/logs'),
    _rule('execute', MEMBER, 'Run a command inside a container.', 'PUT',
          ITEM_PATH + '/execute'),
]


def list_rules():
    return rules
