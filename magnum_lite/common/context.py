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

"""The request context carried from the API through RPC to the conductor."""

import json

from oslo_context import context


class RequestContext(context.RequestContext):
    """Who is asking, and whether they see every project.

    `all_tenants` is set by the API when an admin's policy allows the
    *_all_projects view; the DB layer then drops its project filter.
    """

    def __init__(self, is_admin=None, all_tenants=False, trust_id=None,
                 service_catalog=None, **kwargs):
        super().__init__(is_admin=bool(is_admin), **kwargs)
        self.all_tenants = all_tenants
        self.trust_id = trust_id
        # The caller's catalog (keystonemiddleware's X-Service-Catalog, in
        # the v2 format): where the API finds Nova, Glance and Neutron
        # for the user. Only the API reads it; RPC does not carry it.
        self.service_catalog = service_catalog

    def to_dict(self):
        values = super().to_dict()
        values.update(all_tenants=self.all_tenants, trust_id=self.trust_id)
        return values

    @classmethod
    def from_environ(cls, environ, **kwargs):
        if 'service_catalog' not in kwargs:
            kwargs['service_catalog'] = _catalog(
                environ.get('HTTP_X_SERVICE_CATALOG'))
        return super().from_environ(environ, **kwargs)

    @classmethod
    def from_dict(cls, values, **kwargs):
        kwargs.setdefault('all_tenants', values.get('all_tenants', False))
        kwargs.setdefault('trust_id', values.get('trust_id'))
        kwargs.setdefault('is_admin', values.get('is_admin', False))
        return super().from_dict(values, **kwargs)


def _catalog(header):
    if not header:
        return None
    try:
        catalog = json.loads(header)
    except ValueError:
        return None
    return catalog if isinstance(catalog, list) else None


def make_admin_context(all_tenants=True):
    """The context of the service itself (periodic tasks, start-up)."""
    return RequestContext(is_admin=True, all_tenants=all_tenants,
                          overwrite=False, roles=['admin'])
