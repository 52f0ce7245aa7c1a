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

"""/v1/quotas: per-project limits (only Cluster counts)."""

from pecan import rest

from magnum_lite.api import method
from magnum_lite.api.schemas.v1 import quota as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.api.views import misc as view
from magnum_lite.common import exception
from magnum_lite.common import policy


def _target(project_id):
    return {'project_id': project_id}


def _check_resource(resource):
    validation.validate(schema.UPDATE, {'resource': resource})


class QuotasController(rest.RestController):

    @method.expose()
    def get_all(self):
        """GET: the caller's quotas; an admin's with all_tenants=True."""
        ctx = utils.context()
        policy.authorize(ctx, 'quota:get_all')
        params = utils.query()
        filters = {}
        all_tenants = params.get('all_tenants') is not None and \
            utils.parse_bool(params['all_tenants'], 'all_tenants')
        if ctx.is_admin and all_tenants:
            ctx.all_tenants = True
        else:
            filters['project_id'] = ctx.project_id
        paging = utils.Paging(params, int_marker=True)
        rows = utils.dbapi().get_quota_list(ctx, filters=filters,
                                            **paging.db_kwargs())
        return utils.collection(
            'quotas', [view.quota(r) for r in rows],
            paging, 'quotas', rows, marker_attr='id',
            extra={'all_tenants': 'True'} if all_tenants else None)

    @method.expose()
    def get_one(self, project_id, resource):
        """GET a project's quota of a resource (the default if unset)."""
        ctx = utils.context()
        policy.authorize(ctx, 'quota:get', _target(project_id))
        _check_resource(resource)
        try:
            return view.quota(utils.dbapi().get_quota_by_project_id_resource(
                project_id, resource))
        except exception.QuotaNotFound:
            return view.default_quota(project_id, resource)

    @method.expose(201)
    def post(self):
        """POST: create a quota; 201 with it."""
        ctx = utils.context()
        body = validation.checked(schema.CREATE, method.json_body())
        policy.authorize(ctx, 'quota:create', _target(body['project_id']))
        body.setdefault('hard_limit', 1)
        return view.quota(utils.dbapi().create_quota(body))

    @method.expose(202)
    def patch(self, project_id, resource):
        """PATCH with a plain object {"hard_limit": N}; 202 with it."""
        ctx = utils.context()
        policy.authorize(ctx, 'quota:update', _target(project_id))
        _check_resource(resource)
        body = validation.checked(schema.UPDATE, method.json_body())
        dbapi = utils.dbapi()
        # Raises QuotaNotFound (404) for a quota never created.
        dbapi.get_quota_by_project_id_resource(project_id, resource)
        values = {}
        if 'hard_limit' in body:
            values['hard_limit'] = body['hard_limit']
        row = dbapi.update_quota(project_id, resource, values)
        return view.quota(row)

    @method.expose(204)
    def delete(self, project_id, resource):
        """DELETE a quota; the project falls back to the default."""
        ctx = utils.context()
        policy.authorize(ctx, 'quota:delete', _target(project_id))
        _check_resource(resource)
        utils.dbapi().delete_quota(project_id, resource)
