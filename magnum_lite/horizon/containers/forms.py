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

from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import messages

from magnum_lite.client import containers as containers_client
from magnum_lite.horizon.containers import api


def parse_environment(text):
    """KEY=VALUE lines (blank lines ignored) to a dict; ValueError if not."""
    environment = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, sep, value = line.partition('=')
        if not sep or not key.strip():
            raise ValueError(_('Line %d is not KEY=VALUE.') % number)
        environment[key.strip()] = value
    return environment


class CreateForm(forms.SelfHandlingForm):
    name = forms.CharField(label=_('Name'), max_length=255, required=False)
    cluster = forms.ChoiceField(label=_('Cluster'))
    image = forms.CharField(label=_('Image'), max_length=255)
    command = forms.CharField(label=_('Command'), max_length=4096,
                              required=False)
    environment = forms.CharField(
        label=_('Environment'), required=False,
        widget=forms.Textarea(attrs={'rows': 3}),
        help_text=_('One KEY=VALUE per line.'))
    memory = forms.CharField(label=_('Memory'), max_length=14, required=False,
                             help_text=_('Bytes, or a size such as 512m.'))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        try:
            clusters = api.cluster_list(request)
        except Exception:
            clusters = []
            exceptions.handle(request, _('Unable to list clusters.'))
        self.fields['cluster'].choices = [
            (c.uuid, c.name) for c in clusters
            if c.status == 'CREATE_COMPLETE' or
            c.status == 'UPDATE_COMPLETE']

    def clean_environment(self):
        try:
            return parse_environment(self.cleaned_data['environment'])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))

    def handle(self, request, data):
        # Empty optional fields are left out: the API then uses its own
        # defaults (the image's command, no memory limit, a generated name).
        fields = {key: value for key, value in data.items() if value}
        try:
            container = api.container_create(request, **fields)
        except containers_client.ContainerAPIError as exc:
            # The API's reason (not a Swarm cluster, a bad memory size)
            # is what the user needs to correct the form.
            exceptions.handle(request, _('Unable to create the container: '
                                         '%s') % exc.message)
            return False
        messages.info(request, _('Creating container "%s".')
                      % container.name)
        return True
