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

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import tables

from magnum_lite.horizon.containers import api


class CreateContainer(tables.LinkAction):
    name = 'create'
    verbose_name = _('Create Container')
    url = 'horizon:project:coe_containers:create'
    classes = ('ajax-modal',)
    icon = 'plus'


class _Action(tables.BatchAction):
    """One container operation; `when` lists the statuses it fits."""
    when = ()

    def allowed(self, request, container=None):
        return container is None or container.status in self.when

    def action(self, request, obj_id):
        # BatchAction reports a failure per container from the exception.
        api.container_action(request, obj_id, self.name)


def _batch_action(name, present, past, when, action_type='default'):
    # action_type 'danger': a red button that asks for confirmation
    # (Horizon ignores a btn-danger among the classes of a batch action).
    return type(name.capitalize() + 'Container', (_Action,), {
        'name': name,
        'when': when,
        'action_type': action_type,
        'action_present': staticmethod(lambda count: ngettext_lazy(
            present + ' Container', present + ' Containers', count)),
        'action_past': staticmethod(lambda count: ngettext_lazy(
            past + ' Container', past + ' Containers', count)),
    })


StartContainer = _batch_action('start', 'Start', 'Started',
                               ('Created', 'Stopped'))
StopContainer = _batch_action('stop', 'Stop', 'Stopped', ('Running',),
                              'danger')
RebootContainer = _batch_action('reboot', 'Reboot', 'Rebooted', ('Running',),
                                'danger')
PauseContainer = _batch_action('pause', 'Pause', 'Paused', ('Running',))
UnpauseContainer = _batch_action('unpause', 'Unpause', 'Unpaused',
                                 ('Paused',))


class DeleteContainer(tables.DeleteAction):
    @staticmethod
    def action_present(count):
        return ngettext_lazy('Delete Container', 'Delete Containers', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Deleted Container', 'Deleted Containers',
                             count)

    def delete(self, request, obj_id):
        api.container_delete(request, obj_id)


def _logs_url(container):
    return reverse('horizon:project:coe_containers:logs', args=[container.id])


def _cluster_text(container):
    # The UUID where the cluster's name could not be read.
    return container.cluster_name or container.cluster


def _cluster_url(container):
    """magnum-ui's detail page of the cluster, where it could be read."""
    if not container.cluster_name:
        return None
    return '%sOS::Magnum::Cluster/%s' % (reverse('ngdetails'),
                                         container.cluster)


class UpdateRow(tables.Row):
    """Polled while the status is still moving (Creating)."""
    ajax = True

    def get_data(self, request, container_id):
        container = api.container_get(request, container_id)
        return api.with_cluster_names(request, [container])[0]


class ContainersTable(tables.DataTable):
    # Statuses that are still moving: the row is polled until they end.
    STATUS_CHOICES = (('Running', True), ('Stopped', True),
                      ('Paused', True), ('Created', True),
                      ('Creating', None), ('Error', False),
                      ('Unknown', False))

    name = tables.Column('name', verbose_name=_('Name'), link=_logs_url)
    image = tables.Column('image', verbose_name=_('Image'))
    cluster = tables.Column(_cluster_text, verbose_name=_('Cluster'),
                            link=_cluster_url)
    command = tables.Column('command', verbose_name=_('Command'))
    memory = tables.Column('memory', verbose_name=_('Memory'))
    status = tables.Column('status', verbose_name=_('Status'),
                           status=True, status_choices=STATUS_CHOICES)

    class Meta:
        name = 'containers'
        verbose_name = _('Containers')
        status_columns = ['status']
        row_class = UpdateRow
        table_actions = (CreateContainer, DeleteContainer)
        row_actions = (StartContainer, StopContainer, RebootContainer,
                       PauseContainer, UnpauseContainer, DeleteContainer)
