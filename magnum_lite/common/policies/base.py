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

"""Base rules the per-resource rules are built from.

Three personas: an admin (any project), a project member (may change the
project's objects) and a project reader (may only look). A member is also
a reader: Keystone usually implies reader from member, but noauth and older
role setups do not, so the rule says it outright.
"""

from oslo_policy import policy

ROLE_ADMIN = 'role:admin'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = ('(role:reader or role:member) and '
                  'project_id:%(project_id)s')

RULE_ADMIN_API = 'rule:context_is_admin'
RULE_ADMIN_OR_PROJECT_MEMBER = 'rule:context_is_admin or rule:project_member'
RULE_ADMIN_OR_PROJECT_READER = 'rule:context_is_admin or rule:project_reader'

rules = [
    policy.RuleDefault(
        name='context_is_admin', check_str=ROLE_ADMIN,
        description='Who is an administrator of the service.'),
    policy.RuleDefault(
        name='project_member', check_str=PROJECT_MEMBER,
        description='A member of the project that owns the target.'),
    policy.RuleDefault(
        name='project_reader', check_str=PROJECT_READER,
        description='A reader (or member) of the project that owns the '
                    'target.'),
    policy.RuleDefault(
        name='admin_or_project_member', check_str=RULE_ADMIN_OR_PROJECT_MEMBER,
        description='An administrator or a member of the owning project.'),
    policy.RuleDefault(
        name='admin_or_project_reader', check_str=RULE_ADMIN_OR_PROJECT_READER,
        description='An administrator or a reader of the owning project.'),
]


def list_rules():
    return rules
