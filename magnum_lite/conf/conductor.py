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

"""Options of the [conductor] group."""

from oslo_config import cfg

conductor_group = cfg.OptGroup('conductor', title='Options for the conductor')

conductor_opts = [
    cfg.StrOpt('topic', default='magnum-lite-conductor',
               help='The RPC topic the conductors listen on.'),
    cfg.IntOpt('workers', default=4, min=1,
               help='Number of threads that run long cluster operations.'),
    cfg.IntOpt('heartbeat_interval', default=10, min=1,
               help='Time between two heartbeats of a conductor, in '
                    'seconds.'),
    cfg.IntOpt('health_interval', default=30, min=1,
               help='Time between two health checks of the finished '
                    'clusters (drivers with a health monitor only), in '
                    'seconds.'),
    cfg.IntOpt('sync_interval', default=10, min=1,
               help='Time between two runs of the cluster status sync, in '
                    'seconds.'),
    cfg.IntOpt('create_resume_after', default=60, min=1,
               help='Time, in seconds, after its last change that a '
                    'cluster create which never got its backend (its '
                    'conductor stopped first) is resumed by the status '
                    'sync of the conductor owning the cluster. Past the '
                    'cluster\'s create timeout (in minutes, see [cluster] '
                    'create_timeout) it is marked CREATE_FAILED instead.'),
    cfg.IntOpt('cluster_lock_timeout', default=60, min=0,
               help='Time, in seconds, a cluster operation sent to the '
                    'conductor waits for the cluster\'s lock (held briefly '
                    'by the status sync, or by an operation still winding '
                    'down) before it gives up as already in progress.'),
    cfg.IntOpt('graceful_shutdown_timeout', default=60, min=0,
               help='Time, in seconds, a stopping conductor waits for '
                    'running operations before it exits.'),
    cfg.StrOpt('rpc_version_cap',
               help='Highest conductor RPC API version the API sends, '
                    'e.g. "1.0" while older conductors still run during a '
                    'rolling upgrade. Unset: the newest this code knows.'),
]


def register_opts(conf):
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts():
    return {conductor_group: conductor_opts}
