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

"""How a cluster looks in answers, per microversion (and as a bay)."""

from magnum_lite.api import utils
from magnum_lite.api import versions
from magnum_lite.common import states

SUMMARY = ('uuid', 'name', 'cluster_template_id', 'keypair',
           'docker_volume_size', 'labels', 'node_count', 'status',
           'master_flavor_id', 'flavor_id', 'create_timeout', 'master_count',
           'health_status')

DETAIL = SUMMARY + (
    'discovery_url', 'status_reason', 'health_status_reason', 'api_address',
    'coe_version', 'container_version', 'node_addresses', 'master_addresses',
    'fixed_network', 'fixed_subnet', 'floating_ip_enabled',
    'master_lb_enabled', 'project_id', 'user_id')

# Bay names of cluster members (the bay view renames, nothing else).
BAY_RENAMES = {'cluster_template_id': 'baymodel_id',
               'create_timeout': 'bay_create_timeout',
               'faults': 'bay_faults'}


def label_diff(labels, base_labels):
    """Magnum's labels_overridden/added/skipped versus the parent's."""
    labels = labels or {}
    base_labels = base_labels or {}
    return {
        'labels_overridden': {k: v for k, v in labels.items()
                              if k in base_labels and base_labels[k] != v},
        'labels_added': {k: v for k, v in labels.items()
                         if k not in base_labels},
        'labels_skipped': {k: v for k, v in base_labels.items()
                           if k not in labels},
    }


def faults(row):
    """What failed: the conductor's faults plus each failed nodegroup."""
    if row.status not in states.FAILED:
        return {}
    found = dict(getattr(row, 'faults', None) or {})
    for ng in getattr(row, 'nodegroups', None) or []:
        if ng.status in states.FAILED:
            found.setdefault(ng.name, ng.status_reason)
    return found


def _value(row, field):
    value = getattr(row, field, None)
    if field == 'labels':
        return dict(value or {})
    if field in ('node_addresses', 'master_addresses'):
        return list(value or [])
    return value


def format(row, version, detail=False, template_labels=None,
           resource='clusters'):
    result = {f: _value(row, f) for f in (DETAIL if detail else SUMMARY)}
    id_field = 'cluster_id' if version >= versions.CLUSTER_ID else 'stack_id'
    result[id_field] = row.stack_id
    result['links'] = utils.links(resource, row.uuid)
    if detail:
        result['faults'] = faults(row)
        result['created_at'] = utils.isotime(row.created_at)
        result['updated_at'] = utils.isotime(row.updated_at)
        result.update(label_diff(row.labels, template_labels))
    return result


def format_bay(row, version, detail=False, template_labels=None):
    result = format(row, version, detail, template_labels, 'bays')
    for old, new in BAY_RENAMES.items():
        if old in result:
            result[new] = result.pop(old)
    # Bays never had cluster_id, whatever the version.
    if 'cluster_id' in result:
        result['stack_id'] = result.pop('cluster_id')
    return result
