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

from magnum_lite.client import containers

# The Containers panel of magnum-lite, in magnum-ui's Container Infra group
# of the project dashboard (magnum-ui's _1370 file adds the group).
PANEL = 'coe_containers'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'container_infra'
ADD_PANEL = 'magnum_lite.horizon.containers.panel.Containers'
ADD_INSTALLED_APPS = ['magnum_lite.horizon.containers']
# An error answer of the API is shown to the user as a message, like the
# errors of the other OpenStack clients, instead of failing the page.
ADD_EXCEPTIONS = {'recoverable': (containers.ContainerAPIError,)}
