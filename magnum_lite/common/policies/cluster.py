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

"""Rules of /v1/clusters (and the legacy /v1/bays view)."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'cluster:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'create',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Create a cluster.',
        operations=[
            {'method': 'POST', 'path': '/v1/clusters'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'delete',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Delete a cluster.',
        operations=[
            {'method': 'DELETE', 'path': '/v1/clusters/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'delete_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Delete a cluster of any project.',
        operations=[
            {'method': 'DELETE', 'path': '/v1/clusters/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'detail',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List clusters with every field.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/detail'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'detail_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='List clusters of every project with every field.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/detail'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='Show a cluster.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_one_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Show a cluster of any project.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List clusters.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='List clusters of every project.',
        operations=[
            {'method': 'GET', 'path': '/v1/clusters'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Change the node count of a cluster.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/clusters/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update_health_status',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Change the health status of a cluster (used by auto-healers).',
        operations=[
            {'method': 'PATCH', 'path': '/v1/clusters/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Update a cluster of any project.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/clusters/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'resize',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Resize a nodegroup of a cluster.',
        operations=[
            {'method': 'POST', 'path': '/v1/clusters/{cluster_ident}/actions/resize'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'upgrade',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Upgrade a cluster to another template.',
        operations=[
            {'method': 'POST', 'path': '/v1/clusters/{cluster_ident}/actions/upgrade'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'upgrade_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Upgrade a cluster of any project.',
        operations=[
            {'method': 'POST', 'path': '/v1/clusters/{cluster_ident}/actions/upgrade'},
        ]),
]


def list_rules():
    return rules
