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

"""Options of the [heat_client] and [trust] groups."""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

heat_group = cfg.OptGroup('heat_client', title='How the conductor reaches Heat')

heat_opts = [
    cfg.StrOpt('endpoint_override',
               help='Orchestration endpoint to use instead of the service '
                    'catalog, e.g. http://127.0.0.1:8004/v1/%(project_id)s. '
                    'With [keystone_auth] auth_type unset, or with noauth, '
                    'requests go there without authentication.'),
    cfg.BoolOpt('noauth', default=False,
                help='The Heat at endpoint_override runs without Keystone '
                     '(its paste flavor is noauth, as the all-in-one\'s own '
                     'Heat): requests go there unauthenticated and stack '
                     'lists are not global, even when [keystone_auth] is set '
                     'for the API\'s trusts and service user. '
                     'magnum-lite-aio sets it for the Heat it starts.'),
    cfg.StrOpt('region_name', help='Region of the orchestration service.'),
    cfg.StrOpt('interface', default='public',
               choices=['public', 'internal', 'admin'],
               help='Catalog interface of the orchestration service.'),
    cfg.IntOpt('stack_page_size', default=1000, min=1,
               help='Stacks fetched per request by the status sync; 10,000 '
                    'clusters cost 10 list requests at the default.'),
    cfg.IntOpt('fault_depth', default=5, min=1,
               help='How deep into nested stacks the sync looks for the '
                    'resource that made a stack fail.'),
]

trust_group = cfg.OptGroup('trust', title='Keystone trusts for clusters')

trust_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Create a Keystone trust from the requesting user to '
                     'a per-cluster trustee at cluster create, and act '
                     'with it for the cluster\'s long operations.'),
    cfg.StrOpt('trustee_domain_id',
               help='Domain of the per-cluster trustee users.'),
    cfg.StrOpt('trustee_domain_name',
               help='Domain (by name) of the per-cluster trustee users.'),
    cfg.StrOpt('trustee_domain_admin_id',
               help='User that manages trustees in the trustee domain.'),
    cfg.StrOpt('trustee_domain_admin_name',
               help='Name of the user that manages trustees.'),
    cfg.StrOpt('trustee_domain_admin_domain_id',
               help='Domain of the trustee domain admin user.'),
    cfg.StrOpt('trustee_domain_admin_domain_name',
               help='Domain (by name) of the trustee domain admin user.'),
    cfg.StrOpt('trustee_domain_admin_password', secret=True,
               help='Password of the trustee domain admin user.'),
    cfg.ListOpt('roles', default=[],
                help='Roles delegated by the trust; empty: the roles of '
                     'the requesting user.'),
    cfg.StrOpt('trustee_keystone_interface', default='public',
               help='Catalog interface used to reach Keystone.'),
]

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
    conf.register_group(heat_group)
    conf.register_opts(heat_opts, group=heat_group)
    conf.register_group(trust_group)
    conf.register_opts(trust_opts, group=trust_group)
    ks_loading.register_session_conf_options(conf, KEYSTONE_AUTH_GROUP)
    ks_loading.register_auth_conf_options(conf, KEYSTONE_AUTH_GROUP)


def list_opts():
    keystone_opts = (ks_loading.get_session_conf_options() +
                     ks_loading.get_auth_common_conf_options() +
                     ks_loading.get_auth_plugin_conf_options('password'))
    return {heat_group: heat_opts, trust_group: trust_opts,
            KEYSTONE_AUTH_GROUP: keystone_opts}
