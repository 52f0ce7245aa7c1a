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

"""Schemas of cluster (and bay) bodies, per microversion."""

import copy

from magnum_lite.api.schemas import common
from magnum_lite.api import versions
from magnum_lite.common import states

_CREATE = {
    'type': 'object',
    'properties': {
        'name': common.NAME_242,
        'cluster_template_id': common.STR255,
        'keypair': common.STR255,
        'node_count': common.non_negative(),
        'master_count': common.positive(),
        'docker_volume_size': common.positive(),
        'labels': common.LABELS,
        'merge_labels': common.BOOL,
        'master_flavor_id': common.STR255,
        'flavor_id': common.STR255,
        'create_timeout': common.non_negative(),
        'discovery_url': common.OPT_STR255,
        'fixed_network': common.STR255,
        'fixed_subnet': common.STR255,
        'floating_ip_enabled': common.BOOL,
        'master_lb_enabled': common.BOOL,
    },
    'required': ['cluster_template_id'],
    'additionalProperties': False,
}


def _min_nodes(schema, version, field='node_count'):
    schema = copy.deepcopy(schema)
    if version < versions.ZERO_NODES:
        schema['properties'][field]['minimum'] = 1
    return schema


def create(version):
    return _min_nodes(_CREATE, version)


# The document a cluster patch is applied to, and what it must look like
# afterwards. Only these three members may change (Magnum's rule).
UPDATABLE = ('node_count', 'health_status', 'health_status_reason')


def update(version):
    return _min_nodes({
        'type': 'object',
        'properties': {
            'node_count': common.non_negative(),
            'health_status': {'type': ['string', 'null'],
                              'enum': list(states.HEALTH_STATUSES) + [None]},
            'health_status_reason': {
                'type': ['object', 'null'],
                'additionalProperties': {
                    'type': ['string', 'integer', 'number', 'boolean',
                             'null']}},
        },
        'required': ['node_count'],
    }, version)


def resize(version):
    return _min_nodes({
        'type': 'object',
        'properties': {
            'node_count': common.non_negative(),
            'nodes_to_remove': {'type': 'array',
                                'items': common.STR255},
            'nodegroup': common.STR255,
        },
        'required': ['node_count'],
        'additionalProperties': False,
    }, version)


UPGRADE = {
    'type': 'object',
    'properties': {
        'cluster_template': common.STR255,
        'max_batch_size': common.positive(),
        'nodegroup': common.STR255,
    },
    'required': ['cluster_template'],
    'additionalProperties': False,
}
