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

"""/v1/containers: containers on Swarm clusters (from microversion 1.15).

Magnum's former container API as an extension of ours. Create writes the
row in Creating, casts to the conductor and answers 202 with the row; the
conductor places, creates and starts the container. Every other operation
is a conductor call that acts on the container's node. A list or show
first asks the conductor to read the status of what it answers from the
nodes (best effort: without a conductor the stored status is answered).
"""

from oslo_log import log
from oslo_utils import uuidutils
from pecan import rest

from magnum_lite.api import method
from magnum_lite.api import names
from magnum_lite.api import patching
from magnum_lite.api.schemas.v1 import container as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.api import versions
from magnum_lite.api.views import container as view
from magnum_lite.common import containers as rules
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import states

LOG = log.getLogger(__name__)

ALL_PROJECTS_RULE = 'container:get_all_all_projects'

PATCH_RULES = patching.PatchRules(
    internal=('/image', '/command', '/environment', '/memory',
              '/cluster_uuid', '/bay_uuid', '/host', '/status',
              '/status_reason'),
    mandatory=('/name',))


def _require_version():
    versions.require(method.api_version(), versions.CONTAINERS,
                     'containers')


def _find(ident):
    utils.scope_all_projects(ALL_PROJECTS_RULE)
    return utils.get_by_ident('container', ident)


def _authorized(ident, rule):
    """(context, row) of a container the caller may apply `rule` to."""
    _require_version()
    ctx = utils.context()
    row = _find(ident)
    policy.authorize(ctx, rule, utils.target_of(row))
    return ctx, row


def _refresh(ctx, rows):
    """Ask the conductor to read the rows' status from their nodes."""
    uuids = [r.uuid for r in rows
             if r.host and r.status != states.CONTAINER_CREATING]
    if not uuids:
        return False
    try:
        utils.rpcapi().refresh_containers(ctx, uuids)
        return True
    except exception.MagnumLiteException as exc:
        LOG.warning('Container status not refreshed: %s', exc)
        return False


def _cluster_for(ctx, body):
    idents = [body[k] for k in ('cluster', 'cluster_uuid', 'bay_uuid')
              if k in body]
    if not idents:
        raise exception.InvalidParameterValue(
            err='cluster (a Swarm cluster UUID or name) is required.')
    if len(set(idents)) > 1:
        raise exception.InvalidParameterValue(
            err='cluster, cluster_uuid and bay_uuid name different '
                'clusters.')
    try:
        cluster = utils.get_by_ident('cluster', idents[0])
    except exception.ClusterNotFound as exc:
        # A body naming a missing cluster is a bad request, not a missing
        # container.
        raise exception.InvalidParameterValue(err=str(exc))
    try:
        template = utils.dbapi().get_cluster_template_by_uuid(
            ctx, cluster.cluster_template_id)
    except exception.ClusterTemplateNotFound:
        template = None
    rules.check_cluster(cluster, template)
    return cluster


class ContainersController(rest.RestController):
    """Containers by UUID or name; actions as sub-resources."""

    _custom_actions = {'logs': ['GET']}

    @method.expose()
    def get_all(self):
        """GET: the project's containers, statuses read from the nodes."""
        _require_version()
        ctx = utils.context()
        policy.authorize(ctx, 'container:get_all')
        utils.scope_all_projects(ALL_PROJECTS_RULE)
        params = utils.query()
        paging = utils.Paging(params)
        filters = {}
        if params.get('cluster'):
            try:
                filters['cluster_uuid'] = utils.get_by_ident(
                    'cluster', params['cluster']).uuid
            except exception.ClusterNotFound as exc:
                raise exception.InvalidParameterValue(err=str(exc))
        dbapi = utils.dbapi()
        rows = dbapi.get_container_list(ctx, filters=filters,
                                        **paging.db_kwargs())
        if _refresh(ctx, rows):
            rows = dbapi.get_container_list(ctx, filters=filters,
                                            **paging.db_kwargs())
        return utils.collection('containers', [view.format(r) for r in rows],
                                paging, 'containers', rows)

    @method.expose()
    def get_one(self, ident):
        """GET one container, its status read from its node."""
        ctx, row = _authorized(ident, 'container:get')
        if _refresh(ctx, [row]):
            row = utils.dbapi().get_container_by_uuid(ctx, row.uuid)
        return view.format(row)

    @method.expose(202)
    def post(self):
        """POST: record the container (Creating) and have it made; 202."""
        _require_version()
        ctx = utils.context()
        policy.authorize(ctx, 'container:create')
        body = validation.checked(schema.CREATE, method.json_body())
        # Read now so a bad size or command is a 400, not an Error later.
        rules.memory_bytes(body.get('memory'))
        rules.command_args(body.get('command'))
        cluster = _cluster_for(ctx, body)
        memory = body.get('memory')
        values = {
            'uuid': uuidutils.generate_uuid(),
            'name': body.get('name') or names.generate('container'),
            'project_id': ctx.project_id,
            'user_id': ctx.user_id,
            'image': body['image'],
            'command': body.get('command'),
            'environment': body.get('environment') or {},
            'memory': None if memory is None else str(memory),
            'cluster_uuid': cluster.uuid,
            'status': states.CONTAINER_CREATING,
        }
        dbapi = utils.dbapi()
        row = dbapi.create_container(values)
        try:
            utils.rpcapi().create_container(ctx, row.uuid)
        except Exception as exc:
            LOG.exception('Could not reach the conductor for container %s',
                          row.uuid)
            dbapi.update_container(row.uuid, {
                'status': states.CONTAINER_ERROR,
                'status_reason': 'The conductor could not be reached: %s'
                                 % exc})
            raise exception.ConductorUnavailable(reason=str(exc))
        return view.format(row)

    @method.expose()
    def patch(self, ident):
        """PATCH: rename a container (the only member that can change)."""
        ctx, row = _authorized(ident, 'container:update')
        patch = method.json_body()
        patching.check_patch(patch, PATCH_RULES)
        refused = patching.changed_roots(patch) - set(schema.UPDATABLE)
        if refused:
            raise exception.InvalidParameterValue(
                err='cannot change container property(ies) %s.'
                    % ', '.join(sorted(refused)))
        after = patching.apply({'name': row.name}, patch, PATCH_RULES)
        validation.validate(schema.UPDATE, after)
        row = utils.dbapi().update_container(row.uuid,
                                             {'name': after['name']})
        return view.format(row)

    @method.expose(204)
    def delete(self, ident):
        """DELETE: remove the container from its node and the row; 204."""
        ctx, row = _authorized(ident, 'container:delete')
        utils.rpcapi().delete_container(ctx, row.uuid)

    def _action(self, ident, action):
        ctx, row = _authorized(ident, 'container:action')
        utils.rpcapi().action_container(ctx, row.uuid, action)
        return view.format(utils.dbapi().get_container_by_uuid(ctx,
                                                               row.uuid))

    @method.expose()
    def put(self, ident, action):
        """PUT {ident}/start|stop|reboot|pause|unpause|execute.

        One method for every action: Pecan routes a PUT with a name after
        the identifier here, not to a custom action.
        """
        _require_version()
        if action == 'execute':
            return self._execute(ident)
        if action not in schema.ACTIONS:
            raise exception.NotFound(
                'Container action %s does not exist.' % action)
        return self._action(ident, action)

    @method.expose()
    def logs(self, ident):
        """GET {ident}/logs: {"output": stdout and stderr so far}."""
        ctx, row = _authorized(ident, 'container:logs')
        output = utils.rpcapi().get_container_logs(ctx, row.uuid)
        return {'output': output or ''}

    def _execute(self, ident):
        """PUT {ident}/execute?command=...: {"output", "exit_code"}."""
        ctx, row = _authorized(ident, 'container:execute')
        command = utils.query().get('command')
        if not command:
            body = method.json_body(required=False) or {}
            command = body.get('command') if isinstance(body, dict) else None
        if not command or not isinstance(command, (str, list)) or \
                not rules.command_args(command):
            raise exception.InvalidParameterValue(
                err='command is required: ?command=<command line>.')
        result = utils.rpcapi().execute_container(ctx, row.uuid, command)
        result = result or {}
        return {'output': result.get('output') or '',
                'exit_code': result.get('exit_code')}
