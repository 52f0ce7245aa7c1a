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

"""Options of the [api] group."""

from oslo_config import cfg

api_group = cfg.OptGroup('api', title='Options for the magnum-lite API')

api_opts = [
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address the API server listens on.'),
    cfg.PortOpt('port', default=9511,
                help='Port the API server listens on.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='The largest number of items a collection returns in '
                    'one page.'),
    cfg.StrOpt('api_paste_config', default='api-paste.ini',
               help='The paste configuration file of the API pipeline; '
                    'the packaged one is used when this is not found.'),
    cfg.StrOpt('auth_strategy', default='noauth',
               choices=[('keystone', 'tokens are validated by '
                                     'keystonemiddleware auth_token'),
                        ('noauth', 'no authentication: every request is '
                                   'an admin of project "admin" unless '
                                   'X-Project-Id/X-Roles say otherwise')],
               help='How API requests are authenticated.'),
    cfg.URIOpt('public_endpoint',
               help='The API\'s URL as cluster nodes reach it, ending in '
                    '/v1 (e.g. https://cloud.example.com/container-infra'
                    '/v1); nodes ask it to sign their certificates. '
                    'Default: http://<host>:<port>/v1.'),
    cfg.IntOpt('workers', default=1, min=1,
               help='Number of API worker processes.'),
    cfg.BoolOpt('enable_proxy_headers_parsing', default=False,
                help='Honour X-Forwarded-* headers from a proxy in front '
                     'of the API.'),
]


def register_opts(conf):
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts():
    return {api_group: api_opts}
