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

"""SQLAlchemy models: the tables magnum-lite keeps.

Clusters own their nodegroups; the counts and addresses a cluster shows are
computed from them, so there is one source of truth for both views.
"""

from oslo_db.sqlalchemy import models as oslo_models
import sqlalchemy as sa
from sqlalchemy import orm

from magnum_lite.common import states
from magnum_lite.db.sqlalchemy import types

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


class Base(orm.DeclarativeBase, oslo_models.TimestampMixin,
           oslo_models.ModelBase):

    def as_dict(self):
        return {c.name: getattr(self, c.key)
                for c in self.__table__.columns}


class ClusterTemplate(Base):
    __tablename__ = 'cluster_template'
    __table_args__ = (sa.UniqueConstraint('uuid',
                                          name='uniq_cluster_template0uuid'),
                      TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255), index=True)
    user_id = sa.Column(sa.String(255))
    name = sa.Column(sa.String(255), index=True)
    image_id = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.String(255))
    master_flavor_id = sa.Column(sa.String(255))
    keypair_id = sa.Column(sa.String(255))
    external_network_id = sa.Column(sa.String(255))
    fixed_network = sa.Column(sa.String(255))
    fixed_subnet = sa.Column(sa.String(255))
    network_driver = sa.Column(sa.String(255))
    volume_driver = sa.Column(sa.String(255))
    dns_nameserver = sa.Column(sa.String(255))
    apiserver_port = sa.Column(sa.Integer)
    docker_volume_size = sa.Column(sa.Integer)
    docker_storage_driver = sa.Column(sa.String(255))
    cluster_distro = sa.Column(sa.String(255))
    coe = sa.Column(sa.String(255))
    http_proxy = sa.Column(sa.String(255))
    https_proxy = sa.Column(sa.String(255))
    no_proxy = sa.Column(sa.String(255))
    registry_enabled = sa.Column(sa.Boolean, default=False)
    labels = sa.Column(types.JSONDict())
    tls_disabled = sa.Column(sa.Boolean, default=False)
    public = sa.Column(sa.Boolean, default=False)
    server_type = sa.Column(sa.String(255))
    insecure_registry = sa.Column(sa.String(255))
    master_lb_enabled = sa.Column(sa.Boolean, default=False)
    floating_ip_enabled = sa.Column(sa.Boolean, default=True)
    hidden = sa.Column(sa.Boolean, default=False)
    tags = sa.Column(sa.String(255))
    driver = sa.Column(sa.String(255))


class Cluster(Base):
    __tablename__ = 'cluster'
    __table_args__ = (sa.UniqueConstraint('uuid', name='uniq_cluster0uuid'),
                      sa.Index('cluster_status_idx', 'status'),
                      TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255), index=True)
    user_id = sa.Column(sa.String(255))
    name = sa.Column(sa.String(255), index=True)
    cluster_template_id = sa.Column(sa.String(36), index=True)
    # The labels of the cluster's template, read in the same statement:
    # every view of a cluster shows how its labels differ from them.
    template_labels = orm.column_property(
        sa.select(ClusterTemplate.labels).where(
            ClusterTemplate.uuid == cluster_template_id).scalar_subquery())
    driver = sa.Column(sa.String(255))
    keypair = sa.Column(sa.String(255))
    docker_volume_size = sa.Column(sa.Integer)
    labels = sa.Column(types.JSONDict())
    master_flavor_id = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.String(255))
    # The backend's id for the cluster (a Heat stack id); shown as
    # stack_id before microversion 1.13 and cluster_id from it on.
    stack_id = sa.Column(sa.String(255))
    api_address = sa.Column(sa.String(255))
    status = sa.Column(sa.String(20))
    status_reason = sa.Column(sa.Text)
    # The backend's own status word, kept for debugging only.
    backend_status = sa.Column(sa.String(64))
    faults = sa.Column(types.JSONDict())
    health_status = sa.Column(sa.String(20))
    health_status_reason = sa.Column(types.JSONDict())
    create_timeout = sa.Column(sa.Integer)
    discovery_url = sa.Column(sa.String(255))
    coe_version = sa.Column(sa.String(255))
    container_version = sa.Column(sa.String(255))
    fixed_network = sa.Column(sa.String(255))
    fixed_subnet = sa.Column(sa.String(255))
    floating_ip_enabled = sa.Column(sa.Boolean, default=True)
    master_lb_enabled = sa.Column(sa.Boolean, default=False)
    # Keystone trust the conductor acts with; no password is stored.
    trust_id = sa.Column(sa.String(255))
    trustee_user_id = sa.Column(sa.String(255))
    trustee_username = sa.Column(sa.String(255))

    nodegroups = orm.relationship(
        'NodeGroup', lazy='selectin', order_by='NodeGroup.id',
        primaryjoin='Cluster.uuid == foreign(NodeGroup.cluster_id)',
        viewonly=True)

    def _groups(self, master):
        return [ng for ng in self.nodegroups
                if (ng.role == states.NODEGROUP_ROLE_MASTER) == master]

    @property
    def node_count(self):
        return sum(ng.node_count or 0 for ng in self._groups(master=False))

    @property
    def master_count(self):
        return sum(ng.node_count or 0 for ng in self._groups(master=True))

    @property
    def node_addresses(self):
        return [a for ng in self._groups(master=False)
                for a in ng.node_addresses or []]

    @property
    def master_addresses(self):
        return [a for ng in self._groups(master=True)
                for a in ng.node_addresses or []]

    def default_nodegroup(self, role):
        for ng in self.nodegroups:
            if ng.is_default and ng.role == role:
                return ng
        return None


class NodeGroup(Base):
    __tablename__ = 'nodegroup'
    __table_args__ = (sa.UniqueConstraint('uuid', name='uniq_nodegroup0uuid'),
                      sa.UniqueConstraint(
                          'cluster_id', 'name',
                          name='uniq_nodegroup0cluster_id0name'),
                      TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    cluster_id = sa.Column(sa.String(36), nullable=False, index=True)
    project_id = sa.Column(sa.String(255))
    docker_volume_size = sa.Column(sa.Integer)
    labels = sa.Column(types.JSONDict())
    flavor_id = sa.Column(sa.String(255))
    image_id = sa.Column(sa.String(255))
    node_addresses = sa.Column(types.JSONList())
    node_count = sa.Column(sa.Integer)
    role = sa.Column(sa.String(255))
    max_node_count = sa.Column(sa.Integer)
    min_node_count = sa.Column(sa.Integer, default=0)
    is_default = sa.Column(sa.Boolean, default=False)
    stack_id = sa.Column(sa.String(255))
    status = sa.Column(sa.String(20))
    status_reason = sa.Column(sa.Text)
    version = sa.Column(sa.String(20))
    node_labels = sa.Column(types.JSONDict())
    node_taints = sa.Column(types.JSONList())


class Certificate(Base):
    """A cluster CA; its private key is stored encrypted by the caller."""

    __tablename__ = 'certificate'
    __table_args__ = (
        sa.UniqueConstraint('cluster_uuid', 'ca_cert_type',
                            name='uniq_certificate0cluster_uuid0ca_cert_type'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    cluster_uuid = sa.Column(sa.String(36), nullable=False)
    ca_cert_type = sa.Column(sa.String(32), nullable=False)
    certificate = sa.Column(sa.Text, nullable=False)
    private_key = sa.Column(sa.Text, nullable=False)
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))


class Service(Base):
    """A conductor process, known by its heartbeats."""

    __tablename__ = 'service'
    __table_args__ = (sa.UniqueConstraint('host', 'binary',
                                          name='uniq_service0host0binary'),
                      TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    host = sa.Column(sa.String(255))
    binary = sa.Column(sa.String(255))
    disabled = sa.Column(sa.Boolean, default=False)
    disabled_reason = sa.Column(sa.String(255))
    last_seen_up = sa.Column(sa.DateTime)
    forced_down = sa.Column(sa.Boolean, default=False)
    report_count = sa.Column(sa.Integer, nullable=False, default=0)


class Quota(Base):
    __tablename__ = 'quota'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quota0project_id0resource'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255))
    hard_limit = sa.Column(sa.Integer)


class Federation(Base):
    __tablename__ = 'federation'
    __table_args__ = (sa.UniqueConstraint('uuid',
                                          name='uniq_federation0uuid'),
                      TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255), index=True)
    name = sa.Column(sa.String(255))
    hostcluster_id = sa.Column(sa.String(255))
    member_ids = sa.Column(types.JSONList())
    status = sa.Column(sa.String(20))
    status_reason = sa.Column(sa.Text)
    properties = sa.Column(types.JSONDict())


class Container(Base):
    """A container run on a Swarm cluster's node for a project.

    `host` is the node it was placed on and `container_id` the id its
    node's Docker engine gave it; together they reach it again.
    """

    __tablename__ = 'container'
    __table_args__ = (sa.UniqueConstraint('uuid', name='uniq_container0uuid'),
                      TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255), index=True)
    user_id = sa.Column(sa.String(255))
    name = sa.Column(sa.String(255), index=True)
    image = sa.Column(sa.String(255))
    # A string (split as a shell would) or a list of arguments.
    command = sa.Column(types.JSONEncoded())
    environment = sa.Column(types.JSONDict())
    memory = sa.Column(sa.String(255))
    cluster_uuid = sa.Column(sa.String(36), index=True)
    host = sa.Column(sa.String(255))
    container_id = sa.Column(sa.String(255))
    status = sa.Column(sa.String(20))
    status_reason = sa.Column(sa.Text)
