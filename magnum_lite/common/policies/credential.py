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

"""Rules of /v1/credentials."""

from oslo_policy import policy

from magnum_lite.common.policies import base

PREFIX = 'credential:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=PREFIX % 'rotate',
        check_str=base.RULE_ADMIN_OR_PROJECT_MEMBER,
        description='Rotate the credentials a cluster uses.',
        operations=[
            {'method': 'PATCH', 'path': '/v1/credentials/{cluster_ident}'},
        ]),
]


def list_rules():
    return rules
