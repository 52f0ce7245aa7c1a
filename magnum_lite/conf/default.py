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

"""Options of the [DEFAULT] group."""

import os
import socket

from oslo_config import cfg

default_opts = [
    cfg.StrOpt('host', default=socket.gethostname(), sample_default='localhost',
               help='Name of this node, used in service records and RPC '
                    'server names.'),
    cfg.StrOpt('state_path',
               default=os.path.expanduser('~/.local/state/magnum_lite'),
               sample_default='~/.local/state/magnum_lite',
               help='Directory where magnum-lite keeps its state (the '
                    'SQLite database when no [database] connection is '
                    'configured, the all-in-one services).'),
    cfg.BoolOpt('periodic_enable', default=True,
                help='Run the conductor periodic tasks (status sync, '
                     'heartbeats).'),
    cfg.IntOpt('periodic_interval_max', default=60, min=1,
               help='Longest time between two runs of a periodic task, in '
                    'seconds.'),
    cfg.IntOpt('service_down_time', default=180, min=1,
               help='Time, in seconds, since its last heartbeat after '
                    'which a conductor is reported as down.'),
]


def register_opts(conf):
    conf.register_opts(default_opts)


def list_opts():
    return {'DEFAULT': default_opts}
