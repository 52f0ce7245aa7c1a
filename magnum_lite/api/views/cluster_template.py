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

"""How a cluster template looks in answers (and as a baymodel)."""

from magnum_lite.api import utils

FIELDS = (
    'uuid', 'name', 'coe', 'image_id', 'flavor_id', 'master_flavor_id',
    'keypair_id', 'external_network_id', 'fixed_network', 'fixed_subnet',
    'network_driver', 'volume_driver', 'dns_nameserver', 'apiserver_port',
    'docker_volume_size', 'docker_storage_driver', 'cluster_distro',
    'http_proxy', 'https_proxy', 'no_proxy', 'registry_enabled',
    'insecure_registry', 'labels', 'tls_disabled', 'public', 'hidden',
    'server_type', 'master_lb_enabled', 'floating_ip_enabled', 'tags',
    'driver', 'project_id', 'user_id',
)

# Baymodels predate the driver field.
BAYMODEL_FIELDS = tuple(f for f in FIELDS if f != 'driver')


def document(row):
    """The editable members of a template (what a patch is applied to)."""
    doc = {f: getattr(row, f, None) for f in FIELDS}
    doc['labels'] = dict(row.labels or {})
    return doc


def format(row, resource='clustertemplates', fields=FIELDS):
    result = {f: getattr(row, f, None) for f in fields}
    result['labels'] = dict(row.labels or {})
    result['created_at'] = utils.isotime(row.created_at)
    result['updated_at'] = utils.isotime(row.updated_at)
    result['links'] = utils.links(resource, row.uuid)
    return result


def format_baymodel(row):
    return format(row, 'baymodels', BAYMODEL_FIELDS)
