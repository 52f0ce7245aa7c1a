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

"""/v1/clustertemplates, and /v1/baymodels as a renamed view of them."""

import copy
import ipaddress

from oslo_log import log
from oslo_utils import uuidutils
import pecan
from pecan import rest

from magnum_lite.api import drivers
from magnum_lite.api import method
from magnum_lite.api import names
from magnum_lite.api import patching
from magnum_lite.api.schemas.v1 import cluster_template as schema
from magnum_lite.api import utils
from magnum_lite.api import validation
from magnum_lite.api import validation_resources
from magnum_lite.api.views import cluster_template as view
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite.common import states

LOG = log.getLogger(__name__)

# Network and volume drivers each COE can use; anything else is a 400
# before a cluster ever fails on it.
NETWORK_DRIVERS = {
    states.COE_KUBERNETES: ('flannel', 'calico', 'cilium'),
    states.COE_SWARM: ('docker', 'flannel'),
    states.COE_SWARM_MODE: ('docker', 'flannel'),
}
DEFAULT_NETWORK_DRIVER = {
    states.COE_KUBERNETES: 'flannel',
    states.COE_SWARM: 'docker',
    states.COE_SWARM_MODE: 'docker',
}
VOLUME_DRIVERS = {
    states.COE_KUBERNETES: ('cinder',),
    states.COE_SWARM: ('rexray',),
    states.COE_SWARM_MODE: ('rexray',),
}

PATCH_RULES = patching.PatchRules(
    non_removable=('/network_driver', '/external_network_id',
                   '/tls_disabled', '/public', '/server_type', '/coe',
                   '/registry_enabled', '/cluster_distro', '/hidden'),
    mandatory=('/image_id', '/coe'),
    # magnum-ui sends str(dict) for the labels of a template update.
    literal_fields=('/labels',))

DEFAULTS = {
    'server_type': 'vm', 'tls_disabled': False, 'public': False,
    'hidden': False, 'registry_enabled': False, 'master_lb_enabled': False,
    'floating_ip_enabled': True, 'labels': {},
}


def check_drivers(values):
    """Network and volume drivers must suit the COE (400 otherwise)."""
    coe = values['coe']
    network = values.get('network_driver')
    if network and network not in NETWORK_DRIVERS.get(coe, ()):
        raise exception.InvalidParameterValue(
            err='Network driver type %s is not supported for %s; expected '
                'one of %s.' % (network, coe,
                                ', '.join(NETWORK_DRIVERS.get(coe, ()))))
    volume = values.get('volume_driver')
    if volume and volume not in VOLUME_DRIVERS.get(coe, ()):
        raise exception.InvalidParameterValue(
            err='Volume driver type %s is not supported for %s; expected '
                'one of %s.' % (volume, coe,
                                ', '.join(VOLUME_DRIVERS.get(coe, ()))))
    if (values.get('docker_storage_driver') == 'devicemapper' and
            values.get('docker_volume_size') is not None and
            values['docker_volume_size'] < 3):
        raise exception.InvalidParameterValue(
            err='docker_volume_size must be at least 3 GB with the '
                'devicemapper storage driver.')


def check_dns(values):
    value = values.get('dns_nameserver')
    if not value:
        return
    for address in value.split(','):
        try:
            ipaddress.ip_address(address.strip())
        except ValueError:
            raise exception.InvalidParameterValue(
                err='dns_nameserver must be an IP address or a comma '
                    'separated list of them, not %r.' % value)


def check_publish(context, values, before=None):
    """public and hidden are for those the publish rule allows (403)."""
    for flag in ('public', 'hidden'):
        wanted = bool(values.get(flag))
        current = bool(before.get(flag)) if before else False
        if wanted != current:
            policy.authorize(context, 'clustertemplate:publish',
                             do_raise=True)


class ClusterTemplatesController(rest.RestController):
    """Cluster templates: create 201, update 200, delete 204."""

    _custom_actions = {'detail': ['GET']}

    resource = 'clustertemplates'
    collection_key = 'clustertemplates'
    create_schema = schema.CREATE

    def format(self, row):
        return view.format(row)

    def to_values(self, body):
        """Request members to template columns (baymodels rename none)."""
        return body

    def _list(self, rule, all_projects_rule):
        ctx = utils.context()
        policy.authorize(ctx, rule)
        utils.scope_all_projects(all_projects_rule)
        paging = utils.Paging(utils.query())
        rows = utils.dbapi().get_cluster_template_list(
            ctx, **paging.db_kwargs())
        return utils.collection(
            self.collection_key, [self.format(r) for r in rows],
            paging, self.resource, rows)

    @method.expose()
    def get_all(self):
        """GET: the templates this project may use."""
        return self._list('clustertemplate:get_all',
                          'clustertemplate:get_all_all_projects')

    @method.expose()
    def detail(self):
        """GET detail: the same, with every field."""
        return self._list('clustertemplate:detail',
                          'clustertemplate:detail_all_projects')

    def _get(self, ident, all_projects_rule):
        utils.scope_all_projects(all_projects_rule)
        return utils.get_by_ident('cluster_template', ident)

    @method.expose()
    def get_one(self, ident):
        """GET one template by UUID or name."""
        ctx = utils.context()
        row = self._get(ident, 'clustertemplate:get_one_all_projects')
        # A public template is readable by all who may read templates.
        target = (None if row.public and not row.hidden
                  else utils.target_of(row))
        policy.authorize(ctx, 'clustertemplate:get', target)
        return self.format(row)

    @method.expose(201)
    def post(self):
        """POST: create a template; answers 201 with it."""
        ctx = utils.context()
        policy.authorize(ctx, 'clustertemplate:create')
        body = validation.checked(self.create_schema, method.json_body())
        values = copy.deepcopy(DEFAULTS)
        values.update(self.to_values(body))
        check_publish(ctx, values)
        values.setdefault('network_driver',
                          DEFAULT_NETWORK_DRIVER.get(values['coe']))
        check_drivers(values)
        check_dns(values)
        # The distribution (and so the driver) may come from the image;
        # then every name the template gives is checked where it lives.
        checker = validation_resources.Checker(ctx)
        driver = checker.template_driver(values)
        checker.template(driver, values)
        values.setdefault('name', names.generate('template'))
        values.update(uuid=uuidutils.generate_uuid(),
                      project_id=ctx.project_id, user_id=ctx.user_id)
        row = utils.dbapi().create_cluster_template(values)
        pecan.response.location = '%s/v1/%s/%s' % (
            utils.base_url(), self.resource, row.uuid)
        return self.format(row)

    @method.expose()
    def patch(self, ident):
        """PATCH: apply a JSON-Patch; answers 200 with the template."""
        ctx = utils.context()
        row = self._get(ident, 'clustertemplate:update_all_projects')
        policy.authorize(ctx, 'clustertemplate:update',
                         utils.target_of(row))
        before = view.document(row)
        after = patching.apply(self.document(before), method.json_body(),
                               PATCH_RULES)
        after = self.to_values(validation.coerce(schema.UPDATE, after))
        validation.validate(schema.UPDATE, after)
        check_publish(ctx, after, before)
        changes = {k: v for k, v in after.items()
                   if k in view.FIELDS and before.get(k) != v}
        if not changes:
            return self.format(row)
        merged = dict(before, **changes)
        check_drivers(merged)
        check_dns(merged)
        checker = validation_resources.Checker(ctx)
        driver = None
        if {'coe', 'server_type', 'driver', 'labels', 'cluster_distro',
                'image_id'} & set(changes):
            # A new image names its own distribution, unless the patch
            # names one too.
            driver = checker.template_driver(
                merged, distro_from_image=('image_id' in changes and
                                           'cluster_distro' not in changes))
            if merged['cluster_distro'] != before.get('cluster_distro'):
                changes['cluster_distro'] = merged['cluster_distro']
        renamed = set(validation_resources.TEMPLATE_FIELDS) & set(changes)
        if renamed:
            checker.template(driver or drivers.driver_for(merged), merged,
                             renamed)
        row = utils.dbapi().update_cluster_template(row.uuid, changes)
        return self.format(row)

    def document(self, before):
        """The template as the client sees it, to apply a patch to."""
        return before

    @method.expose(204)
    def delete(self, ident):
        """DELETE: remove an unused template."""
        ctx = utils.context()
        row = self._get(ident, 'clustertemplate:delete_all_projects')
        policy.authorize(ctx, 'clustertemplate:delete',
                         utils.target_of(row))
        utils.dbapi().destroy_cluster_template(row.uuid)


class BayModelsController(ClusterTemplatesController):
    """The same templates under their bay-era name, without `driver`."""

    resource = 'baymodels'
    collection_key = 'baymodels'
    create_schema = copy.deepcopy(schema.CREATE)
    del create_schema['properties']['driver']

    def format(self, row):
        return view.format_baymodel(row)

    def document(self, before):
        return {k: v for k, v in before.items() if k != 'driver'}
