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

"""The one oslo.db transaction context of the process.

It is built on first use from [database], so the console scripts and the
tests can set the connection before anything touches the database. With no
connection configured, SQLite in the state directory is used.
"""

import os
import threading

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from magnum_lite import conf as ml_conf
from magnum_lite.conf import database

CONF = ml_conf.CONF

_lock = threading.Lock()
_context_manager = None
# enginefacade keeps the session of a transaction on this object; one per
# thread, so nested reader/writer blocks in a thread share a transaction.
_session_holder = threading.local()


def connection_url():
    return CONF.database.connection or database.default_connection(CONF)


def _enable_sqlite_wal(engine):
    # WAL lets the API read while the conductor writes when both share one
    # SQLite file (the all-in-one mode), instead of "database is locked".
    # The journal mode is a property of the file, set once; the busy
    # timeout is per connection, and oslo.db opens one per session.
    # (On the raw connection: oslo.db opens a transaction on every
    # SQLAlchemy one, and the journal mode cannot change inside one.)
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute('PRAGMA journal_mode=WAL')
    finally:
        raw.close()

    @sa.event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA busy_timeout=30000')
        cursor.close()


def context_manager():
    global _context_manager
    with _lock:
        if _context_manager is None:
            url = connection_url()
            if url.startswith('sqlite:///'):
                directory = os.path.dirname(url[len('sqlite:///'):])
                if directory:
                    os.makedirs(directory, exist_ok=True)
            manager = enginefacade.transaction_context()
            options = dict(CONF.database.items())
            options['connection'] = url
            options.pop('slave_connection', None)
            manager.configure(**{k: v for k, v in options.items()
                                 if k in _CONFIGURABLE})
            if url.startswith('sqlite'):
                _enable_sqlite_wal(manager.writer.get_engine())
            _context_manager = manager
        return _context_manager


# The [database] options enginefacade.configure() accepts.
_CONFIGURABLE = frozenset((
    'connection', 'sqlite_fk', 'sqlite_synchronous', 'mysql_sql_mode',
    'mysql_wsrep_sync_wait', 'mysql_enable_ndb', 'connection_recycle_time',
    'connection_debug', 'max_pool_size', 'max_overflow', 'pool_timeout',
    'connection_trace', 'max_retries', 'retry_interval',
    'connection_parameters'))


def reset():
    """Forget the engine; the next use builds one from [database] again."""
    global _context_manager
    with _lock:
        if _context_manager is not None:
            try:
                _context_manager.writer.get_engine().dispose()
            except Exception:  # nothing to dispose of when never started
                pass
        _context_manager = None


def writer_engine():
    return context_manager().writer.get_engine()


def writer():
    return context_manager().writer.using(_session_holder)


def reader():
    return context_manager().reader.using(_session_holder)
