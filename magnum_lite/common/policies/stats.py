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

"""Rules of /v1/stats."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'stats:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='Show the number of clusters and nodes of a project.',
        operations=[
            {'method': 'GET', 'path': '/v1/stats'},
        ]),
]


def list_rules():
    return rules
