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

"""Column types shared by the models and the migrations."""

import json

import sqlalchemy as sa
from sqlalchemy.dialects import mysql


class JSONEncoded(sa.types.TypeDecorator):
    """A dict or list stored as JSON text.

    Plain text (LONGTEXT on MySQL) rather than the native JSON types, so one
    schema serves SQLite, MariaDB and PostgreSQL alike and values round-trip
    byte for byte.
    """

    impl = sa.Text().with_variant(mysql.LONGTEXT(), 'mysql')
    cache_ok = True

    def __init__(self, empty=None, **kwargs):
        # `empty` is what NULL reads back as ({} for dicts, [] for lists);
        # None keeps NULL as None.
        self.empty = empty
        super().__init__(**kwargs)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return json.dumps(value, sort_keys=True)

    def process_result_value(self, value, dialect):
        if value is None:
            return self.empty() if callable(self.empty) else self.empty
        return json.loads(value)


def JSONDict():
    return JSONEncoded(empty=dict)


def JSONList():
    return JSONEncoded(empty=list)
