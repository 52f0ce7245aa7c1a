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

"""Rules of /v1/federations."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'federation:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'create',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Create a federation.',
        operations=[
            {'method': 'POST', 'path': '/v1/federations'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'delete',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Delete a federation.',
        operations=[
            {'method': 'DELETE', 'path': '/v1/federations/{federation_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'detail',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List federations with every field.',
        operations=[
            {'method': 'GET', 'path': '/v1/federations/detail'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='Show a federation.',
        operations=[
            {'method': 'GET', 'path': '/v1/federations/{federation_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List federations.',
        operations=[
            {'method': 'GET', 'path': '/v1/federations'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Update a federation.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/federations/{federation_ident}'},
        ]),
]


def list_rules():
    return rules
