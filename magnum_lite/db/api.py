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

"""The database interface, and the entry point to its backend.

Callers get the backend with get_instance(); Connection below states what
it offers, and magnum_lite.db.sqlalchemy.api implements it.

What holds for every method:

- Rows come back as detached SQLAlchemy model objects
  (magnum_lite.db.sqlalchemy.models); ``row.as_dict()`` gives their
  columns. JSON columns (labels, addresses, health_status_reason,
  member_ids, properties, node_labels, node_taints, faults) hold Python
  dicts and lists.
- A ``context`` is a magnum_lite.common.context.RequestContext: only rows
  of ``context.project_id`` are seen unless ``context.all_tenants``. Where
  a method says so, ``None`` instead sees every project (the conductor).
- ``values`` is a dict of column -> value. A create generates the uuid
  unless one is given.
- ``filters`` is a dict of column -> value; a list, tuple or set value
  means "one of". A None value, and a column the list does not filter on,
  are ignored.
- ``limit``, ``marker`` (the uuid of the last row of the previous page; the
  integer id for quotas and services), ``sort_key`` (a column, default
  ``id``) and ``sort_dir`` (``asc`` or ``desc``) page every list; an
  unknown sort key or direction, or a marker that is not there, raises
  InvalidParameterValue (400).
- Every write is one transaction, retried on a database deadlock.
- An update whose ``expected_status`` is given is a compare-and-swap: the
  status test and the write are one statement, so of two requests racing
  on a row one wins and the other gets OperationInProgress (409).

All exceptions are magnum_lite.common.exception types.
"""

import abc
import threading

_lock = threading.Lock()
_instance = None


class Connection(abc.ABC):
    """What the database offers the API and the conductor."""

    # -- cluster templates ---------------------------------------------

    @abc.abstractmethod
    def get_cluster_template_list(self, context, filters=None, limit=None,
                                  marker=None, sort_key=None, sort_dir=None):
        """A page of the cluster templates the caller may see.

        Those of the caller's project and the public ones of other
        projects that are not hidden; with ``all_tenants`` every template.

        :param filters: on name, image_id, flavor_id, master_flavor_id,
            keypair_id, external_network_id, dns_nameserver, project_id,
            user_id, coe, public, hidden, server_type, driver.
        :returns: a list of ClusterTemplate rows.
        :raises: InvalidParameterValue for a bad sort or marker.
        """

    @abc.abstractmethod
    def get_cluster_template_by_id(self, context, template_id):
        """The cluster template of this integer id the caller may see.

        :returns: a ClusterTemplate row.
        :raises: ClusterTemplateNotFound.
        """

    @abc.abstractmethod
    def get_cluster_template_by_uuid(self, context, uuid):
        """The cluster template of this uuid the caller may see.

        :returns: a ClusterTemplate row.
        :raises: ClusterTemplateNotFound.
        """

    @abc.abstractmethod
    def get_cluster_template_by_name(self, context, name):
        """The cluster template of this name the caller may see.

        :returns: a ClusterTemplate row.
        :raises: ClusterTemplateNotFound; Conflict when two templates the
            caller sees share the name.
        """

    @abc.abstractmethod
    def create_cluster_template(self, values):
        """Add a cluster template.

        :returns: the new ClusterTemplate row.
        :raises: ClusterTemplateAlreadyExists when the uuid is taken.
        """

    @abc.abstractmethod
    def update_cluster_template(self, uuid, values):
        """Change a cluster template of any project (id and uuid stay).

        A template a cluster uses may only change ``name``, ``public`` and
        ``hidden``: its clusters must keep meaning what they meant.

        :returns: the updated ClusterTemplate row.
        :raises: ClusterTemplateNotFound; ClusterTemplateReferenced when
            the template is in use and another column would change.
        """

    @abc.abstractmethod
    def destroy_cluster_template(self, uuid):
        """Remove a cluster template of any project.

        :raises: ClusterTemplateReferenced when a cluster uses it;
            ClusterTemplateNotFound.
        """

    # -- clusters --------------------------------------------------------

    @abc.abstractmethod
    def get_cluster_list(self, context, filters=None, limit=None,
                         marker=None, sort_key=None, sort_dir=None):
        """A page of the clusters the caller may see.

        :param filters: on cluster_template_id, name, stack_id,
            api_address, project_id, user_id, status, driver, uuid.
        :returns: a list of Cluster rows.
        :raises: InvalidParameterValue for a bad sort or marker.
        """

    @abc.abstractmethod
    def get_cluster_by_id(self, context, cluster_id):
        """The cluster of this integer id; a None context sees all.

        :returns: a Cluster row with its nodegroups loaded, so its
            computed node_count, master_count, node_addresses and
            master_addresses can be read.
        :raises: ClusterNotFound.
        """

    @abc.abstractmethod
    def get_cluster_by_uuid(self, context, uuid):
        """The cluster of this uuid; a None context sees all.

        :returns: a Cluster row with its nodegroups loaded.
        :raises: ClusterNotFound.
        """

    @abc.abstractmethod
    def get_cluster_by_name(self, context, name):
        """The cluster of this name; a None context sees all.

        :returns: a Cluster row with its nodegroups loaded.
        :raises: ClusterNotFound; Conflict when two clusters the caller
            sees share the name.
        """

    @abc.abstractmethod
    def create_cluster(self, values, nodegroups=()):
        """Add a cluster and its nodegroups in one transaction.

        :param nodegroups: the values of each nodegroup; their cluster_id
            is the new cluster's uuid and their project_id, unless given,
            the cluster's.
        :returns: the new Cluster row with its nodegroups loaded.
        :raises: ClusterAlreadyExists when a uuid (or a nodegroup name in
            the cluster) is taken; nothing is written then.
        """

    @abc.abstractmethod
    def update_cluster(self, uuid, values, expected_status=None):
        """Change a cluster (id and uuid stay), by compare-and-swap.

        :param expected_status: a tuple of statuses; when given, the
            cluster changes only if its status is one of them.
        :returns: the updated Cluster row with its nodegroups loaded.
        :raises: ClusterNotFound; OperationInProgress when the status is
            not one expected.
        """

    @abc.abstractmethod
    def destroy_cluster(self, uuid):
        """Remove a cluster with its nodegroups, certificates, containers.

        :raises: ClusterNotFound.
        """

    @abc.abstractmethod
    def get_cluster_count(self, context, project_id):
        """How many clusters the project has (for its quota).

        :returns: an int.
        """

    @abc.abstractmethod
    def get_cluster_stats(self, context, project_id=None):
        """How many clusters and nodes a project (None: all) has.

        :returns: (clusters, nodes), nodes being the node_count of all
            their nodegroups, masters included, added up.
        """

    # -- nodegroups ------------------------------------------------------

    @abc.abstractmethod
    def list_cluster_nodegroups(self, context, cluster_uuid, filters=None,
                                limit=None, marker=None, sort_key=None,
                                sort_dir=None):
        """A page of a cluster's nodegroups the caller may see.

        :param filters: on name, node_count, role, status, is_default,
            flavor_id, image_id.
        :returns: a list of NodeGroup rows (empty for an unknown cluster).
        :raises: InvalidParameterValue for a bad sort or marker.
        """

    @abc.abstractmethod
    def get_nodegroup_by_id(self, context, cluster_uuid, nodegroup_id):
        """The cluster's nodegroup of this integer id; None context: all.

        :returns: a NodeGroup row.
        :raises: NodeGroupNotFound.
        """

    @abc.abstractmethod
    def get_nodegroup_by_uuid(self, context, cluster_uuid, uuid):
        """The cluster's nodegroup of this uuid; a None context sees all.

        :returns: a NodeGroup row.
        :raises: NodeGroupNotFound.
        """

    @abc.abstractmethod
    def get_nodegroup_by_name(self, context, cluster_uuid, name):
        """The cluster's nodegroup of this name; a None context sees all.

        Names are unique within a cluster.

        :returns: a NodeGroup row.
        :raises: NodeGroupNotFound.
        """

    @abc.abstractmethod
    def create_nodegroup(self, values):
        """Add a nodegroup to the cluster ``values['cluster_id']`` names.

        :returns: the new NodeGroup row.
        :raises: NodeGroupAlreadyExists when the cluster has a nodegroup
            of that name (or the uuid is taken).
        """

    @abc.abstractmethod
    def update_nodegroup(self, cluster_uuid, uuid, values,
                         expected_status=None):
        """Change a nodegroup (id, uuid, cluster_id stay), by compare-and-swap.

        :param expected_status: a tuple of statuses; when given, the
            nodegroup changes only if its status is one of them.
        :returns: the updated NodeGroup row.
        :raises: NodeGroupNotFound; OperationInProgress when the status is
            not one expected.
        """

    @abc.abstractmethod
    def destroy_nodegroup(self, cluster_uuid, uuid):
        """Remove a cluster's nodegroup.

        :raises: NodeGroupNotFound.
        """

    # -- certificates ----------------------------------------------------

    @abc.abstractmethod
    def create_certificate(self, values):
        """Store a cluster's CA of one type.

        :param values: cluster_uuid, ca_cert_type, certificate,
            private_key (already encrypted by the caller), project_id,
            user_id.
        :returns: the new Certificate row.
        :raises: Conflict when the cluster has a CA of that type.
        """

    @abc.abstractmethod
    def get_certificate(self, cluster_uuid, ca_cert_type):
        """The cluster's CA of that type.

        :returns: a Certificate row.
        :raises: CertificateNotFound.
        """

    @abc.abstractmethod
    def update_certificate(self, cluster_uuid, ca_cert_type, values):
        """Replace columns of the cluster's CA of that type (rotation).

        :returns: the updated Certificate row.
        :raises: CertificateNotFound.
        """

    @abc.abstractmethod
    def destroy_cluster_certificates(self, cluster_uuid):
        """Remove every CA of the cluster; none is no error."""

    # -- quotas ----------------------------------------------------------

    @abc.abstractmethod
    def create_quota(self, values):
        """Set a project's hard limit on a resource.

        :param values: project_id, resource, hard_limit.
        :returns: the new Quota row.
        :raises: QuotaAlreadyExists when the project has one for the
            resource.
        """

    @abc.abstractmethod
    def get_quota_by_project_id_resource(self, project_id, resource):
        """The project's quota on the resource.

        :returns: a Quota row.
        :raises: QuotaNotFound.
        """

    @abc.abstractmethod
    def get_quota_list(self, context, filters=None, limit=None, marker=None,
                       sort_key=None, sort_dir=None):
        """A page of the quotas the caller may see (marker: integer id).

        :param filters: on project_id, resource.
        :returns: a list of Quota rows.
        :raises: InvalidParameterValue for a bad sort or marker.
        """

    @abc.abstractmethod
    def update_quota(self, project_id, resource, values):
        """Change the project's quota on the resource (only hard_limit).

        :returns: the updated Quota row.
        :raises: QuotaNotFound.
        """

    @abc.abstractmethod
    def delete_quota(self, project_id, resource):
        """Remove the project's quota on the resource.

        :raises: QuotaNotFound.
        """

    # -- federations -----------------------------------------------------

    @abc.abstractmethod
    def get_federation_list(self, context, filters=None, limit=None,
                            marker=None, sort_key=None, sort_dir=None):
        """A page of the federations the caller may see.

        :param filters: on name, hostcluster_id, status, project_id.
        :returns: a list of Federation rows.
        :raises: InvalidParameterValue for a bad sort or marker.
        """

    @abc.abstractmethod
    def get_federation_by_id(self, context, federation_id):
        """The federation of this integer id; a None context sees all.

        :returns: a Federation row.
        :raises: FederationNotFound.
        """

    @abc.abstractmethod
    def get_federation_by_uuid(self, context, uuid):
        """The federation of this uuid; a None context sees all.

        :returns: a Federation row.
        :raises: FederationNotFound.
        """

    @abc.abstractmethod
    def get_federation_by_name(self, context, name):
        """The federation of this name; a None context sees all.

        :returns: a Federation row.
        :raises: FederationNotFound; Conflict when two federations the
            caller sees share the name.
        """

    @abc.abstractmethod
    def create_federation(self, values):
        """Add a federation.

        :returns: the new Federation row.
        :raises: FederationAlreadyExists when the uuid is taken.
        """

    @abc.abstractmethod
    def update_federation(self, uuid, values):
        """Change a federation of any project (id and uuid stay).

        :returns: the updated Federation row.
        :raises: FederationNotFound.
        """

    @abc.abstractmethod
    def destroy_federation(self, uuid):
        """Remove a federation.

        :raises: FederationNotFound.
        """

    # -- containers (API microversion 1.15) --------------------------------

    @abc.abstractmethod
    def get_container_list(self, context, filters=None, limit=None,
                           marker=None, sort_key=None, sort_dir=None):
        """A page of the containers the caller may see.

        :param filters: on name, image, cluster_uuid, host, status,
            project_id, user_id, uuid.
        :returns: a list of Container rows: ``host`` is the node address
            the container runs on, ``container_id`` Docker's id there,
            ``command`` a string or a list.
        :raises: InvalidParameterValue for a bad sort or marker.
        """

    @abc.abstractmethod
    def get_container_by_uuid(self, context, uuid):
        """The container of this uuid; a None context sees all.

        :returns: a Container row.
        :raises: ContainerNotFound.
        """

    @abc.abstractmethod
    def get_container_by_name(self, context, name):
        """The container of this name; a None context sees all.

        :returns: a Container row.
        :raises: ContainerNotFound; Conflict when two containers the
            caller sees share the name.
        """

    @abc.abstractmethod
    def create_container(self, values):
        """Add a container.

        :returns: the new Container row.
        :raises: ContainerAlreadyExists when the uuid is taken.
        """

    @abc.abstractmethod
    def update_container(self, uuid, values, expected_status=None):
        """Change a container (id and uuid stay), by compare-and-swap.

        :param expected_status: a tuple of statuses; when given, the
            container changes only if its status is one of them.
        :returns: the updated Container row.
        :raises: ContainerNotFound; OperationInProgress when the status is
            not one expected.
        """

    @abc.abstractmethod
    def destroy_container(self, uuid):
        """Remove a container.

        :raises: ContainerNotFound.
        """

    # -- conductor services ----------------------------------------------

    @abc.abstractmethod
    def get_service_list(self, filters=None, limit=None, marker=None,
                         sort_key=None, sort_dir=None):
        """A page of the conductor services (marker: integer id).

        :param filters: on host, binary, disabled.
        :returns: a list of Service rows.
        :raises: InvalidParameterValue for a bad sort or marker.
        """

    @abc.abstractmethod
    def get_service_by_host_and_binary(self, host, binary):
        """The service of that binary on that host.

        :returns: a Service row.
        :raises: ServiceNotFound.
        """

    @abc.abstractmethod
    def create_service(self, values):
        """Add a service; report_count starts at 0 unless given.

        :returns: the new Service row.
        :raises: Conflict when the host already has the binary.
        """

    @abc.abstractmethod
    def update_service(self, service_id, values):
        """Change the service of this integer id.

        :returns: the updated Service row.
        :raises: ServiceNotFound.
        """

    @abc.abstractmethod
    def service_heartbeat(self, host, binary):
        """Record that the service is alive.

        Increments report_count and sets last_seen_up, creating the row
        on the first beat (two first beats racing make one row).

        :returns: the Service row.
        """

    @abc.abstractmethod
    def destroy_service(self, service_id):
        """Remove the service of this integer id.

        :raises: ServiceNotFound.
        """


def get_instance():
    """The database backend (a Connection), made on first use."""
    global _instance
    with _lock:
        if _instance is None:
            from magnum_lite.db.sqlalchemy import api as sqlalchemy_api
            _instance = sqlalchemy_api.Connection()
        return _instance


def setup_database():
    """Bring the configured database to the newest schema."""
    from magnum_lite.db import migration
    migration.upgrade('head')
