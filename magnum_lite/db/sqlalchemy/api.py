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

"""The SQLAlchemy implementation of the database API.

Every write is one transaction retried on deadlock; status changes that
start an operation are compare-and-swap updates, so two requests racing on
one cluster cannot both win.
"""

import datetime

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import utils as db_utils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy import orm

from magnum_lite.common import exception
from magnum_lite.db import api as db_api
from magnum_lite.db.sqlalchemy import enginefacade_setup as facade
from magnum_lite.db.sqlalchemy import models

_retry_on_deadlock = oslo_db_api.wrap_db_retry(max_retries=5,
                                               retry_on_deadlock=True)

_SORT_DIRS = ('asc', 'desc')


def _paginate(session, query, model, limit=None, marker=None,
              sort_key=None, sort_dir=None, marker_column='uuid'):
    sort_key = sort_key or 'id'
    sort_dir = sort_dir or 'asc'
    if sort_dir not in _SORT_DIRS:
        raise exception.InvalidParameterValue(
            err='Invalid sort direction: %s. Acceptable values are '
                "'asc' or 'desc'" % sort_dir)
    if sort_key not in model.__table__.columns:
        raise exception.InvalidParameterValue(
            err='The sort_key value "%s" is an invalid field for '
                'sorting' % sort_key)
    marker_row = None
    if marker is not None:
        marker_row = session.query(model).filter(
            getattr(model, marker_column) == marker).first()
        if marker_row is None:
            raise exception.InvalidParameterValue(
                err='The marker %s could not be found.' % marker)
    sort_keys = [sort_key] if sort_key == 'id' else [sort_key, 'id']
    try:
        query = db_utils.paginate_query(query, model, limit, sort_keys,
                                        marker=marker_row,
                                        sort_dir=sort_dir)
    except db_exc.InvalidSortKey:
        raise exception.InvalidParameterValue(
            err='The sort_key value "%s" is an invalid field for '
                'sorting' % sort_key)
    return query.all()


def _apply_filters(query, model, filters, allowed):
    for key, value in (filters or {}).items():
        if key not in allowed or value is None:
            continue
        column = getattr(model, key)
        if isinstance(value, (list, tuple, set, frozenset)):
            query = query.filter(column.in_(list(value)))
        else:
            query = query.filter(column == value)
    return query


def _project_scope(query, model, context):
    if context.all_tenants:
        return query
    return query.filter(model.project_id == context.project_id)


def _only_one(rows, value, not_found, noun):
    """The one row a name, uuid or id named: 404 without, 409 when several."""
    if not rows:
        raise not_found
    if len(rows) > 1:
        raise exception.Conflict(
            'Multiple %ss exist with the same name %s. Please use the %s '
            'uuid instead.' % (noun, value, noun))
    return rows[0]


def _scoped_list(model, context, filters, allowed, limit, marker, sort_key,
                 sort_dir, marker_column='uuid'):
    """A page of the rows of `model` the caller may see, filtered."""
    with facade.reader() as session:
        query = _project_scope(session.query(model), model, context)
        query = _apply_filters(query, model, filters, allowed)
        return _paginate(session, query, model, limit, marker, sort_key,
                         sort_dir, marker_column=marker_column)


def _compare_and_swap(model, where, values, expected_status, not_found,
                      resource):
    """Update the row matching `where`, only if its status is expected.

    The status test and the write are one UPDATE, so of two requests
    racing on one row exactly one wins; the other gets 409
    (OperationInProgress), or `not_found` when the row does not exist.
    """
    with facade.writer() as session:
        query = session.query(model).filter_by(**where)
        if expected_status is not None:
            query = query.filter(model.status.in_(list(expected_status)))
        values.setdefault('updated_at', timeutils.utcnow())
        if query.update(values, synchronize_session=False):
            return
        current = session.query(model.name, model.status).filter_by(
            **where).first()
        if current is None:
            raise not_found
        raise exception.OperationInProgress(
            resource=resource, name=current.name or where['uuid'],
            status=current.status)


def _find(model, context, column, value, not_found, noun):
    """The row of `model` whose `column` is `value`, in the caller's scope.

    No context (the conductor) sees every project.
    """
    with facade.reader() as session:
        query = session.query(model)
        if context is not None:
            query = _project_scope(query, model, context)
        rows = query.filter(getattr(model, column) == value).limit(2).all()
    return _only_one(rows, value, not_found, noun)


def _delete(model, where, not_found):
    """Delete the rows of `model` matching `where`; `not_found` if none.

    Inside a caller's writer block this joins its transaction, so the
    caller's other work and the delete commit or fail together.
    """
    with facade.writer() as session:
        if not session.query(model).filter_by(**where).delete():
            raise not_found


def _insert(model, values, already_exists):
    """Add one row, with a new uuid unless one is given.

    `already_exists(values)` is raised when a unique constraint refuses it.
    """
    values = dict(values)
    if 'uuid' in model.__table__.columns:
        values.setdefault('uuid', uuidutils.generate_uuid())
    row = model()
    row.update(values)
    try:
        with facade.writer() as session:
            session.add(row)
            session.flush()
    except db_exc.DBDuplicateEntry:
        raise already_exists(values)
    return row


class Connection(db_api.Connection):
    """The SQLAlchemy backend of magnum_lite.db.api.Connection.

    Each method's contract is documented there, not here.
    """

    # -- cluster templates ---------------------------------------------

    _TEMPLATE_FILTERS = ('name', 'image_id', 'flavor_id', 'master_flavor_id',
                         'keypair_id', 'external_network_id',
                         'dns_nameserver', 'project_id', 'user_id', 'coe',
                         'public', 'hidden', 'server_type', 'driver')

    @staticmethod
    def _template_scope(query, context):
        if context.all_tenants:
            return query
        # Own templates, and other projects' public ones unless hidden.
        return query.filter(sa.or_(
            models.ClusterTemplate.project_id == context.project_id,
            sa.and_(models.ClusterTemplate.public.is_(True),
                    sa.or_(models.ClusterTemplate.hidden.is_(False),
                           models.ClusterTemplate.hidden.is_(None)))))

    def get_cluster_template_list(self, context, filters=None, limit=None,
                                  marker=None, sort_key=None, sort_dir=None):
        with facade.reader() as session:
            query = self._template_scope(
                session.query(models.ClusterTemplate), context)
            query = _apply_filters(query, models.ClusterTemplate, filters,
                                   self._TEMPLATE_FILTERS)
            return _paginate(session, query, models.ClusterTemplate, limit,
                             marker, sort_key, sort_dir)

    def _get_template(self, context, column, value):
        with facade.reader() as session:
            query = self._template_scope(
                session.query(models.ClusterTemplate), context)
            rows = query.filter(
                getattr(models.ClusterTemplate, column) == value).limit(
                    2).all()
        return _only_one(
            rows, value,
            exception.ClusterTemplateNotFound(clustertemplate=value),
            'ClusterTemplate')

    def get_cluster_template_by_id(self, context, template_id):
        return self._get_template(context, 'id', template_id)

    def get_cluster_template_by_uuid(self, context, uuid):
        return self._get_template(context, 'uuid', uuid)

    def get_cluster_template_by_name(self, context, name):
        return self._get_template(context, 'name', name)

    @_retry_on_deadlock
    def create_cluster_template(self, values):
        return _insert(models.ClusterTemplate, values,
                       lambda v: exception.ClusterTemplateAlreadyExists(uuid=v['uuid']))

    # A template in use may only be renamed or have its visibility changed:
    # the clusters built from it must keep meaning what they meant.
    _TEMPLATE_IN_USE_MUTABLE = frozenset(('name', 'public', 'hidden'))

    @staticmethod
    def _template_in_use(session, uuid):
        return session.query(models.Cluster.id).filter_by(
            cluster_template_id=uuid).first() is not None

    @_retry_on_deadlock
    def update_cluster_template(self, uuid, values):
        values = {k: v for k, v in values.items() if k not in ('id', 'uuid')}
        with facade.writer() as session:
            row = session.query(models.ClusterTemplate).filter_by(
                uuid=uuid).with_for_update().first()
            if row is None:
                raise exception.ClusterTemplateNotFound(clustertemplate=uuid)
            changed = {k for k, v in values.items() if getattr(row, k) != v}
            if (changed - self._TEMPLATE_IN_USE_MUTABLE and
                    self._template_in_use(session, uuid)):
                raise exception.ClusterTemplateReferenced(
                    clustertemplate=uuid)
            row.update(values)
            session.flush()
            return row

    @_retry_on_deadlock
    def destroy_cluster_template(self, uuid):
        with facade.writer() as session:
            if self._template_in_use(session, uuid):
                raise exception.ClusterTemplateReferenced(
                    clustertemplate=uuid)
            _delete(models.ClusterTemplate, {'uuid': uuid},
                    exception.ClusterTemplateNotFound(clustertemplate=uuid))

    # -- clusters --------------------------------------------------------

    _CLUSTER_FILTERS = ('cluster_template_id', 'name', 'stack_id',
                        'api_address', 'project_id', 'user_id', 'status',
                        'driver', 'uuid')

    def get_cluster_list(self, context, filters=None, limit=None,
                         marker=None, sort_key=None, sort_dir=None):
        return _scoped_list(models.Cluster, context, filters,
                            self._CLUSTER_FILTERS, limit, marker, sort_key,
                            sort_dir)

    def _get_cluster(self, context, column, value):
        with facade.reader() as session:
            # One statement: the nodegroups come joined rather than by the
            # relationship's second (selectin) query.
            query = session.query(models.Cluster).options(
                orm.joinedload(models.Cluster.nodegroups))
            if context is not None:
                query = _project_scope(query, models.Cluster, context)
            rows = query.filter(getattr(models.Cluster, column) == value
                                ).limit(2).all()
        return _only_one(rows, value, exception.ClusterNotFound(cluster=value),
                         'cluster')

    def get_cluster_by_id(self, context, cluster_id):
        return self._get_cluster(context, 'id', cluster_id)

    def get_cluster_by_uuid(self, context, uuid):
        return self._get_cluster(context, 'uuid', uuid)

    def get_cluster_by_name(self, context, name):
        return self._get_cluster(context, 'name', name)

    @_retry_on_deadlock
    def create_cluster(self, values, nodegroups=()):
        values = dict(values)
        values.setdefault('uuid', uuidutils.generate_uuid())
        cluster = models.Cluster()
        cluster.update(values)
        try:
            with facade.writer() as session:
                session.add(cluster)
                for ng_values in nodegroups:
                    session.add(self._new_nodegroup(
                        dict(ng_values, cluster_id=values['uuid'],
                             project_id=ng_values.get(
                                 'project_id', values.get('project_id')))))
                session.flush()
        except db_exc.DBDuplicateEntry:
            raise exception.ClusterAlreadyExists(uuid=values['uuid'])
        return self._get_cluster(None, 'uuid', values['uuid'])

    @_retry_on_deadlock
    def update_cluster(self, uuid, values, expected_status=None):
        values = {k: v for k, v in values.items() if k not in ('id', 'uuid')}
        _compare_and_swap(models.Cluster, {'uuid': uuid}, values,
                          expected_status,
                          exception.ClusterNotFound(cluster=uuid), 'Cluster')
        return self._get_cluster(None, 'uuid', uuid)

    @_retry_on_deadlock
    def destroy_cluster(self, uuid):
        with facade.writer() as session:
            _delete(models.Cluster, {'uuid': uuid},
                    exception.ClusterNotFound(cluster=uuid))
            session.query(models.NodeGroup).filter_by(
                cluster_id=uuid).delete()
            session.query(models.Certificate).filter_by(
                cluster_uuid=uuid).delete()
            # The containers ran on the cluster's nodes, gone with it.
            session.query(models.Container).filter_by(
                cluster_uuid=uuid).delete()

    def get_cluster_count(self, context, project_id):
        with facade.reader() as session:
            return session.query(sa.func.count(models.Cluster.id)).filter(
                models.Cluster.project_id == project_id).scalar()

    def get_cluster_stats(self, context, project_id=None):
        with facade.reader() as session:
            clusters = session.query(sa.func.count(models.Cluster.id))
            nodes = session.query(
                sa.func.coalesce(sa.func.sum(models.NodeGroup.node_count),
                                 0)).join(
                models.Cluster,
                models.Cluster.uuid == models.NodeGroup.cluster_id)
            if project_id is not None:
                clusters = clusters.filter(
                    models.Cluster.project_id == project_id)
                nodes = nodes.filter(models.Cluster.project_id == project_id)
            return clusters.scalar(), int(nodes.scalar() or 0)

    # -- nodegroups ------------------------------------------------------

    _NODEGROUP_FILTERS = ('name', 'node_count', 'role', 'status',
                          'is_default', 'flavor_id', 'image_id')

    @staticmethod
    def _new_nodegroup(values):
        values = dict(values)
        values.setdefault('uuid', uuidutils.generate_uuid())
        row = models.NodeGroup()
        row.update(values)
        return row

    def list_cluster_nodegroups(self, context, cluster_uuid, filters=None,
                                limit=None, marker=None, sort_key=None,
                                sort_dir=None):
        with facade.reader() as session:
            query = _project_scope(
                session.query(models.NodeGroup).filter_by(
                    cluster_id=cluster_uuid), models.NodeGroup, context)
            query = _apply_filters(query, models.NodeGroup, filters,
                                   self._NODEGROUP_FILTERS)
            return _paginate(session, query, models.NodeGroup, limit,
                             marker, sort_key, sort_dir)

    def _get_nodegroup(self, context, cluster_uuid, column, value):
        with facade.reader() as session:
            query = session.query(models.NodeGroup).filter_by(
                cluster_id=cluster_uuid)
            if context is not None:
                query = _project_scope(query, models.NodeGroup, context)
            row = query.filter(
                getattr(models.NodeGroup, column) == value).first()
        if row is None:
            raise exception.NodeGroupNotFound(nodegroup=value)
        return row

    def get_nodegroup_by_id(self, context, cluster_uuid, nodegroup_id):
        return self._get_nodegroup(context, cluster_uuid, 'id',
                                   nodegroup_id)

    def get_nodegroup_by_uuid(self, context, cluster_uuid, uuid):
        return self._get_nodegroup(context, cluster_uuid, 'uuid', uuid)

    def get_nodegroup_by_name(self, context, cluster_uuid, name):
        return self._get_nodegroup(context, cluster_uuid, 'name', name)

    @_retry_on_deadlock
    def create_nodegroup(self, values):
        row = self._new_nodegroup(values)
        try:
            with facade.writer() as session:
                session.add(row)
                session.flush()
        except db_exc.DBDuplicateEntry:
            raise exception.NodeGroupAlreadyExists(
                name=values.get('name'), cluster_id=values.get('cluster_id'))
        return row

    @_retry_on_deadlock
    def update_nodegroup(self, cluster_uuid, uuid, values,
                         expected_status=None):
        values = {k: v for k, v in values.items()
                  if k not in ('id', 'uuid', 'cluster_id')}
        _compare_and_swap(models.NodeGroup,
                          {'cluster_id': cluster_uuid, 'uuid': uuid}, values,
                          expected_status,
                          exception.NodeGroupNotFound(nodegroup=uuid),
                          'Nodegroup')
        return self._get_nodegroup(None, cluster_uuid, 'uuid', uuid)

    @_retry_on_deadlock
    def destroy_nodegroup(self, cluster_uuid, uuid):
        _delete(models.NodeGroup, {'cluster_id': cluster_uuid, 'uuid': uuid},
                exception.NodeGroupNotFound(nodegroup=uuid))

    # -- certificates ----------------------------------------------------

    @_retry_on_deadlock
    def create_certificate(self, values):
        return _insert(models.Certificate, values,
                       lambda v: exception.Conflict(
                           'Cluster %s already has a %s CA.' % (
                               v.get('cluster_uuid'), v.get('ca_cert_type'))))

    def get_certificate(self, cluster_uuid, ca_cert_type):
        with facade.reader() as session:
            row = session.query(models.Certificate).filter_by(
                cluster_uuid=cluster_uuid, ca_cert_type=ca_cert_type).first()
        if row is None:
            raise exception.CertificateNotFound(
                cert='%s/%s' % (cluster_uuid, ca_cert_type))
        return row

    @_retry_on_deadlock
    def update_certificate(self, cluster_uuid, ca_cert_type, values):
        with facade.writer() as session:
            count = session.query(models.Certificate).filter_by(
                cluster_uuid=cluster_uuid, ca_cert_type=ca_cert_type).update(
                    dict(values, updated_at=timeutils.utcnow()),
                    synchronize_session=False)
            if not count:
                raise exception.CertificateNotFound(
                    cert='%s/%s' % (cluster_uuid, ca_cert_type))
        return self.get_certificate(cluster_uuid, ca_cert_type)

    @_retry_on_deadlock
    def destroy_cluster_certificates(self, cluster_uuid):
        with facade.writer() as session:
            session.query(models.Certificate).filter_by(
                cluster_uuid=cluster_uuid).delete()

    # -- quotas ----------------------------------------------------------

    @_retry_on_deadlock
    def create_quota(self, values):
        row = models.Quota()
        row.update(values)
        try:
            with facade.writer() as session:
                session.add(row)
                session.flush()
        except db_exc.DBDuplicateEntry:
            raise exception.QuotaAlreadyExists(
                project_id=values.get('project_id'),
                resource=values.get('resource'))
        return row

    def get_quota_by_project_id_resource(self, project_id, resource):
        with facade.reader() as session:
            row = session.query(models.Quota).filter_by(
                project_id=project_id, resource=resource).first()
        if row is None:
            raise exception.QuotaNotFound(project_id=project_id,
                                          resource=resource)
        return row

    def get_quota_list(self, context, filters=None, limit=None, marker=None,
                       sort_key=None, sort_dir=None):
        return _scoped_list(models.Quota, context, filters,
                            ('project_id', 'resource'), limit, marker,
                            sort_key, sort_dir, marker_column='id')

    @_retry_on_deadlock
    def update_quota(self, project_id, resource, values):
        values = {k: v for k, v in values.items()
                  if k in ('hard_limit',)}
        with facade.writer() as session:
            count = session.query(models.Quota).filter_by(
                project_id=project_id, resource=resource).update(
                    dict(values, updated_at=timeutils.utcnow()),
                    synchronize_session=False)
            if not count:
                raise exception.QuotaNotFound(project_id=project_id,
                                              resource=resource)
        return self.get_quota_by_project_id_resource(project_id, resource)

    @_retry_on_deadlock
    def delete_quota(self, project_id, resource):
        _delete(models.Quota, {'project_id': project_id, 'resource': resource},
                exception.QuotaNotFound(project_id=project_id,
                                        resource=resource))

    # -- federations -----------------------------------------------------

    def get_federation_list(self, context, filters=None, limit=None,
                            marker=None, sort_key=None, sort_dir=None):
        return _scoped_list(models.Federation, context, filters,
                            ('name', 'hostcluster_id', 'status',
                             'project_id'), limit, marker, sort_key,
                            sort_dir)

    def _get_federation(self, context, column, value):
        return _find(models.Federation, context, column, value,
                     exception.FederationNotFound(federation=value),
                     'federation')

    def get_federation_by_id(self, context, federation_id):
        return self._get_federation(context, 'id', federation_id)

    def get_federation_by_uuid(self, context, uuid):
        return self._get_federation(context, 'uuid', uuid)

    def get_federation_by_name(self, context, name):
        return self._get_federation(context, 'name', name)

    @_retry_on_deadlock
    def create_federation(self, values):
        return _insert(models.Federation, values,
                       lambda v: exception.FederationAlreadyExists(uuid=v['uuid']))

    @_retry_on_deadlock
    def update_federation(self, uuid, values):
        values = {k: v for k, v in values.items() if k not in ('id', 'uuid')}
        with facade.writer() as session:
            row = session.query(models.Federation).filter_by(
                uuid=uuid).first()
            if row is None:
                raise exception.FederationNotFound(federation=uuid)
            row.update(values)
            session.flush()
            return row

    @_retry_on_deadlock
    def destroy_federation(self, uuid):
        _delete(models.Federation, {'uuid': uuid},
                exception.FederationNotFound(federation=uuid))

    # -- containers ------------------------------------------------------

    _CONTAINER_FILTERS = ('name', 'image', 'cluster_uuid', 'host', 'status',
                          'project_id', 'user_id', 'uuid')

    def get_container_list(self, context, filters=None, limit=None,
                           marker=None, sort_key=None, sort_dir=None):
        return _scoped_list(models.Container, context, filters,
                            self._CONTAINER_FILTERS, limit, marker, sort_key,
                            sort_dir)

    def _get_container(self, context, column, value):
        return _find(models.Container, context, column, value,
                     exception.ContainerNotFound(container=value),
                     'container')

    def get_container_by_uuid(self, context, uuid):
        return self._get_container(context, 'uuid', uuid)

    def get_container_by_name(self, context, name):
        return self._get_container(context, 'name', name)

    @_retry_on_deadlock
    def create_container(self, values):
        return _insert(models.Container, values,
                       lambda v: exception.ContainerAlreadyExists(uuid=v['uuid']))

    @_retry_on_deadlock
    def update_container(self, uuid, values, expected_status=None):
        values = {k: v for k, v in values.items() if k not in ('id', 'uuid')}
        _compare_and_swap(models.Container, {'uuid': uuid}, values,
                          expected_status,
                          exception.ContainerNotFound(container=uuid),
                          'Container')
        return self._get_container(None, 'uuid', uuid)

    @_retry_on_deadlock
    def destroy_container(self, uuid):
        _delete(models.Container, {'uuid': uuid},
                exception.ContainerNotFound(container=uuid))

    # -- conductor services ----------------------------------------------

    def get_service_list(self, filters=None, limit=None, marker=None,
                         sort_key=None, sort_dir=None):
        with facade.reader() as session:
            query = _apply_filters(session.query(models.Service),
                                   models.Service, filters,
                                   ('host', 'binary', 'disabled'))
            return _paginate(session, query, models.Service, limit, marker,
                             sort_key, sort_dir, marker_column='id')

    def get_service_by_host_and_binary(self, host, binary):
        with facade.reader() as session:
            row = session.query(models.Service).filter_by(
                host=host, binary=binary).first()
        if row is None:
            raise exception.ServiceNotFound(service='%s/%s' % (host, binary))
        return row

    @_retry_on_deadlock
    def create_service(self, values):
        row = models.Service()
        row.update(dict({'report_count': 0}, **values))
        try:
            with facade.writer() as session:
                session.add(row)
                session.flush()
        except db_exc.DBDuplicateEntry:
            raise exception.Conflict('Service %s on %s already exists.' % (
                values.get('binary'), values.get('host')))
        return row

    @_retry_on_deadlock
    def update_service(self, service_id, values):
        with facade.writer() as session:
            count = session.query(models.Service).filter_by(
                id=service_id).update(
                    dict(values, updated_at=timeutils.utcnow()),
                    synchronize_session=False)
            if not count:
                raise exception.ServiceNotFound(service=service_id)
        with facade.reader() as session:
            return session.query(models.Service).filter_by(
                id=service_id).one()

    @_retry_on_deadlock
    def service_heartbeat(self, host, binary):
        now = timeutils.utcnow()
        with facade.writer() as session:
            count = session.query(models.Service).filter_by(
                host=host, binary=binary).update(
                    {'report_count': models.Service.report_count + 1,
                     'last_seen_up': now, 'updated_at': now},
                    synchronize_session=False)
            if not count:
                try:
                    with session.begin_nested():
                        session.add(models.Service(
                            host=host, binary=binary, report_count=1,
                            last_seen_up=now, disabled=False,
                            forced_down=False))
                except db_exc.DBDuplicateEntry:
                    # Another thread of the same service got there first.
                    pass
        return self.get_service_by_host_and_binary(host, binary)

    @_retry_on_deadlock
    def destroy_service(self, service_id):
        _delete(models.Service, {'id': service_id},
                exception.ServiceNotFound(service=service_id))


def service_is_up(service, down_time_seconds):
    """Whether a service row's last heartbeat is recent enough."""
    last = service.last_seen_up or service.updated_at or service.created_at
    if last is None or service.forced_down:
        return False
    elapsed = timeutils.utcnow() - last
    return elapsed <= datetime.timedelta(seconds=down_time_seconds)
