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

"""Schema migrations with Alembic."""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration

from magnum_lite.common import exception
from magnum_lite.db.sqlalchemy import enginefacade_setup

_ALEMBIC_INI = os.path.join(os.path.dirname(__file__), 'sqlalchemy',
                            'alembic.ini')


def _config(connection=None):
    config = alembic_config.Config(_ALEMBIC_INI)
    config.set_main_option('script_location', os.path.join(
        os.path.dirname(_ALEMBIC_INI), 'alembic'))
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def upgrade(revision='head'):
    engine = enginefacade_setup.writer_engine()
    with engine.begin() as connection:
        alembic_command.upgrade(_config(connection), revision or 'head')


def version():
    """The revision the database is at, or None for an empty database."""
    engine = enginefacade_setup.writer_engine()
    with engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(
            connection).get_current_revision()


def head():
    from alembic import script
    return script.ScriptDirectory.from_config(_config()).get_current_head()


def check_schema():
    """Raise DatabaseNotMigrated unless the database is at the head.

    A service started on a database behind (or ahead of) its code would
    fail every request on a missing table or column; it says so instead.
    """
    current, wanted = version(), head()
    if current != wanted:
        raise exception.DatabaseNotMigrated(
            current=current or 'none (an empty database)', head=wanted)


def revision(message=None, autogenerate=False):
    engine = enginefacade_setup.writer_engine()
    with engine.begin() as connection:
        return alembic_command.revision(_config(connection), message=message,
                                        autogenerate=autogenerate)
