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

"""How a nodegroup looks in answers, per microversion."""

from magnum_lite.api import utils
from magnum_lite.api import versions
from magnum_lite.api.views import cluster as cluster_view

SUMMARY = ('uuid', 'name', 'flavor_id', 'image_id', 'node_count', 'role',
           'is_default', 'status', 'stack_id')

DETAIL = SUMMARY + (
    'id', 'cluster_id', 'project_id', 'docker_volume_size', 'labels',
    'node_addresses', 'max_node_count', 'min_node_count', 'status_reason',
    'version')


def document(row):
    """The patchable members of a nodegroup and their current values."""
    return {
        'min_node_count': row.min_node_count or 0,
        'max_node_count': row.max_node_count,
        'node_labels': dict(row.node_labels or {}),
        'node_taints': list(row.node_taints or []),
    }


def format(row, version, detail=False, cluster_labels=None):
    result = {f: getattr(row, f, None) for f in
              (DETAIL if detail else SUMMARY)}
    result['links'] = utils.links(
        'clusters/%s/nodegroups' % row.cluster_id, row.uuid)
    if detail:
        result['labels'] = dict(row.labels or {})
        result['node_addresses'] = list(row.node_addresses or [])
        result['merge_labels'] = None
        result['created_at'] = utils.isotime(row.created_at)
        result['updated_at'] = utils.isotime(row.updated_at)
        result.update(cluster_view.label_diff(row.labels, cluster_labels))
        if version >= versions.NODE_LABELS:
            result['node_labels'] = dict(row.node_labels or {})
            result['node_taints'] = list(row.node_taints or [])
    return result
