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

"""The paste pipeline: healthcheck, request ids, keystone's public routes."""

from keystonemiddleware import auth_token  # noqa: F401  (its options)
import pytest
import webtest

from magnum_lite.api import app as api_app
from magnum_lite.api import wsgi
from tests.harness import pecan_app


@pytest.fixture
def pipeline(api):
    def load(strategy):
        pecan_app.CONF.set_override('auth_strategy', strategy, group='api')
        return webtest.TestApp(api_app.load_app())
    yield load
    pecan_app.CONF.clear_override('auth_strategy', group='api')


def test_noauth_pipeline(pipeline):
    app = pipeline('noauth')
    assert app.get('/healthcheck').status_int == 200
    response = app.get('/v1/clusters')
    assert response.json == {'clusters': []}
    assert response.headers['X-OpenStack-Request-Id'].startswith('req-')


def test_keystone_pipeline_serves_version_documents_without_a_token(
        pipeline):
    # keystonemiddleware names where to authenticate in its 401.
    pecan_app.CONF.set_override('www_authenticate_uri', 'http://keystone/v3',
                                group='keystone_authtoken')
    app = pipeline('keystone')
    assert app.get('/').json['versions'][0]['id'] == 'v1'
    assert app.get('/v1').json['id'] == 'v1'
    assert app.get('/v1/').json['id'] == 'v1'
    assert app.get('/healthcheck').status_int == 200
    response = app.get('/v1/clusters', expect_errors=True)
    assert response.status_int == 401
    pecan_app.CONF.clear_override('www_authenticate_uri',
                                  group='keystone_authtoken')


def test_wsgi_entry_point_uses_the_parsed_configuration(pipeline):
    pecan_app.CONF.set_override('auth_strategy', 'noauth', group='api')
    app = webtest.TestApp(wsgi.init_application())
    assert app.get('/v1/clustertemplates').json == {'clustertemplates': []}


def test_packaged_paste_file_is_found():
    # A name found in no configuration folder, whatever this host has in
    # /etc/magnum_lite: the packaged file is the fallback.
    pecan_app.CONF([], project='magnum_lite', default_config_files=[])
    pecan_app.CONF.set_override('api_paste_config', 'no-such-paste.ini',
                                group='api')
    try:
        assert api_app.paste_config_path() == \
            api_app.PACKAGED_PASTE_CONFIG
    finally:
        pecan_app.CONF.clear_override('api_paste_config', group='api')
