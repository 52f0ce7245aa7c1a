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

"""Options of the [cluster] group."""

from oslo_config import cfg

cluster_group = cfg.OptGroup('cluster', title='Cluster defaults')

cluster_opts = [
    cfg.IntOpt('create_timeout', default=60, min=0,
               help='Time a cluster create may take when the request '
                    'gives no create_timeout, in minutes (the unit of the '
                    'API\'s create_timeout).'),
]


def register_opts(conf):
    conf.register_group(cluster_group)
    conf.register_opts(cluster_opts, group=cluster_group)


def list_opts():
    return {cluster_group: cluster_opts}
