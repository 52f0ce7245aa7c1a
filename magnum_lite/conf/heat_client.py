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

"""Options of the [heat_client] group: how the conductor reaches Heat."""

from oslo_config import cfg

heat_client_group = cfg.OptGroup('heat_client',
                                 title='How the conductor reaches Heat')

heat_client_opts = [
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


def register_opts(conf):
    conf.register_group(heat_client_group)
    conf.register_opts(heat_client_opts, group=heat_client_group)


def list_opts():
    return {heat_client_group: heat_client_opts}
