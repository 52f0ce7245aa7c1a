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

"""Schema of a certificate signing request body."""

from magnum_lite.api.schemas import common

CA_CERT_TYPES = ('kubernetes', 'etcd', 'front_proxy', 'front-proxy')

SIGN = {
    'type': 'object',
    'properties': {
        'cluster_uuid': common.STR255,
        # The name the bay era used; accepted as an alias.
        'bay_uuid': common.STR255,
        'csr': {'type': 'string', 'minLength': 1, 'maxLength': 65536},
        'ca_cert_type': {'type': 'string', 'enum': list(CA_CERT_TYPES)},
    },
    'required': ['csr'],
    'additionalProperties': False,
}
