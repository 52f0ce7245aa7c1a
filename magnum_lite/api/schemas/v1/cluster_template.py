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

"""Schemas of cluster template (and baymodel) bodies."""

from magnum_lite.api.schemas import common
from magnum_lite.common import states

CREATE = {
    'type': 'object',
    'properties': {
        'name': common.STR255,
        'coe': {'type': 'string', 'enum': list(states.COES)},
        'image_id': common.STR255,
        'flavor_id': common.STR255,
        'master_flavor_id': common.STR255,
        'keypair_id': common.STR255,
        'external_network_id': common.STR255,
        'fixed_network': common.STR255,
        'fixed_subnet': common.STR255,
        'network_driver': common.STR255,
        'volume_driver': common.STR255,
        'dns_nameserver': common.STR255,
        'apiserver_port': {'type': 'integer', 'minimum': 1024,
                           'maximum': 65535},
        'docker_volume_size': common.positive(),
        'docker_storage_driver': common.STR255,
        'cluster_distro': common.STR255,
        'http_proxy': common.STR255,
        'https_proxy': common.STR255,
        'no_proxy': common.STR255,
        'registry_enabled': common.BOOL,
        'insecure_registry': common.STR255,
        'labels': common.LABELS,
        'tls_disabled': common.BOOL,
        'public': common.BOOL,
        'hidden': common.BOOL,
        'server_type': {'type': 'string', 'enum': list(states.SERVER_TYPES)},
        'master_lb_enabled': common.BOOL,
        'floating_ip_enabled': common.BOOL,
        'tags': common.OPT_STR255,
        'driver': common.OPT_STR255,
    },
    'required': ['coe', 'image_id'],
    'additionalProperties': False,
}

# A patched template: the same fields, each may be unset but coe/image_id.
UPDATE = common.nullable(CREATE, keep=('coe', 'image_id'))
