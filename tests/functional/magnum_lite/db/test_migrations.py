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

"""Migrations from an empty database on SQLite, MariaDB and PostgreSQL.

Each backend is migrated to head, checked against the models (a model
change without a migration fails here), and exercised through the database
API, including the compare-and-swap that answers 409 on races.
"""

import concurrent.futures

from alembic import autogenerate
from alembic import migration as alembic_migration
import pytest

from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import states
from magnum_lite.db import api as db_api
from magnum_lite.db import migration
from magnum_lite.db.sqlalchemy import enginefacade_setup
from magnum_lite.db.sqlalchemy import models
from tests.harness import backends
from tests.harness import database as db_fixture

BACKENDS = ['sqlite', 'mysql', 'postgresql']


@pytest.fixture(params=BACKENDS)
def migrated(request, tmp_path):
    with backends.scratch_database(request.param, tmp_path) as url:
        db_fixture.use_database(url)
        try:
            assert migration.version() is None
            migration.upgrade('head')
            yield request.param
        finally:
            db_fixture.release()


def _schema_differences():
    engine = enginefacade_setup.writer_engine()
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'compare_type': True,
                              'compare_server_default': False})
        return autogenerate.compare_metadata(context, models.Base.metadata)


def test_upgrade_reaches_head(migrated):
    assert migration.version() == migration.head()


def test_models_match_migrations(migrated):
    assert _schema_differences() == []


def test_upgrade_twice_is_a_no_op(migrated):
    migration.upgrade('head')
    assert migration.version() == migration.head()


def test_api_round_trip_and_race(migrated):
    dbapi = db_api.get_instance()
    context = ml_context.RequestContext(project_id='p1', user_id='u1')
    template = dbapi.create_cluster_template(
        {'name': 't', 'coe': 'kubernetes', 'project_id': 'p1',
         'labels': {'unicode': 'κ8s', 'n': 1}})
    cluster = dbapi.create_cluster(
        {'name': 'c', 'project_id': 'p1', 'status': states.CREATE_COMPLETE,
         'cluster_template_id': template.uuid, 'faults': {}},
        [{'name': 'default-worker', 'role': 'worker', 'node_count': 2,
          'is_default': True, 'node_addresses': ['192.0.2.1']}])
    assert dbapi.get_cluster_by_name(context, 'c').node_addresses == [
        '192.0.2.1']
    assert dbapi.get_cluster_template_by_uuid(
        context, template.uuid).labels == {'unicode': 'κ8s', 'n': 1}

    def attempt(_):
        try:
            dbapi.update_cluster(cluster.uuid,
                                 {'status': states.UPDATE_IN_PROGRESS},
                                 expected_status=(states.CREATE_COMPLETE,))
            return True
        except exception.OperationInProgress:
            return False

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        wins = list(pool.map(attempt, range(8)))
    assert wins.count(True) == 1
    dbapi.destroy_cluster(cluster.uuid)
    assert dbapi.get_cluster_list(context) == []


def test_destroys_keep_their_checks_in_one_transaction(migrated):
    dbapi = db_api.get_instance()
    context = ml_context.RequestContext(project_id='p1', user_id='u1')
    template = dbapi.create_cluster_template(
        {'name': 't', 'coe': 'kubernetes', 'project_id': 'p1'})
    cluster = dbapi.create_cluster(
        {'name': 'c', 'project_id': 'p1', 'status': states.CREATE_COMPLETE,
         'cluster_template_id': template.uuid},
        [{'name': 'default-worker', 'role': 'worker', 'node_count': 1,
          'is_default': True}])
    dbapi.create_certificate({'cluster_uuid': cluster.uuid,
                              'ca_cert_type': 'kubernetes',
                              'certificate': 'pem', 'private_key': 'enc'})
    with pytest.raises(exception.ClusterTemplateReferenced):
        dbapi.destroy_cluster_template(template.uuid)
    assert dbapi.get_cluster_template_by_uuid(context, template.uuid)
    dbapi.destroy_cluster(cluster.uuid)
    assert dbapi.list_cluster_nodegroups(context, cluster.uuid) == []
    with pytest.raises(exception.CertificateNotFound):
        dbapi.get_certificate(cluster.uuid, 'kubernetes')
    dbapi.destroy_cluster_template(template.uuid)
    with pytest.raises(exception.ClusterNotFound):
        dbapi.destroy_cluster(cluster.uuid)
    with pytest.raises(exception.ClusterTemplateNotFound):
        dbapi.destroy_cluster_template(template.uuid)
