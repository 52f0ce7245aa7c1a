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

"""/v1/federations: stored here, carried out by a driver that can.

No driver of this project federates clusters yet; the conductor then
answers NotSupported and the client gets a 400 saying so, with nothing
left behind in the database.
"""

from oslo_utils import uuidutils
from pecan import rest

from magnum_lite.api import method
from magnum_lite.api import names
from magnum_lite.api import patching
from magnum_lite.api.schemas.v1 import federation as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.api.views import misc as view
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import states

PATCH_RULES = patching.PatchRules(
    internal=('/hostcluster_id', '/status', '/status_reason', '/name'),
    literal_fields=('/properties', '/member_ids'))


def _cluster_uuid(ident):
    from magnum_lite.api.controllers.v1 import clusters
    try:
        return clusters.find_cluster(ident).uuid
    except exception.ClusterNotFound as exc:
        raise exception.InvalidParameterValue(err=str(exc))


class FederationsController(rest.RestController):

    _custom_actions = {'detail': ['GET']}

    def _list(self, rule):
        ctx = utils.context()
        policy.authorize(ctx, rule)
        paging = utils.Paging(utils.query())
        rows = utils.dbapi().get_federation_list(ctx, **paging.db_kwargs())
        return utils.collection(
            'federations', [view.federation(r) for r in rows],
            paging, 'federations', rows)

    @method.expose()
    def get_all(self):
        return self._list('federation:get_all')

    @method.expose()
    def detail(self):
        return self._list('federation:detail')

    @method.expose()
    def get_one(self, ident):
        ctx = utils.context()
        row = utils.get_by_ident('federation', ident)
        policy.authorize(ctx, 'federation:get', utils.target_of(row))
        return view.federation(row)

    @method.expose(202)
    def post(self):
        """POST: record the federation and ask the conductor to make it."""
        ctx = utils.context()
        policy.authorize(ctx, 'federation:create')
        body = validation.checked(schema.CREATE, method.json_body())
        values = {
            'uuid': uuidutils.generate_uuid(),
            'name': body.get('name') or names.generate('federation'),
            'project_id': ctx.project_id,
            'hostcluster_id': _cluster_uuid(body['hostcluster_id']),
            'member_ids': [_cluster_uuid(m)
                           for m in body.get('member_ids', [])],
            'properties': body['properties'],
            'status': states.CREATE_IN_PROGRESS,
        }
        dbapi = utils.dbapi()
        row = dbapi.create_federation(values)
        try:
            utils.rpcapi().create_federation(ctx, row.uuid)
        except exception.MagnumLiteException:
            dbapi.destroy_federation(row.uuid)
            raise
        return {'uuid': row.uuid}

    @method.expose(202)
    def patch(self, ident):
        """PATCH member_ids or properties.

        The old values come back if the conductor refuses.
        """
        ctx = utils.context()
        row = utils.get_by_ident('federation', ident)
        policy.authorize(ctx, 'federation:update', utils.target_of(row))
        before = {'member_ids': list(row.member_ids or []),
                  'properties': dict(row.properties or {})}
        after = patching.apply(before, method.json_body(), PATCH_RULES)
        validation.validate(schema.UPDATE, after)
        changes = {k: v for k, v in after.items() if before[k] != v}
        if 'member_ids' in changes:
            changes['member_ids'] = [_cluster_uuid(m)
                                     for m in changes['member_ids']]
        if not changes:
            return {'uuid': row.uuid}
        dbapi = utils.dbapi()
        dbapi.update_federation(row.uuid, changes)
        try:
            utils.rpcapi().update_federation(ctx, row.uuid)
        except exception.MagnumLiteException:
            dbapi.update_federation(row.uuid, before)
            raise
        return {'uuid': row.uuid}

    @method.expose(204)
    def delete(self, ident):
        ctx = utils.context()
        row = utils.get_by_ident('federation', ident)
        policy.authorize(ctx, 'federation:delete', utils.target_of(row))
        utils.rpcapi().delete_federation(ctx, row.uuid)
