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

"""Entry point of the database layer.

Callers get the backend with get_instance(); the functions it offers are
documented in doc/source/contributor/internals.rst.
"""

import threading

_lock = threading.Lock()
_instance = None


def get_instance():
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
