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

"""Schemas of nodegroup bodies, per microversion."""

import copy

from magnum_lite.api.schemas import common
from magnum_lite.api import versions
from magnum_lite.common import states

TAINT_EFFECTS = ('NoSchedule', 'PreferNoSchedule', 'NoExecute')

NODE_LABELS = {
    'type': 'object',
    'propertyNames': {'minLength': 1, 'maxLength': 316},
    'additionalProperties': {'type': 'string', 'maxLength': 63},
}

NODE_TAINTS = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'key': {'type': 'string', 'minLength': 1, 'maxLength': 316},
            'value': {'type': ['string', 'null'], 'maxLength': 63},
            'effect': {'type': 'string', 'enum': list(TAINT_EFFECTS)},
        },
        'required': ['key', 'effect'],
        'additionalProperties': False,
    },
}

_CREATE = {
    'type': 'object',
    'properties': {
        'name': common.STR255,
        'node_count': common.non_negative(),
        'min_node_count': common.non_negative(),
        'max_node_count': common.non_negative(),
        'role': common.STR255,
        'docker_volume_size': common.positive(),
        'labels': common.LABELS,
        'flavor_id': common.STR255,
        'image_id': common.STR255,
        'merge_labels': common.BOOL,
        'node_labels': NODE_LABELS,
        'node_taints': NODE_TAINTS,
    },
    'required': ['name'],
    'additionalProperties': False,
}


def create(version):
    schema = copy.deepcopy(_CREATE)
    if version < versions.NODE_LABELS:
        del schema['properties']['node_labels']
        del schema['properties']['node_taints']
    return schema


UPDATABLE = ('min_node_count', 'max_node_count', 'node_labels',
             'node_taints')


def update(version):
    schema = {
        'type': 'object',
        'properties': {
            'min_node_count': common.non_negative(),
            'max_node_count': {'type': ['integer', 'null'], 'minimum': 0,
                               'maximum': 2 ** 31 - 1},
            'node_labels': {'anyOf': [{'type': 'null'}, NODE_LABELS]},
            'node_taints': {'anyOf': [{'type': 'null'}, NODE_TAINTS]},
        },
    }
    return schema


ROLES_NOT_CREATABLE = (states.NODEGROUP_ROLE_MASTER,)
