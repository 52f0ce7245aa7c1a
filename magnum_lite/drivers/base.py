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
driver's report to the cluster's status (its status module) and is the
only writer.

What a driver reads but does not own (a cluster's template and CAs, kept
in the conductor's database) it gets from the ClusterServices it is made
with; a driver imports neither the conductor, nor the CA store, nor the
database. Running containers on a cluster's nodes (the container API) is
a capability a driver may have: container_host() returns its
ContainerHost, or None.
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


class ClusterServices(metaclass=abc.ABCMeta):
    """What the conductor lends its drivers: a cluster's template and CAs.

    Both live in the conductor's database; a driver asks for them here.
    PEMs are str. A `ca_type` is one of
    magnum_lite.certificates.x509.CA_TYPES or a spelling of one (None:
    the Kubernetes CA, the one every cluster uses).
    """

    @abc.abstractmethod
    def cluster_template(self, cluster):
        """The cluster's template row (detached, read-only)."""

    @abc.abstractmethod
    def ca_certificate(self, cluster_uuid, ca_type=None):
        """The certificate PEM of the cluster's CA of that type."""

    @abc.abstractmethod
    def ca_key_pair(self, cluster_uuid, ca_type=None):
        """(certificate PEM, private key PEM) of the cluster's CA.

        Only for drivers that install the CA itself on the nodes (e.g.
        kubeadm masters); others ask for signatures instead.
        """

    @abc.abstractmethod
    def sign(self, cluster_uuid, csr, ca_type=None):
        """The certificate PEM of `csr` (a PEM), signed by the cluster CA.

        The CSR's extensions are filtered by the [x509] options.
        """


class NoServices(ClusterServices):
    """The services of a driver made outside a conductor (e.g. the API).

    There a driver only checks templates and labels; anything that needs
    the conductor's database fails loudly instead of reaching for it.
    """

    def _missing(self, *_args, **_kwargs):
        raise exception.NotSupported(
            operation='Reading cluster templates and CAs from a driver '
                      'made without the conductor\'s services')

    cluster_template = ca_certificate = ca_key_pair = sign = _missing


class ContainerHost(metaclass=abc.ABCMeta):
    """Containers on the nodes of a driver's clusters (the container API).

    A container runs on one node of its cluster, reached through that
    node's Docker API. The conductor places containers, creates and acts
    on them through a node's client; the driver knows how to reach a node
    and how an image gets there.
    """

    @abc.abstractmethod
    def node_client(self, cluster_uuid, address):
        """A docker.DockerClient of the node at `address`; close it after.

        A node that does not take the connection within [docker]
        connect_timeout fails fast: docker.errors.DockerException while
        the client is made, a requests error on a later call.
        """

    @abc.abstractmethod
    def ensure_image(self, cluster, client, image):
        """Make `image` available on the node of `client`.

        Or nothing, when the node gets its images itself (a registry).
        """

    @abc.abstractmethod
    def forget(self, cluster_uuid):
        """Drop what is kept to reach a deleted cluster's nodes."""


class ClusterDriver(metaclass=abc.ABCMeta):
    """Base class of cluster drivers (entry-point group magnum_lite.drivers).

    Every method gets the caller's RequestContext and detached DB rows
    (cluster, nodegroups, template) that it must not write. The loader
    makes each driver once per process with the ClusterServices the
    conductor lends (NoServices elsewhere).
    """

    def __init__(self, services=None):
        self.services = services or NoServices()

    # JSON schema of the cluster and template labels this driver reads;
    # labels it does not describe are allowed unless the schema says
    # additionalProperties: false.
    labels_schema = {'type': 'object'}

    supports_federation = False

    # Whether the images, flavors, keypairs and networks a template or
    # cluster names are the cloud's (Glance, Nova, Neutron): the API then
    # checks them in the caller's catalog. A driver that makes its nodes
    # elsewhere says False and checks them in validate_resources.
    cloud_resources = True

    def validate_resources(self, names):
        """Raise a 400 for a name the driver's backend does not have.

        `names` maps template fields (image_id, external_network_id,
        flavor_id, ...) to the values a request gives, None when unset.
        Only called for drivers whose cloud_resources is False.
        """

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

    def container_host(self):
        """The ContainerHost of this driver's clusters, or None.

        None: its clusters run no containers of the container API.
        """
        return None

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
