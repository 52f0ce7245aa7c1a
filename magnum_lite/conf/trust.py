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

"""Options of the [trust] group: Keystone trusts for clusters.

The trustee_* and roles options keep Magnum's names, so the trustee
settings of a Magnum [trust] section carry over.
"""

from oslo_config import cfg

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


def register_opts(conf):
    conf.register_group(trust_group)
    conf.register_opts(trust_opts, group=trust_group)


def list_opts():
    return {trust_group: trust_opts}
