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

"""Rules of /v1/clustertemplates (and the legacy /v1/baymodels view)."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'clustertemplate:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'create',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Create a cluster template.',
        operations=[
            {'method': 'POST', 'path': '/v1/clustertemplates'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'delete',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Delete a cluster template.',
        operations=[
            {'method': 'DELETE', 'path': '/v1/clustertemplates/{clustertemplate_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'delete_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Delete a cluster template of any project.',
        operations=[
            {'method': 'DELETE', 'path': '/v1/clustertemplates/{clustertemplate_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'detail',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List cluster templates with every field.',
        operations=[
            {'method': 'GET', 'path': '/v1/clustertemplates/detail'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'detail_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='List the cluster templates of every project with every field.',
        operations=[
            {'method': 'GET', 'path': '/v1/clustertemplates/detail'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='Show a cluster template.',
        operations=[
            {'method': 'GET', 'path': '/v1/clustertemplates/{clustertemplate_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_one_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Show a cluster template of any project.',
        operations=[
            {'method': 'GET', 'path': '/v1/clustertemplates/{clustertemplate_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='List cluster templates.',
        operations=[
            {'method': 'GET', 'path': '/v1/clustertemplates'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get_all_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='List the cluster templates of every project.',
        operations=[
            {'method': 'GET', 'path': '/v1/clustertemplates'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Update a cluster template.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/clustertemplates/{clustertemplate_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'update_all_projects',
        check_str=base.RULE_ADMIN_API,
        description='Update a cluster template of any project.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/clustertemplates/{clustertemplate_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'publish',
        check_str=base.RULE_ADMIN_API,
        description='Make a cluster template public or hidden.',
        operations=[
            {'method': 'POST', 'path': '/v1/clustertemplates'},
            {'method': 'PATCH', 'path': '/v1/clustertemplates/{clustertemplate_ident}'},
        ]),
]


def list_rules():
    return rules
