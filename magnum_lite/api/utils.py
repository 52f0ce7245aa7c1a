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

"""Helpers shared by the controllers: lookups, paging, links, scoping."""

from urllib import parse

from oslo_config import cfg
from oslo_utils import strutils
from oslo_utils import uuidutils
import pecan

from magnum_lite.common import exception
from magnum_lite.common import policy

CONF = cfg.CONF

SORT_DIRS = ('asc', 'desc')


def dbapi():
    # Imported on use: the API starts (and serves its version documents)
    # even where the database layer cannot be imported yet.
    from magnum_lite.db import api as db_api
    return db_api.get_instance()


def context():
    return pecan.request.context


def rpcapi():
    return pecan.request.rpcapi


def query():
    """The query string as a dict of the last value of each name."""
    return {k: v for k, v in pecan.request.GET.items()}


def target_of(row):
    """The policy target of an object: its owner."""
    return {'project_id': getattr(row, 'project_id', None),
            'user_id': getattr(row, 'user_id', None)}


def scope_all_projects(rule):
    """Let an admin see every project when an *_all_projects rule allows.

    Everyone else stays inside their own project.
    """
    ctx = context()
    if ctx.is_admin and policy.check(ctx, rule):
        ctx.all_tenants = True
    return ctx


def get_by_ident(kind, ident, *args):
    """Find an object by UUID or name with dbapi.get_<kind>_by_uuid|name."""
    if not isinstance(ident, str) or not ident or len(ident) > 255:
        raise exception.InvalidIdentity(identity=ident)
    how = 'uuid' if uuidutils.is_uuid_like(ident) else 'name'
    getter = getattr(dbapi(), 'get_%s_by_%s' % (kind, how))
    return getter(context(), *args, ident)


def parse_bool(value, name):
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidParameterValue(
            err='%s must be a boolean, not %r.' % (name, value))


class Paging:
    """limit, marker, sort_key and sort_dir of a list request."""

    def __init__(self, params, default_sort_key='id', int_marker=False):
        self.params = params
        self.limit = self._limit(params.get('limit'))
        self.marker = params.get('marker') or None
        if self.marker is not None and int_marker:
            try:
                self.marker = int(self.marker)
            except ValueError:
                raise exception.InvalidParameterValue(
                    err='marker must be an integer id, not %r.'
                    % self.marker)
        self.sort_key = params.get('sort_key') or default_sort_key
        self.sort_dir = (params.get('sort_dir') or 'asc').lower()
        if self.sort_dir not in SORT_DIRS:
            raise exception.InvalidParameterValue(
                err="Invalid sort direction: %s. Acceptable values are "
                    "'asc' or 'desc'." % params.get('sort_dir'))

    @staticmethod
    def _limit(value):
        if value is None or value == '':
            return CONF.api.max_limit
        try:
            limit = int(value)
        except ValueError:
            raise exception.InvalidParameterValue(
                err='limit must be an integer, not %r.' % value)
        if limit <= 0:
            raise exception.InvalidParameterValue(
                err='Limit must be positive')
        return min(CONF.api.max_limit, limit)

    def db_kwargs(self):
        return {'limit': self.limit, 'marker': self.marker,
                'sort_key': self.sort_key, 'sort_dir': self.sort_dir}

    def next_url(self, path, rows, marker_attr='uuid', extra=None):
        """The URL of the next page, or None when this page is not full."""
        if not rows or len(rows) < self.limit:
            return None
        query_items = dict(extra or {})
        query_items.update(limit=self.limit,
                           marker=getattr(rows[-1], marker_attr))
        if self.params.get('sort_key'):
            query_items['sort_key'] = self.sort_key
        if self.params.get('sort_dir'):
            query_items['sort_dir'] = self.sort_dir
        return '%s/v1/%s?%s' % (base_url(), path,
                                parse.urlencode(query_items))


def collection(key, items, paging, path, rows, **next_kwargs):
    """A list answer: {key: items} plus "next" when the page is full."""
    result = {key: items}
    next_url = paging.next_url(path, rows, **next_kwargs)
    if next_url:
        result['next'] = next_url
    return result


def base_url():
    """Where this API is served (with any mount prefix), no trailing /."""
    return pecan.request.application_url.rstrip('/')


def links(resource, ident):
    """Magnum's self and bookmark links of an object."""
    url = base_url()
    return [{'href': '%s/v1/%s/%s' % (url, resource, ident), 'rel': 'self'},
            {'href': '%s/%s/%s' % (url, resource, ident), 'rel': 'bookmark'}]


def isotime(value):
    if value is None:
        return None
    # Whole seconds, as Magnum's answers (MySQL DATETIME) have them.
    value = value.replace(microsecond=0)
    if value.tzinfo is None:
        return value.isoformat() + '+00:00'
    return value.isoformat()
