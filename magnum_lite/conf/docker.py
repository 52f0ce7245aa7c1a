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

"""Options of the [docker] group: how magnum-lite talks to Docker engines.

Named as in Magnum's own [docker] group where Magnum has the option.
"""

from oslo_config import cfg

docker_group = cfg.OptGroup(
    'docker', title='Options for the Docker engines magnum-lite talks to')

docker_opts = [
    cfg.IntOpt('default_timeout', default=60, min=1,
               help='Timeout in seconds of every Docker API call: to the '
                    'engine that runs swarm_docker nodes, to a cluster\'s '
                    'swarm API and to the Docker API of a node that runs '
                    'containers.'),
    cfg.IntOpt('connect_timeout', default=5, min=1,
               help='Time in seconds a node\'s Docker API has to accept '
                    'the connection of a container operation; a node that '
                    'does not take it within this time is reported as '
                    'down, well before the RPC times out. A call that '
                    'connected still has default_timeout to answer.'),
    cfg.IntOpt('container_stop_timeout', default=10, min=0,
               help='Time in seconds a container being stopped or '
                    'rebooted gets between SIGTERM and SIGKILL.'),
]


def register_opts(conf):
    conf.register_group(docker_group)
    conf.register_opts(docker_opts, group=docker_group)


def list_opts():
    return {docker_group: docker_opts}
