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

"""Options of the [aio] group (magnum-lite-aio only)."""

from oslo_config import cfg

aio_group = cfg.OptGroup('aio', title='The all-in-one service')

aio_opts = [
    cfg.BoolOpt('start_heat', default=True,
                help='Start a Heat API and engine (with the Docker '
                     'resources of heat_plugins) as a child process and '
                     'use it for clusters, unless [heat_client] '
                     'endpoint_override already names a Heat.'),
    cfg.PortOpt('heat_port', default=0,
                help='Port of the child Heat API on 127.0.0.1; 0 picks a '
                     'free one.'),
    cfg.FloatOpt('heat_step_seconds', default=0.1, min=0.05, max=5,
                 help='Time, in seconds, the child Heat\'s engine waits '
                      'between two steps of a stack operation (create, '
                      'update, delete, nested stacks included): after '
                      'starting a resource before checking it, between '
                      'checks, and before a finished nested stack is seen '
                      'by its parent. Heat '
                      'itself always waits 1 s, a pace made for remote '
                      'clouds; against the local Docker engine a check is '
                      'one cheap API call, and each level of nesting adds '
                      'a step to a cluster create.'),
    cfg.IntOpt('heat_start_timeout', default=120, min=1,
               help='Time, in seconds, the child Heat API has to answer '
                    'once started before magnum-lite-aio gives up.'),
    cfg.IntOpt('heat_stop_timeout', default=30, min=0,
               help='Time, in seconds, the child Heat has to exit once '
                    'magnum-lite-aio stops (it gets SIGTERM) before it is '
                    'killed.'),
    cfg.IntOpt('heat_leftover_stop_timeout', default=600, min=0,
               help='Time, in seconds, a Heat left running by a killed '
                    'magnum-lite-aio on the same state directory has to '
                    'finish the stack operations in hand and exit (it gets '
                    'SIGTERM at the next start) before it is killed; a '
                    'cluster create can take minutes.'),
]


def register_opts(conf):
    conf.register_group(aio_group)
    conf.register_opts(aio_opts, group=aio_group)


def list_opts():
    return {aio_group: aio_opts}
