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

"""The database interface and its SQLAlchemy backend cannot drift apart."""

import inspect

import pytest

from magnum_lite.db import api as db_api
from magnum_lite.db.sqlalchemy import api as sqlalchemy_api


def _public_methods(cls):
    return sorted(name for name, member in inspect.getmembers(cls)
                  if not name.startswith('_') and callable(member))


BACKEND_METHODS = _public_methods(sqlalchemy_api.Connection)


def test_the_backend_is_the_interface():
    assert issubclass(sqlalchemy_api.Connection, db_api.Connection)
    assert not sqlalchemy_api.Connection.__abstractmethods__


def test_the_interface_declares_only_what_the_backend_offers():
    assert _public_methods(db_api.Connection) == BACKEND_METHODS
    assert sorted(db_api.Connection.__abstractmethods__) == BACKEND_METHODS


@pytest.mark.parametrize('name', BACKEND_METHODS)
def test_every_backend_method_is_declared_and_documented(name):
    declared = getattr(db_api.Connection, name, None)
    assert declared is not None, '%s is not in db.api.Connection' % name
    assert name in db_api.Connection.__abstractmethods__
    assert inspect.getdoc(declared), '%s has no docstring' % name
    assert (inspect.signature(declared) ==
            inspect.signature(getattr(sqlalchemy_api.Connection, name)))


def test_get_instance_gives_the_interface(database):
    assert isinstance(database, db_api.Connection)
    assert db_api.get_instance() is database
