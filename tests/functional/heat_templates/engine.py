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

"""The real Heat engine's full Stack.validate(), offline, all the way down.

Only the cloud look-ups are answered here: Nova flavors and keypairs,
Glance images, Neutron networks and subnets, Cinder volume types and
Octavia objects, patched on Heat's own client plugins so that Heat's
custom constraints and each resource's validate() run unchanged. It runs
in worker.py's process, never in pytest's: importing it registers Heat's
options on the global CONF (and selects oslo.service's threading backend,
through the harness's heat_engine).

Heat validates nested stacks (our node, network and load balancer
templates) leniently and skips every property whose value depends on a
resource not yet created. `validate` closes both gaps for the test: nested
stacks are validated as strictly as the top one, and a reference to a
resource not yet created resolves to a stand-in of the right shape (an ID
"runtime-<resource>", an address from TEST-NET-1, an OS::Heat::Value's
real value), so that every property, including each server's user_data,
is resolved and checked. Every stack's outputs are resolved too (the
bootstrap scripts are outputs of script.yaml) and recorded.
"""

import json
from unittest import mock

from tests.harness import heat_engine  # noqa: F401  (first)

from heat.common import exception  # noqa: E402
from heat.common import template_format  # noqa: E402
from heat.engine import environment  # noqa: E402
from heat.engine import stack as heat_stack  # noqa: E402
from heat.engine import template as heat_template  # noqa: E402
from oslo_config import cfg  # noqa: E402

FLAVORS = {'m1.small': {'ram': 2048, 'disk': 20, 'vcpus': 1},
           'm1.large': {'ram': 8192, 'disk': 80, 'vcpus': 4}}
IMAGES = {'fedora-coreos-40': {'min_ram': 0, 'min_disk': 0},
          'ubuntu-24.04': {'min_ram': 0, 'min_disk': 0}}
KEYPAIRS = {'default'}
NOVA_LIMITS = {'maxServerMeta': 128, 'maxPersonality': 5,
               'maxPersonalitySize': 10240}
NETWORKS = {'public', 'user-net'}
# IDs of what the stack itself creates (see stand_in).
RUNTIME = 'runtime-'
SUBNETS = {'user-subnet'}
VOLUME_TYPES = {'ssd'}


def _not_found(entity, name):
    return exception.EntityNotFound(entity=entity, name=name)


class _Patches(object):
    """A context manager applying self.patches."""

    patches = ()

    def __enter__(self):
        for patch in self.patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in self.patches:
            patch.stop()


class FakeCloud(_Patches):
    """Answers Heat's client plugins' look-ups from the sets above."""

    def __init__(self):
        from heat.engine.clients.os import cinder
        from heat.engine.clients.os import glance
        from heat.engine.clients.os import neutron
        from heat.engine.clients.os import nova
        from heat.engine.clients.os import octavia
        from novaclient import exceptions as nova_exc

        def find_flavor(plugin, flavor):
            if flavor not in FLAVORS:
                raise nova_exc.NotFound(404, 'flavor %s' % flavor)
            return flavor

        def get_flavor(plugin, flavor):
            find_flavor(plugin, flavor)
            return mock.Mock(id=flavor, **FLAVORS[flavor])

        def get_keypair(plugin, name):
            if name not in KEYPAIRS:
                raise _not_found('Key', name)
            return mock.Mock(public_key='ssh-ed25519 AAAA')

        def find_image(plugin, image):
            if image not in IMAGES:
                raise _not_found('Image', image)
            return image

        def get_image(plugin, image):
            find_image(plugin, image)
            return mock.Mock(id=image, status='active', **IMAGES[image])

        def find_neutron(plugin, resource, name_or_id, cmd_resource=None):
            known = {'network': NETWORKS, 'subnet': SUBNETS}.get(resource)
            if (known is not None and name_or_id not in known and
                    not name_or_id.startswith(RUNTIME)):
                raise _not_found(resource, name_or_id)
            return name_or_id

        def get_volume_type(plugin, name):
            if name not in VOLUME_TYPES:
                raise _not_found('VolumeType', name)
            return mock.Mock(id=name)

        def made_by_stack(entity):
            def get(plugin, value):
                if not str(value).startswith(RUNTIME):
                    raise _not_found(entity, value)
                return mock.Mock(id=value)
            return get

        # Octavia objects are always made by the stack itself.
        def octavia_get(kind):
            def get(plugin, value):
                if not str(value).startswith(RUNTIME):
                    raise _not_found(kind, value)
                return value
            return get

        def octavia_constraint(constraint, client, value):
            octavia_get('octavia object')(None, value)

        self.patches = [
            mock.patch.object(nova.NovaClientPlugin,
                              'find_flavor_by_name_or_id', find_flavor),
            mock.patch.object(nova.NovaClientPlugin, 'get_flavor',
                              get_flavor),
            mock.patch.object(nova.NovaClientPlugin, 'get_keypair',
                              get_keypair),
            mock.patch.object(nova.NovaClientPlugin, 'get_max_microversion',
                              lambda plugin: '2.79'),
            # Nova's default quotas, which Heat checks server metadata
            # against.
            mock.patch.object(nova.NovaClientPlugin, 'absolute_limits',
                              lambda plugin: dict(NOVA_LIMITS)),
            mock.patch.object(glance.GlanceClientPlugin,
                              'find_image_by_name_or_id', find_image),
            mock.patch.object(glance.GlanceClientPlugin, 'get_image',
                              get_image),
            mock.patch.object(neutron.NeutronClientPlugin,
                              'find_resourceid_by_name_or_id', find_neutron),
            mock.patch.object(neutron.NeutronClientPlugin, 'has_extension',
                              lambda plugin, ext: True),
            mock.patch.object(cinder.CinderClientPlugin, 'get_volume_type',
                              get_volume_type),
            mock.patch.object(cinder.CinderClientPlugin, 'get_volume',
                              made_by_stack('Volume')),
            mock.patch.object(nova.NovaClientPlugin, 'get_server',
                              made_by_stack('Server')),
        ] + [mock.patch.object(octavia.OctaviaClientPlugin, 'get_' + kind,
                               octavia_get(kind))
             for kind in ('pool', 'listener', 'loadbalancer', 'flavor')] + [
            mock.patch.object(octavia.OctaviaConstraint,
                              'validate_with_client', octavia_constraint)]


# Results of str_replace by (kind, template, params): Heat resolves a
# property many times while validating, and percent-encoding a script for
# Ignition costs a quarter of a second each time.
_REPLACED = {}


def stand_in(resource, attr, path, nested_outputs=None):
    """What get_attr of a resource not yet created resolves to.

    `nested_outputs` holds the outputs of the resource's nested stack when
    it has been validated already (Heat validates in dependency order).
    """
    from heat.engine import function
    definition = resource.t
    if nested_outputs is not None and definition.resource_type.endswith(
            '.yaml'):
        # Heat checks these only once the stack exists.
        if attr not in nested_outputs:
            raise exception.InvalidTemplateAttribute(
                resource=resource.name, key=attr)
        if not path:
            return nested_outputs[attr]
    if definition.resource_type == 'OS::Heat::Value' and attr == 'value':
        return function.resolve(definition._properties.get('value'))
    names = [str(attr)] + [str(p) for p in path]
    if any('address' in name for name in names):
        return '192.0.2.10'
    return RUNTIME + '-'.join([resource.name] + names)


class DeepValidation(_Patches):
    """Patches for validating like a stack whose resources all exist."""

    def __init__(self):
        from heat.engine import function
        from heat.engine.hot import functions
        from heat.engine import properties
        from heat.engine import resource
        from heat.engine.resources.openstack.nova import server
        from heat.engine.resources import stack_resource

        function_resolve = function.resolve
        self.user_data = []
        self.outputs = []
        self.resources = []
        # Every stack validated, by name (see preview_update).
        self.stacks = {}
        stacks = self.stacks
        resources = self.resources
        by_stack = {}
        recorded = self.user_data
        outputs = self.outputs
        original_server_validate = server.Server.validate
        original_stack_validate = heat_stack.Stack.validate

        original_replace = functions.Replace.result

        def replace(fn):
            template = function_resolve(fn._string)
            mapping = function_resolve(fn._mapping)
            key = (type(fn).__name__, repr(template),
                   json.dumps(mapping, sort_keys=True, default=repr))
            if key not in _REPLACED:
                _REPLACED[key] = original_replace(fn)
            return _REPLACED[key]

        def stack_validate(stk, *args, **kwargs):
            # get_attr of this stack's resources reads this validation's
            # outputs, even when another validation runs later.
            stk._validated_outputs = by_stack
            stacks[stk.name] = stk
            result = original_stack_validate(stk, *args, **kwargs)
            resources.extend((stk.name, res.name, res.type())
                             for res in stk.resources.values())
            for name, output in stk.outputs.items():
                value = output.get_value()
                outputs.append((stk.name, name, value))
                by_stack.setdefault(stk.name, {})[name] = value
            return result

        def get_attr(fn):
            attr = function_resolve(fn._attribute)
            path = function_resolve(fn._path_components) or []
            target = fn._resource()
            if fn._result_ready(target):
                return target.FnGetAtt(attr, *path)
            nested = '%s-%s' % (fn.stack.parameters['OS::stack_name'],
                                target.name)
            outputs_by_stack = getattr(fn.stack, '_validated_outputs',
                                       by_stack)
            return stand_in(target, attr, path, outputs_by_stack.get(nested))

        def get_resource(fn):
            target = fn._resource()
            if target.action != target.INIT:
                return target.FnGetRefId()
            return RUNTIME + target.name

        def server_validate(srv):
            result = original_server_validate(srv)
            recorded.append((srv.stack.name, srv.name,
                             srv.properties['user_data']))
            return result

        # Heat validates a nested stack of a nested stack only while that
        # one is being created; here every level is validated at once.
        def stack_resource_validate(res):
            resource.Resource.validate(res)
            res.validate_nested_stack()

        self.patches = [
            mock.patch.object(heat_stack.Stack, 'strict_validate',
                              property(lambda stk: True,
                                       lambda stk, value: None),
                              create=True),
            mock.patch.object(functions.GetAtt, 'result', get_attr),
            mock.patch.object(functions.Replace, 'result', replace),
            mock.patch.object(functions.GetResource, 'result',
                              get_resource),
            mock.patch.object(properties.Properties,
                              '_find_deps_any_in_init',
                              lambda props, value: False),
            mock.patch.object(server.Server, 'validate', server_validate),
            mock.patch.object(heat_stack.Stack, 'validate', stack_validate),
            mock.patch.object(stack_resource.StackResource, 'validate',
                              stack_resource_validate),
        ]


def configure(db_path):
    heat_engine.configure(db_path)
    # Anything that does try to reach a service fails at once.
    cfg.CONF.set_override('client_retry_limit', 0)


def preview_update(template_text, files, old_parameters, new_parameters):
    """What updating a stack from old to new parameters would do.

    Both parameter sets are validated as `validate` does; then Heat's own
    update preview (StackUpdate.preview, what `openstack stack update
    --dry-run` runs) compares every stack with its counterpart, nested
    stacks included, and each resource it would update in place reports
    the properties that change (Heat's update_template_diff_properties,
    which raises UpdateReplace where the real update would replace).

    Returns {stack name: {"updated": {resource: [property, ...]},
    "replaced", "added", "deleted", "unchanged": [resource, ...],
    "types": {resource: type}}}; a stack only one side has is listed with
    all its resources added or deleted.
    """
    from heat.engine import update
    old = validate(template_text, files, old_parameters).stacks
    new = validate(template_text, files, new_parameters).stacks
    result = {}
    with FakeCloud(), DeepValidation():
        for name in sorted(set(old) | set(new)):
            before, after = old.get(name), new.get(name)
            if before is None or after is None:
                present = after if before is None else before
                result[name] = {
                    'updated': {}, 'replaced': [], 'unchanged': [],
                    'added': sorted(present.resources) if before is None
                    else [],
                    'deleted': sorted(present.resources) if after is None
                    else [],
                    'types': {k: r.type() for k, r in
                              present.resources.items()}}
                continue
            preview = update.StackUpdate(before, after, None).preview()
            changed = {}
            for key in preview['updated']:
                current, updated = before.resources[key], after.resources[key]
                changed[key] = sorted(current.update_template_diff_properties(
                    updated.frozen_definition().properties(
                        updated.properties_schema, updated.context),
                    current.frozen_definition().properties(
                        current.properties_schema, current.context)))
            result[name] = {
                'updated': changed,
                'replaced': sorted(preview['replaced']),
                'added': sorted(preview['added']),
                'deleted': sorted(preview['deleted']),
                'unchanged': sorted(preview['unchanged']),
                'types': {k: r.type() for k, r in after.resources.items()}}
    return result


def validate(template_text, files, parameters):
    """Heat's full Stack.validate(), nested stacks included.

    As stack-create runs it, applied to every nested stack too; then
    every output is resolved.

    Returns the DeepValidation record: .user_data [(stack name, server
    name, user_data)], .outputs [(stack name, output, value)] and
    .resources [(stack name, resource name, type)] of every stack, and
    .stacks {name: Stack}.
    """
    tmpl = heat_template.Template(
        template_format.parse(template_text), files=files,
        env=environment.Environment({'parameters': parameters}))
    stack = heat_stack.Stack(heat_engine.context(), 'validate-me', tmpl,
                             strict_validate=True)
    with FakeCloud(), DeepValidation() as deep:
        stack.validate()
    return deep
