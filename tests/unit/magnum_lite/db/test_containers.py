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

"""Container rows: visibility, lookups, compare-and-swap, paging."""

import pytest

from magnum_lite.common import exception
from magnum_lite.common import states
from tests.harness import contexts


def _container(dbapi, name='web', project_id='project-a', **values):
    return dbapi.create_container(dict({
        'name': name, 'project_id': project_id, 'user_id': 'user-a',
        'image': 'busybox', 'command': ['sleep', '60'],
        'environment': {'A': '1'}, 'memory': '64m',
        'cluster_uuid': 'c' * 36, 'status': states.CONTAINER_CREATING},
        **values))


def test_create_and_find_by_uuid_and_name(database, context):
    row = _container(database)
    assert database.get_container_by_uuid(context, row.uuid).name == 'web'
    found = database.get_container_by_name(context, 'web')
    assert found.uuid == row.uuid
    assert found.command == ['sleep', '60']
    assert found.environment == {'A': '1'}


def test_command_may_be_a_string(database, context):
    row = _container(database, command='echo hi')
    assert database.get_container_by_uuid(context,
                                          row.uuid).command == 'echo hi'


def test_other_projects_containers_are_invisible(database):
    row = _container(database)
    other = contexts.make_context(project_id='project-b')
    with pytest.raises(exception.ContainerNotFound):
        database.get_container_by_uuid(other, row.uuid)
    with pytest.raises(exception.ContainerNotFound):
        database.get_container_by_name(other, 'web')
    assert database.get_container_list(other) == []
    admin = contexts.make_context(project_id='x', is_admin=True,
                                  all_tenants=True)
    assert [c.uuid for c in database.get_container_list(admin)] == [row.uuid]


def test_a_shared_name_is_ambiguous(database, context):
    _container(database)
    _container(database)
    with pytest.raises(exception.Conflict):
        database.get_container_by_name(context, 'web')


def test_duplicate_uuid_is_a_conflict(database):
    row = _container(database)
    with pytest.raises(exception.ContainerAlreadyExists):
        _container(database, uuid=row.uuid)


def test_status_compare_and_swap(database):
    row = _container(database, status=states.CONTAINER_RUNNING)
    updated = database.update_container(
        row.uuid, {'status': states.CONTAINER_STOPPED},
        expected_status=(states.CONTAINER_RUNNING,))
    assert updated.status == states.CONTAINER_STOPPED
    with pytest.raises(exception.OperationInProgress) as caught:
        database.update_container(
            row.uuid, {'status': states.CONTAINER_PAUSED},
            expected_status=(states.CONTAINER_RUNNING,))
    assert 'Stopped' in str(caught.value)
    with pytest.raises(exception.ContainerNotFound):
        database.update_container('0' * 36, {'status': 'Running'})


def test_destroy(database, context):
    row = _container(database)
    database.destroy_container(row.uuid)
    with pytest.raises(exception.ContainerNotFound):
        database.get_container_by_uuid(context, row.uuid)
    with pytest.raises(exception.ContainerNotFound):
        database.destroy_container(row.uuid)


def test_list_filters_and_pages(database, context):
    rows = [_container(database, name='n%d' % i, host='node-%d' % (i % 2))
            for i in range(5)]
    on_node_0 = database.get_container_list(context,
                                            filters={'host': 'node-0'})
    assert [r.name for r in on_node_0] == ['n0', 'n2', 'n4']
    page = database.get_container_list(context, limit=2,
                                       marker=rows[1].uuid)
    assert [r.name for r in page] == ['n2', 'n3']
    with pytest.raises(exception.InvalidParameterValue):
        database.get_container_list(context, sort_key='nope')
