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

"""Options of the [glance_client] group: how the API asks Glance.

The API checks the names a user gives (images and their os_distro) against
Glance, found in the caller's service catalog and called with the caller's
token. The group and option names are Magnum's, so its configuration files
carry over.
"""

from oslo_config import cfg

glance_client_group = cfg.OptGroup(
    'glance_client', title='How the API reaches Glance')

glance_client_opts = [
    cfg.StrOpt('region_name',
               help='Region in the service catalog of the Glance endpoint; '
                    'unset: the first region listed.'),
    cfg.StrOpt('endpoint_type', default='publicURL',
               choices=['publicURL', 'internalURL', 'adminURL',
                        'public', 'internal', 'admin'],
               help='Which endpoint of Glance in the service catalog to use.'),
    cfg.StrOpt('api_version', default='2', choices=['2'],
               help='Image API version; only 2 is spoken.'),
    cfg.StrOpt('ca_file',
               help='CA bundle (PEM) to verify the TLS certificate of '
                    'Glance; unset: the system\'s.'),
    cfg.BoolOpt('insecure', default=False,
                help='Do not verify the TLS certificate of Glance.'),
    cfg.IntOpt('timeout', default=10, min=1,
               help='How long to wait for an answer of Glance, in seconds, '
                    'before the request that asked fails with 503.'),
]


def register_opts(conf):
    conf.register_group(glance_client_group)
    conf.register_opts(glance_client_opts, group=glance_client_group)


def list_opts():
    return {glance_client_group: glance_client_opts}
