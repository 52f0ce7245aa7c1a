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

from django import http
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import generic
from horizon import exceptions
from horizon import forms
from horizon import tables

from magnum_lite.client import containers as containers_client
from magnum_lite.horizon.containers import api
from magnum_lite.horizon.containers import forms as container_forms
from magnum_lite.horizon.containers import tables as container_tables


class IndexView(tables.DataTableView):
    table_class = container_tables.ContainersTable
    template_name = 'containers/index.html'
    page_title = _('Containers')

    def get_data(self):
        try:
            containers = api.container_list(self.request)
        except Exception:
            exceptions.handle(self.request, _('Unable to list containers.'))
            return []
        return api.with_cluster_names(self.request, containers)


class CreateView(forms.ModalFormView):
    form_class = container_forms.CreateForm
    form_id = 'create_container_form'
    modal_id = 'create_container_modal'
    modal_header = _('Create Container')
    page_title = _('Create Container')
    submit_label = _('Create')
    submit_url = reverse_lazy('horizon:project:coe_containers:create')
    success_url = reverse_lazy('horizon:project:coe_containers:index')
    # The modal for the AJAX click; the same form in a page otherwise.
    ajax_template_name = 'horizon/common/_modal_form.html'
    template_name = 'containers/create.html'


# Statuses in which a container's output may still grow: its logs page
# reads it again every REFRESH_SECONDS while the container is in one.
LIVE_STATUSES = ('Creating', 'Created', 'Running', 'Paused')
REFRESH_SECONDS = 3


def _logs_state(request, ident):
    """The container, and what its logs page shows of it."""
    container = api.container_get(request, ident)
    return container, {'status': container.status,
                       'logs': api.container_logs(request, ident),
                       'live': container.status in LIVE_STATUSES}


class LogsView(generic.TemplateView):
    template_name = 'containers/logs.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ident = kwargs['container_id']
        try:
            context['container'], state = _logs_state(self.request, ident)
            context.update(state)
        except Exception:
            exceptions.handle(
                self.request, _('Unable to read the container logs.'),
                redirect=reverse('horizon:project:coe_containers:index'))
        context['data_url'] = reverse(
            'horizon:project:coe_containers:logs_data', args=[ident])
        context['refresh_seconds'] = REFRESH_SECONDS
        context['refresh_ms'] = REFRESH_SECONDS * 1000
        context['page_title'] = _('Container Logs')
        return context


class LogsDataView(generic.View):
    """The logs page's refresh: status and output as JSON.

    Both are text, never markup: the page puts them in as text.
    """

    def get(self, request, container_id):
        try:
            _, state = _logs_state(request, container_id)
        except containers_client.ContainerAPIError as exc:
            # Gone, or no longer readable: the page says why and stops.
            return http.JsonResponse({'error': exc.message},
                                     status=exc.status)
        return http.JsonResponse(state)
