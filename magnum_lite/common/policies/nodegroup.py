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

"""Rules of /v1/clusters/{cluster}/nodegroups."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'nodegroup:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='Show a nodegroup.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/{cluster_ident}/nodegroups/{nodegroup}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List the nodegroups of a cluster.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/{cluster_ident}/nodegroups'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='List the nodegroups of a cluster of any project.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/{cluster_ident}/nodegroups'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_one_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Show a nodegroup of a cluster of any project.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/{cluster_ident}/nodegroups/{nodegroup}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'create',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Add a nodegroup to a cluster.',
        operations=[
            {'method': 'POST', 'path': '/v1/clusters/{cluster_ident}/nodegroups'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'delete',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Delete a nodegroup.',
        operations=[
            {'method': 'DELETE', 'path': '/v1/clusters/{cluster_ident}/nodegroups/{nodegroup}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Update a nodegroup.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/clusters/{cluster_ident}/nodegroups/{nodegroup}'},
        ]),
]


def list_rules():
    return rules
