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

"""Schemas of federation bodies."""

from magnum_lite.api.schemas import common

PROPERTIES = {
    'type': 'object',
    'properties': {'dns-zone': common.STR255},
    'required': ['dns-zone'],
    'additionalProperties': {'type': 'string'},
}

CREATE = {
    'type': 'object',
    'properties': {
        'name': common.NAME_242,
        'hostcluster_id': common.STR255,
        'member_ids': {'type': 'array', 'items': common.STR255},
        'properties': PROPERTIES,
    },
    'required': ['hostcluster_id', 'properties'],
    'additionalProperties': False,
}

UPDATABLE = ('member_ids', 'properties')

UPDATE = {
    'type': 'object',
    'properties': {
        'member_ids': {'type': 'array', 'items': common.STR255},
        'properties': PROPERTIES,
    },
}
