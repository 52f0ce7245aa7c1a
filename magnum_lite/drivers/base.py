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

"""The interface every cluster driver implements.

Drivers start, change and delete backend resources and report what the
backend says; they never write cluster status. The conductor maps a
driver's report to the cluster's status (magnum_lite.conductor.status) and
is the only writer.
"""

import abc
import dataclasses

import jsonschema

from magnum_lite.common import exception

# The driver's view of an operation on the backend.
IN_PROGRESS = 'in_progress'
COMPLETE = 'complete'
FAILED = 'failed'
# The backend has no such resource (deleted, or never created).
NOT_FOUND = 'not_found'
BACKEND_STATES = (IN_PROGRESS, COMPLETE, FAILED, NOT_FOUND)


@dataclasses.dataclass
class NodeGroupReport:
    """What the backend says about one nodegroup."""

    state: str = None
    reason: str = None
    node_addresses: list = None
    backend_id: str = None


@dataclasses.dataclass
class ClusterReport:
    """What the backend says about one cluster.

    `state` is one of BACKEND_STATES; `backend_status` is the backend's
    own word (e.g. a Heat stack status) kept for debugging. `nodegroups`
    maps nodegroup UUIDs to NodeGroupReport; `faults` maps a failing
    backend resource to its reason. A None field means "no news".
    """

    state: str
    reason: str = None
    backend_status: str = None
    api_address: str = None
    coe_version: str = None
    container_version: str = None
    nodegroups: dict = dataclasses.field(default_factory=dict)
    faults: dict = None


# Labels the API reads itself, whatever the driver: without an image
# service, a template's os_distro label names its distribution
# (magnum_lite.api), so no driver's schema may refuse it.
API_LABELS = frozenset(['os_distro'])


def driver_labels(labels):
    """The labels a driver's schema checks: all but API_LABELS."""
    return {k: v for k, v in (labels or {}).items() if k not in API_LABELS}


class ClusterDriver(metaclass=abc.ABCMeta):
    """Base class of cluster drivers (entry-point group magnum_lite.drivers).

    Every method gets the caller's RequestContext and detached DB rows
    (cluster, nodegroups, template) that it must not write.
    """

    # JSON schema of the cluster and template labels this driver reads;
    # labels it does not describe are allowed unless the schema says
    # additionalProperties: false.
    labels_schema = {'type': 'object'}

    supports_federation = False

    @property
    @abc.abstractmethod
    def provides(self):
        """A list of (server_type, os_distro, coe) this driver serves.

        os_distro "any" matches every distribution.
        """

    def validate_labels(self, labels):
        """Raise InvalidLabels when the labels break the driver's schema."""
        try:
            jsonschema.validate(driver_labels(labels), self.labels_schema)
        except jsonschema.ValidationError as exc:
            where = '.'.join(str(p) for p in exc.absolute_path)
            raise exception.InvalidLabels(
                reason='%s%s' % (where + ': ' if where else '', exc.message))

    @abc.abstractmethod
    def create_cluster(self, context, cluster, nodegroups, timeout):
        """Start creating the backend; returns the backend id.

        `timeout` is in minutes (0: none). The call returns once the
        backend accepted the request; completion comes through get_status.
        """

    @abc.abstractmethod
    def update_cluster(self, context, cluster, nodegroups, rollback=False):
        """Apply the node counts now in the nodegroup rows."""

    @abc.abstractmethod
    def resize_cluster(self, context, cluster, nodegroup, node_count,
                       nodes_to_remove):
        """Resize one nodegroup, removing the named nodes first."""

    @abc.abstractmethod
    def upgrade_cluster(self, context, cluster, cluster_template,
                        max_batch_size, nodegroup=None):
        """Move the cluster (or one nodegroup) to the template's version."""

    @abc.abstractmethod
    def delete_cluster(self, context, cluster):
        """Start deleting the backend; completion comes through get_status."""

    @abc.abstractmethod
    def create_nodegroup(self, context, cluster, nodegroup):
        """Add a nodegroup; returns its backend id or None."""

    @abc.abstractmethod
    def update_nodegroup(self, context, cluster, nodegroup):
        """Apply min/max counts, labels and taints of the nodegroup."""

    @abc.abstractmethod
    def delete_nodegroup(self, context, cluster, nodegroup):
        """Remove a nodegroup from the backend."""

    @abc.abstractmethod
    def get_status(self, context, clusters):
        """Report on several clusters at once.

        Returns {cluster_uuid: ClusterReport}; a cluster left out has no
        news. One call per sync for all of a driver's clusters lets a
        driver batch its backend queries.
        """

    def get_health(self, context, clusters):
        """Health of several finished clusters at once.

        Returns {cluster_uuid: (health_status, health_status_reason)} with
        health_status one of states.HEALTH_STATUSES and the reason a dict
        of str → str naming what was checked (e.g. "node-1.Ready":
        "False"). A driver without a monitor returns {}: no news.
        """
        return {}

    def rotate_ca_certificate(self, context, cluster):
        """Redeploy the cluster's new CA (already stored) to its nodes."""
        raise exception.NotSupported(operation='Rotating the CA certificate '
                                               'of this cluster type')

    def rotate_credential(self, context, cluster):
        """Replace the credentials the cluster uses to reach the cloud."""
        raise exception.NotSupported(operation='Rotating the credential of '
                                               'this cluster type')

    def create_federation(self, context, federation):
        raise exception.NotSupported(operation='Federation')

    def update_federation(self, context, federation):
        raise exception.NotSupported(operation='Federation')

    def delete_federation(self, context, federation):
        raise exception.NotSupported(operation='Federation')
