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

"""Schemas of container bodies (microversion 1.15)."""

from magnum_lite.api.schemas import common

# Docker's container name rule, so a name is usable on the node too.
NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
        'pattern': '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$'}

COMMAND = {'oneOf': [
    {'type': 'string', 'maxLength': 4096},
    {'type': 'array', 'maxItems': 256,
     'items': {'type': 'string', 'maxLength': 4096}},
]}

# Bytes, or a number with b, k, m or g as Docker's CLI takes it.
MEMORY = {'oneOf': [
    {'type': 'string', 'pattern': '^[0-9]{1,12}[bkmgBKMG]?$'},
    {'type': 'integer', 'minimum': 1, 'maximum': 2 ** 50},
]}

ENVIRONMENT = {
    'type': 'object',
    'maxProperties': 256,
    'propertyNames': {'minLength': 1, 'maxLength': 255,
                      'pattern': '^[^=]+$'},
    'additionalProperties': {'type': 'string', 'maxLength': 4096},
}

CREATE = {
    'type': 'object',
    'properties': {
        'name': NAME,
        'image': common.STR255,
        'command': COMMAND,
        'environment': ENVIRONMENT,
        'memory': MEMORY,
        # The cluster by UUID or name; bay_uuid is the Liberty spelling.
        'cluster': common.STR255,
        'cluster_uuid': common.STR255,
        'bay_uuid': common.STR255,
    },
    'required': ['image'],
    'additionalProperties': False,
}

UPDATABLE = ('name',)

UPDATE = {
    'type': 'object',
    'properties': {'name': NAME},
    'required': ['name'],
}

# Actions sent as PUT /v1/containers/{ident}/<action>.
ACTIONS = ('start', 'stop', 'reboot', 'pause', 'unpause')
