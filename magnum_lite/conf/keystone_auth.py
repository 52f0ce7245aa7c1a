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

"""The [keystone_auth] group: keystoneauth's session and auth plugin options.

The conductor acts with them for the service user, trusts and Heat.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

KEYSTONE_AUTH_GROUP = 'keystone_auth'


def keystone_auth_url(conf):
    """[keystone_auth] auth_url, or None when no auth plugin is set.

    keystoneauth registers a plugin's options (auth_url among them) only
    once the plugin is known, so they are registered here first.
    """
    group = conf[KEYSTONE_AUTH_GROUP]
    if not group.auth_type:
        return None
    loader = ks_loading.get_plugin_loader(group.auth_type)
    try:
        conf.register_opts(ks_loading.get_auth_plugin_conf_options(loader),
                           group=KEYSTONE_AUTH_GROUP)
    except cfg.DuplicateOptError:
        pass
    return conf[KEYSTONE_AUTH_GROUP].get('auth_url')


def register_opts(conf):
    ks_loading.register_session_conf_options(conf, KEYSTONE_AUTH_GROUP)
    ks_loading.register_auth_conf_options(conf, KEYSTONE_AUTH_GROUP)


def list_opts():
    # The password plugin's options are listed so the sample shows them;
    # another plugin's are registered once it is chosen (see above).
    keystone_opts = (ks_loading.get_session_conf_options() +
                     ks_loading.get_auth_common_conf_options() +
                     ks_loading.get_auth_plugin_conf_options('password'))
    return {KEYSTONE_AUTH_GROUP: keystone_opts}
