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

"""Rules of /v1/quotas."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'quota:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'create',
        check_str=base.RULE_ADMIN_API,
        description='Create a quota.',
        operations=[
            {'method': 'POST', 'path': '/v1/quotas'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'delete',
        check_str=base.RULE_ADMIN_API,
        description='Delete a quota.',
        operations=[
            {'method': 'DELETE', 'path': '/v1/quotas/{project_id}/{resource}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='Show a quota.',
        operations=[
            {'method': 'GET', 'path': '/v1/quotas/{project_id}/{resource}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List quotas.',
        operations=[
            {'method': 'GET', 'path': '/v1/quotas'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update',
        check_str=base.RULE_ADMIN_API,
        description='Update a quota.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/quotas/{project_id}/{resource}'},
        ]),
]


def list_rules():
    return rules
