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

"""What the Docker resources share: connection properties and errors.

This module has no ``resource_mapping()``: Heat imports every module of the
plugin directory, and only the container, network and volume modules
register resource types. Heat loads the modules of all plugin directories
into one package, so helper modules carry "docker" in their names to stay
clear of other plugins'.
"""

import re

from heat.common import exception
from heat.engine import properties
from heat.engine import resource
from oslo_log import log as logging

from heat_plugins.resources import docker_client
from magnum_lite.common import docker_client as shared

LOG = logging.getLogger(__name__)

CONNECTION_PROPERTIES = (
    DOCKER_ENDPOINT, TLS_CA_CERT, TLS_CLIENT_CERT, TLS_CLIENT_KEY,
    TLS_VERIFY,
) = (
    'docker_endpoint', 'tls_ca_cert', 'tls_client_cert', 'tls_client_key',
    'tls_verify',
)

connection_schema = {
    DOCKER_ENDPOINT: properties.Schema(
        properties.Schema.STRING,
        'Docker engine endpoint, e.g. tcp://10.0.0.5:2376 or '
        'unix:///var/run/docker.sock (by default the local engine).',
        default=None,
    ),
    TLS_CA_CERT: properties.Schema(
        properties.Schema.STRING,
        'CA certificate that signed the engine\'s certificate: a file path '
        'or the PEM text.',
        update_allowed=True,
    ),
    TLS_CLIENT_CERT: properties.Schema(
        properties.Schema.STRING,
        'Client certificate for a TLS endpoint: a file path or the PEM text.',
        update_allowed=True,
    ),
    TLS_CLIENT_KEY: properties.Schema(
        properties.Schema.STRING,
        'Key of the client certificate: a file path or the PEM text.',
        update_allowed=True,
    ),
    TLS_VERIFY: properties.Schema(
        properties.Schema.BOOLEAN,
        'Verify the engine\'s certificate (against tls_ca_cert when given).',
        default=True,
        update_allowed=True,
    ),
}

# New TLS material (a renewed certificate, a path instead of PEM text) is
# taken in place: the Docker object stays, later calls use the new material.
TLS_PROPERTIES = (TLS_CA_CERT, TLS_CLIENT_CERT, TLS_CLIENT_KEY, TLS_VERIFY)

# Heat stack and resource names allow characters Docker object names do not.
_NAME_BAD_CHARS = re.compile(r'[^a-zA-Z0-9_.-]')

# Labels that tie a Docker object back to its stack (and let operators find
# what a stack left behind). Objects made by earlier releases carry the
# older names (heat.stack_id, ...); read_label finds either.
STACK_LABELS = (
    LABEL_STACK_ID, LABEL_STACK_NAME, LABEL_RESOURCE_NAME,
) = (
    shared.label('heat', 'stack-id'), shared.label('heat', 'stack-name'),
    shared.label('heat', 'resource-name'),
)


class DockerResource(resource.Resource):
    """A Heat resource backed by one object of a Docker engine."""

    # What the object is called in messages ("container", "network", ...).
    kind = 'object'

    def docker(self, props=None):
        """The client for this resource's endpoint, or a clear failure.

        ``props`` are the properties to connect with when they are not the
        stored ones (an update brings new credentials).
        """
        p = self.properties if props is None else props
        try:
            return docker_client.get_client(
                endpoint=p[DOCKER_ENDPOINT],
                ca_cert=p[TLS_CA_CERT],
                client_cert=p[TLS_CLIENT_CERT],
                client_key=p[TLS_CLIENT_KEY],
                verify=p[TLS_VERIFY])
        except docker_client.DockerConnectionError as exc:
            raise exception.Error(str(exc))

    def call(self, what, method, *args, missing_ok=False, **kwargs):
        """Call a client method; Docker failures become Heat errors.

        ``what`` names the action for the message ("create container web").
        With ``missing_ok`` a 404 from the engine returns None instead.
        """
        try:
            with docker_client.translated(what,
                                          self.properties[DOCKER_ENDPOINT]):
                return method(*args, **kwargs)
        except docker_client.DockerError as exc:
            if missing_ok and docker_client.is_not_found(exc):
                return None
            raise exception.Error(str(exc))
        except docker_client.DockerConnectionError as exc:
            raise exception.Error(str(exc))

    def validate(self):
        super().validate()
        p = self.properties
        if bool(p[TLS_CLIENT_CERT]) != bool(p[TLS_CLIENT_KEY]):
            raise exception.StackValidationFailed(
                message='%s and %s go together: give both or neither'
                % (TLS_CLIENT_CERT, TLS_CLIENT_KEY))

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        # Only TLS material updates in place here; Heat stores the new
        # properties once this returns.
        pass

    def docker_name(self, name=None):
        """The given name, or one derived from the stack and resource."""
        if name:
            return name
        return _NAME_BAD_CHARS.sub('-', self.physical_resource_name())

    def stack_labels(self, labels):
        merged = dict(zip(STACK_LABELS, (self.stack.id, self.stack.name,
                                         self.name)))
        merged.update(labels or {})
        return merged

    def made_here(self, labels):
        """Whether labels (of an object) name this stack and resource.

        Under the current label names or the ones of earlier releases, so
        that their stacks still find what they made.
        """
        return (shared.read_label(labels, LABEL_STACK_ID) == self.stack.id
                and shared.read_label(labels, LABEL_RESOURCE_NAME)
                == self.name)

    def describe(self):
        """'container web (0123456789ab)': the template's name first."""
        return '%s %s (%s)' % (self.kind, self.name,
                               (self.resource_id or '')[:12])

    def inspect(self, client):
        """Return the engine's inspect data of the object."""
        raise NotImplementedError()

    def inspect_or_none(self):
        """Inspect the object; None once it is gone."""
        return self.call('inspect %s' % self.describe(), self.inspect,
                         self.docker(), missing_ok=True)

    def inspect_existing(self):
        """Inspect the object; a clear failure once it is gone."""
        info = self.inspect_or_none()
        if info is None:
            raise exception.Error('%s no longer exists' % self.describe())
        return info

    def handle_check(self):
        self.inspect_existing()

    def _resolve_attribute(self, name):
        if not self.resource_id:
            return None
        info = self.inspect_or_none()
        if info is None:
            return None
        return self.attribute_from(name, info)

    def attribute_from(self, name, info):
        """Return attribute ``name`` given the object's inspect data."""
        raise NotImplementedError()

    def remove(self, client):
        """Remove the object from the engine."""
        raise NotImplementedError()

    def handle_delete(self):
        # Deleting what is already gone (removed by hand, engine reset)
        # succeeds: the stack must stay deletable.
        if self.resource_id:
            self.call('remove %s' % self.describe(), self.remove,
                      self.docker(), missing_ok=True)
        return self.resource_id
