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

"""Answers of the small resources: quotas, services, federations, stats."""

import datetime

from oslo_config import cfg
from oslo_utils import timeutils

from magnum_lite.api import utils

CONF = cfg.CONF


def quota(row):
    return {'id': row.id, 'project_id': row.project_id,
            'resource': row.resource, 'hard_limit': row.hard_limit,
            'created_at': utils.isotime(row.created_at),
            'updated_at': utils.isotime(row.updated_at)}


def default_quota(project_id, resource):
    """The quota of a project that has no row: the configured default."""
    return {'project_id': project_id, 'resource': resource,
            'hard_limit': CONF.quotas.max_clusters_per_project,
            'created_at': None, 'updated_at': None}


def service_is_up(row, now=None):
    """Up when the last heartbeat is newer than [DEFAULT] service_down_time."""
    if getattr(row, 'forced_down', False):
        return False
    last = row.last_seen_up or row.updated_at or row.created_at
    if last is None:
        return False
    now = now or timeutils.utcnow()
    if last.tzinfo is not None:
        last = last.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    elapsed = (now.replace(tzinfo=None) - last).total_seconds()
    return abs(elapsed) <= CONF.service_down_time


def service(row, now=None):
    return {'id': row.id, 'host': row.host, 'binary': row.binary,
            'state': 'up' if service_is_up(row, now) else 'down',
            'disabled': bool(row.disabled),
            'disabled_reason': row.disabled_reason,
            'report_count': row.report_count,
            'created_at': utils.isotime(row.created_at),
            'updated_at': utils.isotime(row.updated_at)}


FEDERATION_FIELDS = ('uuid', 'name', 'hostcluster_id', 'status',
                     'status_reason', 'project_id')


def federation(row):
    result = {f: getattr(row, f, None) for f in FEDERATION_FIELDS}
    result['member_ids'] = list(row.member_ids or [])
    result['properties'] = dict(row.properties or {})
    result['created_at'] = utils.isotime(row.created_at)
    result['updated_at'] = utils.isotime(row.updated_at)
    result['links'] = utils.links('federations', row.uuid)
    return result
