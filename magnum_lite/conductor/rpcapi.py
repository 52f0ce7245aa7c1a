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

"""Client side of the conductor RPC API.

Version history (bump the minor version for every added method or
argument, and check it with `_prepare`):

    1.0 - Initial version: cluster create/update/resize/upgrade/delete,
          nodegroup create/update/delete, CA get/sign/rotate, credential
          rotation, federation create/update/delete.
    1.1 - Containers (API microversion 1.15): create_container (cast),
          delete/action/logs/execute_container and
          refresh_containers (calls).

Casts carry UUIDs, never rows: the API has already written the row, and
moved it to *_IN_PROGRESS with a compare-and-swap, before it casts. Casts
about a cluster go to the conductor that owns it (see
magnum_lite.conductor.locking); calls that only read go to any conductor.
"""

import threading
import time

from oslo_log import log as logging
import oslo_messaging as messaging

from magnum_lite.common import exception
from magnum_lite.common import rpc
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

RPC_API_VERSION = '1.1'

# Every method this API sends; the conductor dispatches these and no other
# (common.rpc.DeclaredMethodsPolicy).
METHODS = frozenset([
    'create_cluster', 'update_cluster', 'resize_cluster', 'upgrade_cluster',
    'delete_cluster', 'create_nodegroup', 'update_nodegroup',
    'delete_nodegroup', 'get_ca_certificate', 'sign_certificate',
    'rotate_ca_certificate', 'rotate_credential', 'create_federation',
    'update_federation', 'delete_federation', 'create_container',
    'delete_container', 'action_container', 'get_container_logs',
    'execute_container', 'refresh_containers',
])

# The owner of a cluster is looked up from the service table at most this
# often; between lookups a cast may go to a conductor that just stopped,
# which is fine: the message waits on the topic for it or another owner's
# sync picks the operation up.
_HOSTS_TTL_SECONDS = 5


def _original_exception(exc):
    """The exception raised in the conductor, without the remote suffix.

    oslo.messaging rebuilds remote exceptions as a subclass whose str()
    carries the conductor's traceback; users must see only the message.
    """
    if not type(exc).__name__.endswith('_Remote'):
        return exc
    original_type = type(exc).__mro__[1]
    message = exc.args[0] if exc.args else None
    kwargs = getattr(exc, 'kwargs', {}) or {}
    try:
        return original_type(message, **kwargs)
    except TypeError:
        return original_type(message)


class ConductorAPI:
    """The conductor RPC API, as the API service sees it."""

    def __init__(self, topic=None, dbapi=None):
        self.topic = topic or CONF.conductor.topic
        target = messaging.Target(topic=self.topic, version=RPC_API_VERSION)
        self.client = rpc.get_client(
            target, version_cap=CONF.conductor.rpc_version_cap or
            RPC_API_VERSION)
        self._dbapi = dbapi
        # In-process messaging has exactly one conductor, the one beside
        # this client: service rows other processes left in a shared
        # database must not pull casts away from it.
        self._route_by_owner = (rpc.configured_url(CONF) !=
                                rpc.IN_PROCESS_URL)
        self._hosts = None
        self._hosts_at = 0
        self._hosts_lock = threading.Lock()

    # Plumbing -----------------------------------------------------------

    def _prepare(self, method, version, server=None, timeout=None):
        if not self.client.can_send_version(version):
            raise exception.ConductorRPCVersionTooOld(
                cap=self.client.version_cap, method=method, version=version)
        kwargs = {'version': version}
        if server:
            kwargs['server'] = server
        if timeout:
            kwargs['timeout'] = timeout
        return self.client.prepare(**kwargs)

    def _live_hosts(self):
        from magnum_lite.conductor import locking
        with self._hosts_lock:
            if self._hosts is None or \
                    time.monotonic() - self._hosts_at > _HOSTS_TTL_SECONDS:
                if self._dbapi is None:
                    from magnum_lite.db import api as db_api
                    self._dbapi = db_api.get_instance()
                self._hosts = locking.live_conductor_hosts(
                    self._dbapi, CONF.service_down_time)
                self._hosts_at = time.monotonic()
            return self._hosts

    def _owner(self, cluster_uuid):
        from magnum_lite.conductor import locking
        if not self._route_by_owner:
            return None
        try:
            return locking.owner(cluster_uuid, self._live_hosts())
        except Exception:
            # No owner known: any conductor on the topic will do; the
            # status compare-and-swap still keeps operations apart.
            LOG.exception('Could not find the conductor owning %s',
                          cluster_uuid)
            return None

    def _cast(self, context, method, version, owner_of=None, **kwargs):
        """Cast to the conductor owning cluster `owner_of` (or any)."""
        server = self._owner(owner_of) if owner_of else None
        cctxt = self._prepare(method, version, server=server)
        cctxt.cast(context, method, **kwargs)

    def _call(self, context, method, version, server=None, **kwargs):
        cctxt = self._prepare(method, version, server=server)
        try:
            return cctxt.call(context, method, **kwargs)
        except messaging.MessagingTimeout as exc:
            raise exception.ConductorUnavailable(
                reason='%s timed out after %ss' % (
                    method, CONF.rpc_response_timeout)) from exc
        except messaging.MessageDeliveryFailure as exc:
            raise exception.ConductorUnavailable(reason=str(exc)) from exc
        except exception.MagnumLiteException as exc:
            raise _original_exception(exc) from None

    # Clusters (casts) -----------------------------------------------------

    def create_cluster(self, context, cluster_uuid, create_timeout=None):
        """Make the CAs, pick the driver and start the backend.

        :param create_timeout: minutes the backend may take (None: the
            cluster's own create_timeout).
        """
        self._cast(context, 'create_cluster', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid, create_timeout=create_timeout)

    def update_cluster(self, context, cluster_uuid, node_count=None,
                       rollback=False):
        """Apply node_count to the default worker nodegroup."""
        self._cast(context, 'update_cluster', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid, node_count=node_count,
                   rollback=rollback)

    def resize_cluster(self, context, cluster_uuid, nodegroup_uuid,
                       node_count, nodes_to_remove=None):
        """Resize a nodegroup, removing the named nodes first."""
        self._cast(context, 'resize_cluster', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid, nodegroup_uuid=nodegroup_uuid,
                   node_count=node_count,
                   nodes_to_remove=list(nodes_to_remove or []))

    def upgrade_cluster(self, context, cluster_uuid, cluster_template_uuid,
                        max_batch_size=1, nodegroup_uuid=None):
        """Move the cluster (or one nodegroup) to the template's version."""
        self._cast(context, 'upgrade_cluster', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid,
                   cluster_template_uuid=cluster_template_uuid,
                   max_batch_size=max_batch_size,
                   nodegroup_uuid=nodegroup_uuid)

    def delete_cluster(self, context, cluster_uuid):
        """Delete the backend, then the rows and certificates."""
        self._cast(context, 'delete_cluster', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid)

    # Nodegroups (casts) ---------------------------------------------------

    def create_nodegroup(self, context, cluster_uuid, nodegroup_uuid):
        """Add the nodegroup (its row exists) to the backend."""
        self._cast(context, 'create_nodegroup', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid, nodegroup_uuid=nodegroup_uuid)

    def update_nodegroup(self, context, cluster_uuid, nodegroup_uuid):
        """Apply the nodegroup's min/max counts, labels and taints."""
        self._cast(context, 'update_nodegroup', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid, nodegroup_uuid=nodegroup_uuid)

    def delete_nodegroup(self, context, cluster_uuid, nodegroup_uuid):
        """Remove the nodegroup from the backend, then its row."""
        self._cast(context, 'delete_nodegroup', '1.0', cluster_uuid,
                   cluster_uuid=cluster_uuid, nodegroup_uuid=nodegroup_uuid)

    # Certificates and credentials (calls) --------------------------------

    def get_ca_certificate(self, context, cluster_uuid, ca_cert_type=None):
        """The PEM of the cluster CA of that type (default kubernetes)."""
        return self._call(context, 'get_ca_certificate', '1.0',
                          cluster_uuid=cluster_uuid,
                          ca_cert_type=ca_cert_type)

    def sign_certificate(self, context, cluster_uuid, csr,
                         ca_cert_type=None):
        """The PEM of `csr` signed by the cluster CA of that type."""
        return self._call(context, 'sign_certificate', '1.0',
                          cluster_uuid=cluster_uuid, csr=csr,
                          ca_cert_type=ca_cert_type)

    def rotate_ca_certificate(self, context, cluster_uuid):
        """New CAs, then the driver redeploys them (NotSupported → 400)."""
        return self._call(context, 'rotate_ca_certificate', '1.0',
                          server=self._owner(cluster_uuid),
                          cluster_uuid=cluster_uuid)

    def rotate_credential(self, context, cluster_uuid):
        """The driver rotates the cluster's credentials (NotSupported)."""
        return self._call(context, 'rotate_credential', '1.0',
                          server=self._owner(cluster_uuid),
                          cluster_uuid=cluster_uuid)

    # Federations (calls) --------------------------------------------------

    def create_federation(self, context, federation_uuid):
        """NotSupported (400) unless the host cluster's driver federates."""
        return self._call(context, 'create_federation', '1.0',
                          federation_uuid=federation_uuid)

    def update_federation(self, context, federation_uuid):
        return self._call(context, 'update_federation', '1.0',
                          federation_uuid=federation_uuid)

    def delete_federation(self, context, federation_uuid):
        return self._call(context, 'delete_federation', '1.0',
                          federation_uuid=federation_uuid)

    # Containers (1.1) ---------------------------------------------------

    def create_container(self, context, container_uuid):
        """Place, create and start the container (its row is Creating)."""
        self._cast(context, 'create_container', '1.1',
                   container_uuid=container_uuid)

    def delete_container(self, context, container_uuid):
        """Remove the container from its node, then its row."""
        return self._call(context, 'delete_container', '1.1',
                          container_uuid=container_uuid)

    def action_container(self, context, container_uuid, action):
        """start|stop|reboot|pause|unpause → the container's new status."""
        return self._call(context, 'action_container', '1.1',
                          container_uuid=container_uuid, action=action)

    def get_container_logs(self, context, container_uuid):
        """The container's stdout and stderr so far, as text."""
        return self._call(context, 'get_container_logs', '1.1',
                          container_uuid=container_uuid)

    def execute_container(self, context, container_uuid, command):
        """{"output", "exit_code"} of `command` run in the container."""
        return self._call(context, 'execute_container', '1.1',
                          container_uuid=container_uuid, command=command)

    def refresh_containers(self, context, container_uuids):
        """Read these containers' status from their nodes into the rows."""
        return self._call(context, 'refresh_containers', '1.1',
                          container_uuids=list(container_uuids))
