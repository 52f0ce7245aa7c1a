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

"""No request is a 5xx, and every answer is what the description says.

Schemathesis generates requests for every operation of
doc/source/api/openapi.yaml (valid ones, and ones that break the schema)
and sends them to the real WSGI application over a real SQLite database
holding a template, a cluster and a nodegroup, so identifiers sometimes
hit real objects. Kept to a bounded number of examples per operation.
"""

import os
import shutil
import tempfile

import hypothesis
import pytest
import schemathesis
from schemathesis.specs.openapi import checks

from magnum_lite.api import app as api_app
from magnum_lite.common import policy
from magnum_lite.common import states
from magnum_lite.db import api as db_api
from tests.harness import database as db_fixture
from tests.harness import pecan_app

OPENAPI = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..',
                       'doc', 'source', 'api', 'openapi.yaml')

schema = schemathesis.openapi.from_path(OPENAPI)


def _scratch_directory(tmp_path_factory):
    # Thousands of small commits: on tmpfs they cost no disk syncs, which
    # keeps the run bounded on a busy machine.
    if os.path.isdir('/dev/shm') and os.access('/dev/shm', os.W_OK):
        return tempfile.mkdtemp(prefix='magnum-lite-fuzz-', dir='/dev/shm')
    return str(tmp_path_factory.mktemp('fuzz'))


@pytest.fixture(scope='module')
def wsgi_app(tmp_path_factory):
    directory = _scratch_directory(tmp_path_factory)
    db_fixture.fresh_sqlite_database(directory)
    pecan_app.CONF([], project='magnum_lite', default_config_files=[])
    pecan_app.CONF.set_override('auth_strategy', 'noauth', group='api')
    policy.reset()
    saved = pecan_app.loader._drivers
    pecan_app.loader._drivers = pecan_app.loader._Registry(
        {'fake': pecan_app.FakeDriver()})
    wsgi_app = api_app.setup_app(rpcapi=pecan_app.FakeConductor())
    seed = pecan_app.Api(wsgi_app, None, db_api.get_instance())
    template = seed.make_template()
    uuid = seed.make_cluster(template['uuid'], status=states.CREATE_COMPLETE)
    seed.set_cluster(uuid, api_address='https://10.0.0.5:6443')
    yield wsgi_app
    pecan_app.loader._drivers = saved
    pecan_app.CONF.clear_override('auth_strategy', group='api')
    db_fixture.release()
    shutil.rmtree(directory, ignore_errors=True)


@schema.parametrize()
@hypothesis.settings(
    max_examples=4, deadline=None, derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
def test_no_server_errors(case, wsgi_app):
    response = case.call(app=wsgi_app)
    assert response.status_code < 500, (
        case.method, case.formatted_path, case.body, response.text)
    if response.status_code >= 400:
        assert 'errors' in response.json(), response.text
    # The description is accurate: documented status codes, content types
    # and bodies.
    case.validate_response(response, checks=[
        checks.status_code_conformance, checks.content_type_conformance,
        checks.response_schema_conformance])
