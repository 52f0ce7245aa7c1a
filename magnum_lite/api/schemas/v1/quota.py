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

"""Schemas of quota bodies (a quota PATCH is a plain object)."""

from magnum_lite.api.schemas import common
from magnum_lite.common import states

_PROPERTIES = {
    'project_id': common.STR255,
    'resource': {'type': 'string', 'enum': list(states.QUOTA_RESOURCES)},
    'hard_limit': common.non_negative(),
}

CREATE = {
    'type': 'object',
    'properties': _PROPERTIES,
    'required': ['project_id', 'resource'],
    'additionalProperties': False,
}

UPDATE = {
    'type': 'object',
    # magnum-ui's Update Quota form sends back the quota's id with the
    # rest of what it read; Magnum takes it (a read-only member of its
    # Quota type) and so does this, and ignores it.
    'properties': dict(_PROPERTIES, id={'type': ['integer', 'string']}),
    'additionalProperties': False,
}
