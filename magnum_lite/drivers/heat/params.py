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

"""Declarative Heat parameter and output tables, rendered by pure functions.

A Heat driver lists its stack parameters as `Param` rows: the Heat name,
where the value comes from, its type, a default and whether it is
required. A source is one of

    template.<attr>   the cluster template row
    cluster.<attr>    the cluster row
    master.<attr>     the cluster's default master nodegroup
    worker.<attr>     the cluster's default worker nodegroup
    nodegroup.<attr>  the nodegroup a nodegroup stack is made for
    label:<name>      the labels (template < cluster < nodegroup)
    extra:<name>      what the caller computes (CA, network of the
                      cluster stack, ...)

and the first source with a value wins, so ('cluster.flavor_id',
'template.flavor_id') means "the cluster's, else the template's". Rows
are plain data (objects with attributes or dicts) and nothing here talks
to a service or reads configuration, so the tables are table-tested and
can be imported next to the Heat engine.
"""

import dataclasses
import hashlib
import hmac
import json

import jsonschema

from magnum_lite.common import exception
from magnum_lite.drivers import base
from magnum_lite.drivers.heat import files

TYPES = ('string', 'number', 'boolean', 'comma_delimited_list', 'json')
_KINDS = ('template', 'cluster', 'master', 'worker', 'nodegroup')
_TRUE = ('true', 'yes', 'on', '1')
_FALSE = ('false', 'no', 'off', '0')


@dataclasses.dataclass(frozen=True)
class Param:
    """One Heat parameter and where its value comes from."""

    name: str
    sources: tuple
    type: str = 'string'
    default: object = None
    required: bool = False

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError('%s: unknown type %s' % (self.name, self.type))
        for source in self.sources:
            _split(source)


@dataclasses.dataclass(frozen=True)
class Output:
    """A stack output, or stack parameter, and the field it fills.

    `target` is 'cluster.<field>', 'master.<field>', 'worker.<field>' or
    'nodegroup.<field>'; with parameter=True `name` is a stack parameter.
    """

    name: str
    target: str
    parameter: bool = False

    def __post_init__(self):
        kind, _, field = self.target.partition('.')
        if kind not in _KINDS[1:] or not field:
            raise ValueError('%s: bad target %s' % (self.name, self.target))


def param(name, *sources, **kwargs):
    return Param(name, tuple(sources), **kwargs)


def _split(source):
    if source.startswith('label:'):
        return 'label', source[len('label:'):]
    if source.startswith('extra:'):
        return 'extra', source[len('extra:'):]
    kind, _, attr = source.partition('.')
    if kind not in _KINDS or not attr:
        raise ValueError('bad parameter source %r' % source)
    return kind, attr


def field(obj, name):
    """An attribute of a DB row, or a key of a dict standing for one."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def default_nodegroup(nodegroups, role):
    """The default nodegroup of a role, else the first of that role."""
    of_role = [ng for ng in nodegroups or ()
               if (field(ng, 'role') == 'master') == (role == 'master')]
    for ng in of_role:
        if field(ng, 'is_default'):
            return ng
    return of_role[0] if of_role else None


def merged_labels(template, cluster, nodegroup=None):
    labels = {}
    for row in (template, cluster, nodegroup):
        labels.update(field(row, 'labels') or {})
    return labels


def convert(name, kind, value):
    """A value in the Python type heatclient sends for a Heat type."""
    try:
        if kind == 'number':
            if isinstance(value, bool):
                raise ValueError(value)
            number = float(value)
            return int(number) if number.is_integer() else number
        if kind == 'boolean':
            if isinstance(value, bool):
                return value
            if str(value).lower() in _TRUE:
                return True
            if str(value).lower() in _FALSE:
                return False
            raise ValueError(value)
        if kind == 'comma_delimited_list':
            if isinstance(value, (list, tuple)):
                return ','.join(str(v) for v in value)
            return str(value)
        if kind == 'json':
            return json.loads(value) if isinstance(value, str) else value
        return value if isinstance(value, str) else str(value)
    except (TypeError, ValueError):
        raise exception.InvalidParameterValue(
            err='Heat parameter %s: %r is not a %s' % (name, value, kind))


def render(table, template, cluster, nodegroups=(), nodegroup=None,
           extra=None):
    """The Heat parameters dict of a table.

    A parameter with no value from any source takes the row's default; one
    without a default is left out (the HOT default applies) unless it is
    required, which raises InvalidParameterValue naming it and its sources.
    """
    rows = {'template': template, 'cluster': cluster,
            'master': default_nodegroup(nodegroups, 'master'),
            'worker': default_nodegroup(nodegroups, 'worker'),
            'nodegroup': nodegroup}
    labels = merged_labels(template, cluster, nodegroup)
    extra = extra or {}
    params = {}
    for row in table:
        value = None
        for source in row.sources:
            kind, key = _split(source)
            if kind == 'label':
                value = labels.get(key)
            elif kind == 'extra':
                value = extra.get(key)
            else:
                value = field(rows[kind], key)
            if value is not None and value != '':
                break
            value = None
        if value is None:
            value = row.default
        if value is None:
            if row.required:
                raise exception.InvalidParameterValue(
                    err='Heat parameter %s needs a value from %s' % (
                        row.name, ' or '.join(row.sources)))
            continue
        params[row.name] = convert(row.name, row.type, value)
    return params


def read_outputs(table, outputs, parameters=None):
    """Fields to write from a stack's outputs (and parameters).

    `outputs` is heatclient's list of {'output_key', 'output_value'} or a
    plain dict. Returns {'cluster': {...}, 'master': {...}, ...} holding
    only what the stack reports (a None output is no news).
    """
    if isinstance(outputs, (list, tuple)):
        outputs = {o['output_key']: o.get('output_value') for o in outputs}
    outputs = outputs or {}
    parameters = parameters or {}
    result = {}
    for row in table:
        value = (parameters if row.parameter else outputs).get(row.name)
        if value is None:
            continue
        kind, _, name = row.target.partition('.')
        if row.parameter:
            value = convert(row.name, 'number', value)
        result.setdefault(kind, {})[name] = value
    return result


def names(table):
    return [row.name for row in table]


# Building blocks of the per-driver label schemas. Labels arrive as
# strings from `--labels key=value`, so a boolean or a number label is
# also accepted as its string spelling, and `convert` turns it into the
# Heat type.
def bool_label(description):
    return {'description': description,
            'anyOf': [{'type': 'boolean'},
                      {'type': 'string',
                       'pattern': '^(?i:%s)$' % '|'.join(_TRUE + _FALSE)}]}


def int_label(description, minimum=0, maximum=None):
    number = {'type': 'integer', 'minimum': minimum}
    if maximum is not None:
        number['maximum'] = maximum
    return {'description': description,
            'anyOf': [number, {'type': 'string', 'pattern': r'^[0-9]+$'}]}


def string_label(description, pattern=None, enum=None, max_length=255):
    schema = {'description': description, 'type': 'string',
              'maxLength': max_length}
    if pattern:
        schema['pattern'] = pattern
    if enum:
        schema['enum'] = list(enum)
    return schema


_CIDR = (r'(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|'
         r'1?[0-9]?[0-9])){3}/(3[0-2]|[12]?[0-9])')


def cidr_label(description):
    return string_label(description, pattern='^%s$' % _CIDR)


def cidr_list_label(description):
    return string_label(description,
                        pattern='^%s(,%s)*$' % (_CIDR, _CIDR), max_length=4096)


def url_label(description):
    # No quotes or whitespace: the value lands in a shell script.
    return string_label(description, pattern=r"^https?://[^\s'\"\\`$]+$")


def check_labels(schema, labels):
    """Raise InvalidLabels naming the first unknown or ill-typed label."""
    labels = base.driver_labels(labels)
    known = schema.get('properties', {})
    unknown = sorted(set(labels) - set(known))
    if unknown:
        raise exception.InvalidLabels(
            reason='unknown label %s (this driver reads: %s)' % (
                ', '.join(unknown), ', '.join(sorted(known))))
    for name in sorted(labels):
        try:
            jsonschema.validate(labels[name], known[name])
        except jsonschema.ValidationError:
            raise exception.InvalidLabels(
                reason='label %s: %r is not %s' % (
                    name, labels[name], known[name]['description']))


def label_schema(properties):
    """A labels schema: only the listed labels, each of its own type."""
    return {'type': 'object', 'properties': properties,
            'additionalProperties': False}


def common_labels():
    """Labels every Heat driver of this project reads.

    They feed node.yaml, network.yaml and lb.yaml.
    """
    return {
        'fixed_network_cidr': cidr_label(
            'CIDR of the private network made for the cluster.'),
        'master_lb_allowed_cidrs': cidr_list_label(
            'Comma-separated CIDRs allowed to reach the API port.'),
        'octavia_provider': string_label(
            'Octavia provider of the API load balancer.',
            pattern='^[A-Za-z0-9_-]+$'),
        'docker_volume_type': string_label(
            'Cinder volume type of the container runtime volumes.'),
        'availability_zone': string_label(
            'Nova and Cinder availability zone of the nodes.'),
        'nodes_affinity_policy': string_label(
            'Nova server group policy of the masters or managers.',
            enum=('affinity', 'anti-affinity', 'soft-affinity',
                  'soft-anti-affinity')),
        'bootstrap_timeout': int_label(
            'Seconds a node may take to bootstrap before the stack fails '
            'naming it.', minimum=60, maximum=86400),
    }


def derive_secret(key, purpose, alphabet, length):
    """A secret derived from a cluster secret (its CA key).

    It is the same for every stack of the cluster without storing another
    secret, and changes with the CA.
    """
    digest = hmac.new(key.encode(), purpose.encode(), hashlib.sha512).digest()
    return ''.join(alphabet[b % len(alphabet)] for b in digest[:length])


# Rows every Heat driver of this project shares: those of node.yaml,
# network.yaml and lb.yaml, and of the cluster itself.
COMMON = (
    param('cluster_name', 'cluster.name', required=True),
    param('cluster_uuid', 'cluster.uuid', required=True),
    param('os_distro', 'template.cluster_distro', required=True),
    param('external_network', 'template.external_network_id',
          required=True),
    param('ssh_key_name', 'cluster.keypair', 'template.keypair_id'),
    param('docker_volume_type', 'label:docker_volume_type'),
    param('availability_zone', 'label:availability_zone'),
    param('floating_ip_enabled', 'cluster.floating_ip_enabled',
          'template.floating_ip_enabled', type='boolean', default=True),
    param('bootstrap_timeout', 'label:bootstrap_timeout', type='number'),
    param('http_proxy', 'template.http_proxy'),
    param('https_proxy', 'template.https_proxy'),
    param('no_proxy', 'template.no_proxy'),
    param('openstack_ca', 'extra:openstack_ca'),
    param('ca_cert', 'extra:ca_cert', required=True),
)

# Rows of a cluster stack (not of a nodegroup stack): its network, load
# balancer and masters.
CLUSTER = (
    param('fixed_network', 'cluster.fixed_network',
          'template.fixed_network'),
    param('fixed_subnet', 'cluster.fixed_subnet', 'template.fixed_subnet'),
    param('fixed_network_cidr', 'label:fixed_network_cidr'),
    param('dns_nameserver', 'template.dns_nameserver',
          type='comma_delimited_list'),
    param('master_image', 'master.image_id', 'template.image_id',
          required=True),
    param('master_flavor', 'master.flavor_id', 'cluster.master_flavor_id',
          'template.master_flavor_id', required=True),
    param('number_of_masters', 'master.node_count', type='number',
          default=1),
    param('master_lb_enabled', 'cluster.master_lb_enabled',
          'template.master_lb_enabled', type='boolean', default=False),
    param('master_docker_volume_size', 'master.docker_volume_size',
          'cluster.docker_volume_size', 'template.docker_volume_size',
          type='number', default=0),
    param('nodes_affinity_policy', 'label:nodes_affinity_policy'),
    param('master_lb_allowed_cidrs', 'label:master_lb_allowed_cidrs',
          type='comma_delimited_list'),
    param('octavia_provider', 'label:octavia_provider'),
)

# Rows of a nodegroup stack about the nodegroup itself.
NODEGROUP = (
    param('nodegroup_name', 'nodegroup.name', required=True),
    param('image', 'nodegroup.image_id', 'template.image_id',
          required=True),
    param('flavor', 'nodegroup.flavor_id', 'cluster.flavor_id',
          'template.flavor_id', required=True),
    param('node_count', 'nodegroup.node_count', type='number', default=1),
    param('nodes_to_remove', 'extra:nodes_to_remove',
          type='comma_delimited_list'),
    param('docker_volume_size', 'nodegroup.docker_volume_size',
          'cluster.docker_volume_size', 'template.docker_volume_size',
          type='number', default=0),
)


def from_cluster_stack(names, optional=()):
    """Rows of a nodegroup stack filled from the cluster stack's outputs.

    The outputs are passed in `extra` under the same names.
    """
    return tuple(param(name, 'extra:' + name, required=name not in optional)
                 for name in names)


class DriverTables(object):
    """A Heat driver's templates and tables, behind its module's functions.

    The driver module exposes build_parameters, template_files, ...

    `prepare_extra(cluster, extra)` may add values derived from `extra`
    (secrets computed from the CA key, say) before the tables read it.
    """

    def __init__(self, template_path, nodegroup_template_path, parameters,
                 nodegroup_parameters, labels_schema, outputs,
                 nodegroup_outputs, worker_scale, prepare_extra=None):
        self.template_path = template_path
        self.nodegroup_template_path = nodegroup_template_path
        self.parameters = parameters
        self.nodegroup_parameters = nodegroup_parameters
        self.labels_schema = labels_schema
        self.outputs = outputs
        self.nodegroup_outputs = nodegroup_outputs
        # (count, removal list) parameters of the default workers' group.
        self.worker_scale = worker_scale
        self.prepare_extra = prepare_extra or (lambda cluster, extra: extra)

    @staticmethod
    def _check_supported(template, nodegroup=None):
        # Clear refusals now rather than a cluster that never works.
        if field(template, 'tls_disabled'):
            raise exception.NotSupported(
                operation='A Heat cluster without TLS (tls_disabled)')
        if nodegroup is not None and field(nodegroup, 'role') == 'master':
            raise exception.NotSupported(
                operation='A master nodegroup besides the default one')

    def build_parameters(self, template, cluster, nodegroups, extra):
        """Heat parameters of the cluster stack (labels checked first)."""
        self._check_supported(template)
        check_labels(self.labels_schema, merged_labels(template, cluster))
        return render(self.parameters, template, cluster, nodegroups,
                      extra=self.prepare_extra(cluster, dict(extra or {})))

    def build_nodegroup_parameters(self, template, cluster, nodegroup,
                                   extra):
        """Heat parameters of a user nodegroup's stack.

        `extra` also holds the cluster stack's outputs the nodegroup
        template takes.
        """
        self._check_supported(template, nodegroup)
        check_labels(self.labels_schema,
                     merged_labels(template, cluster, nodegroup))
        return render(self.nodegroup_parameters, template, cluster,
                      nodegroup=nodegroup,
                      extra=self.prepare_extra(cluster, dict(extra or {})))

    def resize_parameters(self, nodegroup, node_count, nodes_to_remove=()):
        """Stack parameters resizing a nodegroup.

        The default workers live in the cluster stack, any other nodegroup
        in its own; `nodes_to_remove` are group indexes or Nova server IDs
        (a node's group reference is its server ID). Masters do not resize.
        """
        if field(nodegroup, 'role') == 'master':
            raise exception.NotSupported(operation='Resizing the masters')
        count, remove = (self.worker_scale if field(nodegroup, 'is_default')
                         else ('node_count', 'nodes_to_remove'))
        return {count: convert(count, 'number', node_count),
                remove: convert(remove, 'comma_delimited_list',
                                list(nodes_to_remove or ()))}

    def read_outputs(self, outputs, parameters=None, nodegroup=False):
        """Fields from the cluster stack's outputs.

        With nodegroup=True, from a nodegroup stack's; see the module
        function read_outputs.
        """
        table = self.nodegroup_outputs if nodegroup else self.outputs
        return read_outputs(table, outputs, parameters)

    def template_files(self):
        """heatclient `files=` for the cluster and nodegroup templates."""
        found = files.template_files(self.template_path)
        found.update(files.template_files(self.nodegroup_template_path))
        return found

    def template(self):
        return files.read(self.template_path)

    def nodegroup_template(self):
        return files.read(self.nodegroup_template_path)
