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

"""How the conductor reaches Heat: with or without Keystone."""

from keystoneauth1 import identity
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import noauth
import pytest

from magnum_lite import conf as ml_conf
from magnum_lite.conf import keystone_auth as keystone_auth_conf
from magnum_lite.drivers.heat import client

CONF = ml_conf.CONF
ENDPOINT = 'http://127.0.0.1:8004/v1/admin'
KEYSTONE = {'auth_url': 'http://keystone/v3', 'username': 'magnum-lite',
            'password': 'secret', 'project_name': 'service', 'user_domain_name': 'Default',
            'project_domain_name': 'Default'}


@pytest.fixture
def heat_conf_of():
    """Sets [heat_client] and [keystone_auth] as a configuration would."""
    touched = []
    group = keystone_auth_conf.KEYSTONE_AUTH_GROUP
    plugin_was_registered = 'auth_url' in CONF[group]

    def override(name, value, group):
        CONF.set_override(name, value, group=group)
        touched.append((name, group))

    def configure(endpoint=None, heat_noauth=False, keystone=False):
        override('endpoint_override', endpoint, 'heat_client')
        override('noauth', heat_noauth, 'heat_client')
        if keystone:
            override('auth_type', 'password', keystone_auth_conf.KEYSTONE_AUTH_GROUP)
            # The password plugin's options exist once the type is known.
            keystone_auth_conf.keystone_auth_url(CONF)
            for name, value in KEYSTONE.items():
                override(name, value, keystone_auth_conf.KEYSTONE_AUTH_GROUP)
    yield configure
    for name, option_group in touched:
        CONF.clear_override(name, group=option_group)
    if not plugin_was_registered and 'auth_url' in CONF[group]:
        # The password plugin's options include a required auth_url: left
        # registered, every later parse of CONF fails. oslo.config only
        # unregisters from an unparsed CONF; later tests parse it again.
        CONF.clear()
        CONF.unregister_opts(ks_loading.get_auth_plugin_conf_options(
            ks_loading.get_plugin_loader('password')), group=group)


@pytest.mark.parametrize('endpoint, heat_noauth, keystone, unauthenticated', [
    # The all-in-one without Keystone anywhere.
    (ENDPOINT, False, False, True),
    # The all-in-one's Heat behind an API in keystone mode.
    (ENDPOINT, True, True, True),
    # A Keystone Heat named by its endpoint.
    (ENDPOINT, False, True, False),
    # A Keystone Heat from the catalog; noauth needs an endpoint.
    (None, False, True, False),
    (None, True, True, False),
])
def test_noauth_and_global_lists(heat_conf_of, endpoint, heat_noauth,
                                 keystone, unauthenticated):
    heat_conf_of(endpoint, heat_noauth, keystone)
    heat = client.get_client()
    auth = heat.http_client.session.auth
    if unauthenticated:
        assert isinstance(auth, noauth.NoAuth)
    else:
        # The service user's password (no context, no trust here).
        assert isinstance(auth, identity.Password)
    # A Heat without Keystone has one project and refuses global lists.
    assert client.lists_all_projects() is (not unauthenticated)
    assert heat.http_client.endpoint_override == endpoint
