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

"""Fixtures shared by magnum-lite's unit tests."""

import pytest

from magnum_lite.common import context as ml_context
from magnum_lite.db import api as db_api
from tests.harness import contexts
from tests.harness import database as db_fixture


@pytest.fixture
def database(tmp_path):
    """The database API over a freshly migrated SQLite file."""
    db_fixture.fresh_sqlite_database(str(tmp_path))
    yield db_api.get_instance()
    db_fixture.release()


@pytest.fixture
def context():
    return contexts.make_context()


@pytest.fixture
def admin_context():
    return ml_context.make_admin_context()
