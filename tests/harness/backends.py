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

"""Throw-away databases on this machine's real MariaDB and PostgreSQL."""

import contextlib
import uuid

import sqlalchemy as sa

from tests.harness import services

_ADMIN_URLS = {
    'sqlite': None,
    'mysql': services.require_mariadb,
    'postgresql': services.require_postgresql,
}


@contextlib.contextmanager
def scratch_database(backend, tmp_path):
    """Yields the URL of an empty database, dropped afterwards."""
    if backend == 'sqlite':
        yield 'sqlite:///%s' % (tmp_path / 'scratch.sqlite')
        return
    admin_url = _ADMIN_URLS[backend]()
    name = 'ml_%s' % uuid.uuid4().hex[:12]
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    try:
        with admin.connect() as connection:
            connection.execute(sa.text('CREATE DATABASE %s' % name))
        url = sa.engine.make_url(admin_url).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            if backend == 'postgresql':
                # Connections of the test may linger in the pool.
                connection.execute(sa.text(
                    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                    "WHERE datname = '%s' AND pid <> pg_backend_pid()"
                    % name))
            connection.execute(sa.text('DROP DATABASE IF EXISTS %s' % name))
        admin.dispose()
