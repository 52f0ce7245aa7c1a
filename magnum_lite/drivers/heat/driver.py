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

"""Clusters as Heat stacks: the part every Heat-based driver shares.

A concrete driver says which template to render and how cluster, template
and nodegroup rows become stack parameters and stack outputs become
cluster fields (``stack_definition``, ``nodegroup_stack_definition`` and
``read_outputs``). This class does the Heat side: create, update and
delete stacks, and the batched status sync that names the failing
resource.

Default nodegroups live in the cluster's stack; every other nodegroup is a
stack of its own, so adding or removing one never touches the others.
Stacks are tagged ``magnum-lite`` and ``cluster=<uuid>`` so one paged list
call reports on every cluster.
"""

import abc
import dataclasses

from heatclient import exc as heat_exc
from oslo_log import log as logging

from magnum_lite.common import exception
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import base
from magnum_lite.drivers.heat import client as heat_client
from magnum_lite.drivers.heat import faults as heat_faults
from magnum_lite.drivers.heat import stack_status

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

STACK_TAG = 'magnum-lite'


@dataclasses.dataclass
class StackDefinition:
    """Everything needed to create or update one stack."""

    template: str
    files: dict = dataclasses.field(default_factory=dict)
    parameters: dict = dataclasses.field(default_factory=dict)
    environment: dict = dataclasses.field(default_factory=dict)


def stack_name(cluster, suffix=None):
    # Heat stack names must start with a letter and are unique per project;
    # the short uuid keeps two clusters of the same name apart.
    base_name = cluster.name or 'cluster'
    if not base_name[:1].isalpha():
        base_name = 'c-' + base_name
    name = '%s-%s' % (base_name, cluster.uuid[:8])
    return '%s-%s' % (name, suffix) if suffix else name


def _heat_error(action, exc):
    message = getattr(exc, 'error', None)
    if isinstance(message, dict):
        message = message.get('error', {}).get('message') or str(exc)
    return exception.Invalid('%s: Heat answered %s' % (
        action, message or exc))


def _all_projects():
    """Stack list arguments for every project's stacks, where allowed."""
    return ({'global_tenant': True}
            if heat_client.lists_all_projects() else {})


class HeatDriver(base.ClusterDriver, metaclass=abc.ABCMeta):
    """Base of drivers whose clusters are Heat stacks."""

    # -- what a concrete driver provides ---------------------------------

    @abc.abstractmethod
    def stack_definition(self, context, cluster, template, nodegroups):
        """The StackDefinition of the cluster's stack (default groups)."""

    @abc.abstractmethod
    def nodegroup_stack_definition(self, context, cluster, template,
                                   nodegroup):
        """The StackDefinition of a non-default nodegroup's stack."""

    @abc.abstractmethod
    def read_outputs(self, outputs, cluster, nodegroups, nodegroup=None):
        """Map stack outputs to (cluster_fields, {ng_uuid: addresses}).

        `nodegroup` is set when the outputs are those of that nodegroup's
        own stack.
        """

    def resize_parameters(self, cluster, nodegroup, node_count,
                          nodes_to_remove):
        """Stack parameters that resize one nodegroup."""
        raise exception.NotSupported(operation='Resizing this cluster type')

    def check_upgrade(self, cluster, template, new_template,
                      nodegroup=None):
        """Raise an Invalid error when the upgrade cannot be done.

        `template` is the cluster's template, `new_template` the one to
        move to (already known to map to this driver); `nodegroup` is set
        for a non-default nodegroup's own upgrade. The API calls this
        before answering 202, the conductor again before updating Heat.
        """
        if type(self).upgrade_parameters is HeatDriver.upgrade_parameters:
            raise exception.NotSupported(
                operation='Upgrading this cluster type')

    def upgrade_parameters(self, cluster, template, nodegroup,
                           stack_parameters):
        """Stack parameters that move nodes to the template's version.

        `nodegroup` is None for the cluster's stack (its default
        nodegroups), else the nodegroup whose own stack is updated;
        `stack_parameters` are that stack's current parameters.
        """
        raise exception.NotSupported(operation='Upgrading this cluster type')

    # Parameters only upgrade_parameters changes: updates and nodegroup
    # updates leave the stack's values (existing=True keeps them).
    version_parameters = ()
    # Labels naming the version; an upgrade rewrites them in the rows.
    version_labels = ()

    # -- helpers ---------------------------------------------------------

    def _template(self, context, cluster):
        return self.services.cluster_template(cluster)

    @staticmethod
    def _tags(cluster, nodegroup=None):
        tags = [STACK_TAG, 'cluster=%s' % cluster.uuid]
        if nodegroup is not None:
            tags.append('nodegroup=%s' % nodegroup.uuid)
        return ','.join(tags)

    def _existing_stack(self, cluster, nodegroup=None):
        """The id of a stack already made for this cluster (or nodegroup).

        A create that died after Heat accepted the stack but before its id
        was stored left one; creating it again would orphan it. Asked as
        the service (every project's stacks where Keystone allows it), so
        the stack is found whoever created it. The cluster's own stack is
        the one without a nodegroup tag.
        """
        heat = heat_client.get_client()
        extra = _all_projects()
        try:
            stacks = list(heat.stacks.list(
                tags=self._tags(cluster, nodegroup), **extra))
        except heat_exc.HTTPException as exc:
            raise _heat_error('Looking for the stacks of cluster %s' %
                              cluster.uuid, exc)
        found = [
            stack for stack in stacks
            if not (stack.stack_status or '').startswith('DELETE') and
            (nodegroup is not None or not any(
                tag.startswith('nodegroup=')
                for tag in getattr(stack, 'tags', None) or []))]
        return found[0].id if found else None

    def _create_stack(self, context, cluster, name, definition, timeout,
                      nodegroup=None):
        """Create the stack, or adopt the one an earlier try created."""
        existing = self._existing_stack(cluster, nodegroup)
        if existing:
            LOG.info('Cluster %s: stack %s (%s) exists already; adopting it',
                     cluster.uuid, name, existing)
            return existing
        heat = heat_client.get_client(context, cluster)
        kwargs = dict(stack_name=name, template=definition.template,
                      files=definition.files,
                      parameters=definition.parameters,
                      environment=definition.environment,
                      disable_rollback=True,
                      tags=self._tags(cluster, nodegroup))
        if timeout:
            kwargs['timeout_mins'] = timeout
        try:
            created = heat.stacks.create(**kwargs)
        except heat_exc.HTTPException as exc:
            raise _heat_error('Creating stack %s' % name, exc)
        stack_id = created['stack']['id']
        LOG.info('Cluster %s: stack %s (%s) is being created',
                 cluster.uuid, name, stack_id)
        return stack_id

    def _without_versions(self, parameters):
        return {k: v for k, v in parameters.items()
                if k not in self.version_parameters}

    def _stack_parameters(self, context, cluster, stack_id):
        heat = heat_client.get_client(context, cluster)
        try:
            return dict(heat.stacks.get(stack_id).parameters or {})
        except heat_exc.HTTPException as exc:
            raise _heat_error('Reading stack %s' % stack_id, exc)

    def _update_stack(self, context, cluster, stack_id, parameters,
                      rollback=False, definition=None):
        heat = heat_client.get_client(context, cluster)
        kwargs = dict(existing=True, parameters=parameters,
                      disable_rollback=not rollback)
        if definition is not None:
            kwargs.update(template=definition.template,
                          files=definition.files,
                          environment=definition.environment)
        try:
            heat.stacks.update(stack_id, **kwargs)
        except heat_exc.HTTPConflict as exc:
            raise exception.OperationInProgress(
                resource='Stack', name=stack_id,
                status='busy (%s)' % getattr(exc, 'error', exc))
        except heat_exc.HTTPException as exc:
            raise _heat_error('Updating stack %s' % stack_id, exc)
        LOG.info('Cluster %s: stack %s is being updated with %s',
                 cluster.uuid, stack_id, sorted(parameters))

    def _delete_stack(self, context, cluster, stack_id):
        if not stack_id:
            return
        heat = heat_client.get_client(context, cluster)
        try:
            heat.stacks.delete(stack_id)
        except heat_exc.HTTPNotFound:
            LOG.info('Cluster %s: stack %s is already gone', cluster.uuid,
                     stack_id)
        except heat_exc.HTTPException as exc:
            raise _heat_error('Deleting stack %s' % stack_id, exc)

    # -- ClusterDriver ---------------------------------------------------

    def create_cluster(self, context, cluster, nodegroups, timeout):
        template = self._template(context, cluster)
        definition = self.stack_definition(context, cluster, template,
                                           nodegroups)
        return self._create_stack(context, cluster, stack_name(cluster),
                                  definition, timeout)

    def update_cluster(self, context, cluster, nodegroups, rollback=False):
        template = self._template(context, cluster)
        definition = self.stack_definition(context, cluster, template,
                                           nodegroups)
        self._update_stack(context, cluster, cluster.stack_id,
                           self._without_versions(definition.parameters),
                           rollback=rollback)

    def resize_cluster(self, context, cluster, nodegroup, node_count,
                       nodes_to_remove):
        parameters = self.resize_parameters(cluster, nodegroup, node_count,
                                            nodes_to_remove)
        stack_id = (cluster.stack_id if nodegroup.is_default
                    else nodegroup.stack_id)
        self._update_stack(context, cluster, stack_id, parameters)

    def upgrade_cluster(self, context, cluster, cluster_template,
                        max_batch_size, nodegroup=None):
        """Update the stack's version; Heat rolls it through the nodes.

        A non-default nodegroup's own stack is updated when one is named,
        else the cluster's stack (its default nodegroups). The node
        groups' rolling_update policies read update_max_batch_size.
        """
        own_stack = nodegroup is not None and not nodegroup.is_default
        group = nodegroup if own_stack else None
        self.check_upgrade(cluster, self._template(context, cluster),
                           cluster_template, group)
        stack_id = nodegroup.stack_id if own_stack else cluster.stack_id
        parameters = self.upgrade_parameters(
            cluster, cluster_template, group,
            self._stack_parameters(context, cluster, stack_id))
        parameters['update_max_batch_size'] = max_batch_size
        self._update_stack(context, cluster, stack_id, parameters)

    def delete_cluster(self, context, cluster):
        for nodegroup in cluster.nodegroups:
            if not nodegroup.is_default:
                self._delete_stack(context, cluster, nodegroup.stack_id)
        self._delete_stack(context, cluster, cluster.stack_id)

    def create_nodegroup(self, context, cluster, nodegroup):
        template = self._template(context, cluster)
        definition = self.nodegroup_stack_definition(context, cluster,
                                                     template, nodegroup)
        return self._create_stack(
            context, cluster, stack_name(cluster, nodegroup.name),
            definition, cluster.create_timeout, nodegroup=nodegroup)

    def update_nodegroup(self, context, cluster, nodegroup):
        template = self._template(context, cluster)
        definition = self.nodegroup_stack_definition(context, cluster,
                                                     template, nodegroup)
        self._update_stack(context, cluster, nodegroup.stack_id,
                           self._without_versions(definition.parameters))

    def delete_nodegroup(self, context, cluster, nodegroup):
        self._delete_stack(context, cluster, nodegroup.stack_id)

    # -- status sync -----------------------------------------------------

    def _list_stacks(self, heat):
        """Every stack of ours, a page per request."""
        stacks = {}
        marker = None
        page_size = CONF.heat_client.stack_page_size
        extra = _all_projects()
        while True:
            page = list(heat.stacks.list(limit=page_size, marker=marker,
                                         tags=STACK_TAG, **extra))
            for stack in page:
                stacks[stack.id] = stack
            if len(page) < page_size:
                return stacks
            marker = page[-1].id

    def _faults(self, heat, stack):
        try:
            resources = heat.resources.list(
                stack.id, nested_depth=CONF.heat_client.fault_depth,
                filters={'status': 'FAILED'})
        except heat_exc.HTTPException as exc:
            LOG.warning('Could not list the failed resources of stack '
                        '%s: %s', stack.id, exc)
            return {}
        return heat_faults.failure_paths([r.to_dict() for r in resources],
                                         stack.id)

    def _outputs(self, heat, stack_id):
        stack = heat.stacks.get(stack_id, resolve_outputs=True)
        return {o['output_key']: o.get('output_value')
                for o in (stack.to_dict().get('outputs') or [])}

    def get_status(self, context, clusters):
        heat = heat_client.get_client()
        stacks = self._list_stacks(heat)
        reports = {}
        for cluster in clusters:
            if not cluster.stack_id:
                continue  # create has not reached Heat yet: no news
            reports[cluster.uuid] = self._cluster_report(heat, stacks,
                                                         cluster)
        return reports

    def _cluster_report(self, heat, stacks, cluster):
        stack = stacks.get(cluster.stack_id)
        status = stack.stack_status if stack is not None else None
        report = base.ClusterReport(
            state=stack_status.backend_state(
                status, stack_status.operation_of(cluster.status)),
            backend_status=status or 'NOT_FOUND')
        in_progress = cluster.status.endswith('_IN_PROGRESS')
        faults = {}
        if stack is not None and report.state == base.FAILED:
            faults = self._faults(heat, stack)
            report.reason = heat_faults.summary(
                faults, stack.stack_status_reason)
        elif stack is None and in_progress and not cluster.status.startswith(
                'DELETE'):
            report.reason = 'Stack %s of cluster %s is gone from Heat.' % (
                cluster.stack_id, cluster.name)
        if stack is not None and report.state == base.COMPLETE and \
                in_progress:
            fields, addresses = self.read_outputs(
                self._outputs(heat, stack.id), cluster, cluster.nodegroups)
            for name, value in fields.items():
                setattr(report, name, value)
            for ng_uuid, node_addresses in addresses.items():
                report.nodegroups[ng_uuid] = base.NodeGroupReport(
                    node_addresses=node_addresses)
        for nodegroup in cluster.nodegroups:
            self._nodegroup_report(heat, stacks, cluster, nodegroup, report,
                                   faults)
        self._aggregate(cluster, report)
        if cluster.status.endswith('_IN_PROGRESS') or faults:
            report.faults = faults
        return report

    @staticmethod
    def _aggregate(cluster, report):
        """Fold the nodegroup stacks being worked on into the cluster.

        A nodegroup create or delete leaves the cluster's own stack alone:
        the cluster is done only when that nodegroup's stack is, and failed
        when it failed.
        """
        if report.state not in (base.COMPLETE, base.IN_PROGRESS):
            return
        for nodegroup in cluster.nodegroups:
            ng_report = report.nodegroups.get(nodegroup.uuid)
            if (nodegroup.is_default or ng_report is None or
                    not (nodegroup.status or '').endswith('_IN_PROGRESS')):
                continue
            if ng_report.state == base.IN_PROGRESS:
                report.state = base.IN_PROGRESS
            elif ng_report.state == base.FAILED and \
                    report.state == base.COMPLETE:
                report.state = base.FAILED
                report.reason = 'Nodegroup %s failed: %s' % (
                    nodegroup.name, ng_report.reason)

    def _nodegroup_report(self, heat, stacks, cluster, nodegroup, report,
                          faults):
        ng_report = report.nodegroups.setdefault(nodegroup.uuid,
                                                 base.NodeGroupReport())
        if nodegroup.is_default or not nodegroup.stack_id:
            # Default groups share the cluster stack's state.
            ng_report.state = report.state
            if report.state == base.FAILED:
                ng_report.reason = report.reason
            return
        stack = stacks.get(nodegroup.stack_id)
        status = stack.stack_status if stack is not None else None
        ng_report.state = stack_status.backend_state(
            status, stack_status.operation_of(nodegroup.status))
        if ng_report.state == base.FAILED:
            ng_faults = self._faults(heat, stack)
            faults.update({'%s.%s' % (nodegroup.name, path): reason
                           for path, reason in ng_faults.items()})
            ng_report.reason = heat_faults.summary(
                ng_faults, stack.stack_status_reason)
        elif ng_report.state == base.COMPLETE and \
                nodegroup.status.endswith('_IN_PROGRESS'):
            _, addresses = self.read_outputs(
                self._outputs(heat, stack.id), cluster, cluster.nodegroups,
                nodegroup=nodegroup)
            if nodegroup.uuid in addresses:
                ng_report.node_addresses = addresses[nodegroup.uuid]
