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

"""Rules of /v1/certificates."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'certificate:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'create',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Sign a CSR with the CA of a cluster.',
        operations=[
            {'method': 'POST', 'path': '/v1/certificates'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'get',
        check_str=base.RULE_ADMIN_OR_PROJECT_READER,
        description='Show the CA certificate of a cluster.',
        operations=[
            {'method': 'GET', 'path': '/v1/certificates/{cluster_ident}'},
        ]),
    policy.DocumentedRuleDefault(
        name=PREFIX % 'rotate_ca',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Rotate the CA of a cluster.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/certificates/{cluster_ident}'},
        ]),
]


def list_rules():
    return rules
