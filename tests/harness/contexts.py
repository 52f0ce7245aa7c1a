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

"""Request contexts: a user's, as the API makes them, and the service's."""

from magnum_lite.common import context as ml_context


def make_context(project_id='project-a', user_id='user-a', roles=('member',),
                 is_admin=False, all_tenants=False):
    return ml_context.RequestContext(
        project_id=project_id, user_id=user_id, roles=list(roles),
        is_admin=is_admin, all_tenants=all_tenants)


def admin_context():
    """The service's own context (periodic tasks), across projects."""
    return ml_context.make_admin_context()
