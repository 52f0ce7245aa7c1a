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

"""The health of a swarm_docker cluster, from what the engines say (pure).

Two views are combined: the host engine's node containers (a killed node
shows at once as a container that is not running) and the swarm's own
node list from the manager's TLS API (a node whose engine hangs shows as
not ready). The reason dict keeps Magnum's shape, e.g. ``{"api": "ok",
"c1-worker-0.Ready": "True"}``, so tools that read it keep working.
"""

from magnum_lite.common import states


def evaluate(expected_nodes, containers, swarm_nodes, api_error=None):
    """(health_status, reason) of one cluster.

    `expected_nodes` are the node names the cluster should have;
    `containers` maps node name → container state ('running', 'exited',
    ...); `swarm_nodes` maps node hostname → swarm state ('ready',
    'down', ...) or is None when the manager could not be asked, in which
    case `api_error` says why.
    """
    reason = {}
    healthy = True
    if swarm_nodes is None:
        reason['api'] = api_error or 'The manager did not answer.'
        healthy = False
    else:
        reason['api'] = 'ok'
    for name in sorted(expected_nodes):
        state = containers.get(name)
        if state != 'running':
            reason['%s.container' % name] = state or 'missing'
            healthy = False
        if swarm_nodes is not None:
            ready = swarm_nodes.get(name) == 'ready'
            reason['%s.Ready' % name] = str(ready)
            healthy = healthy and ready
    return (states.HEALTHY if healthy else states.UNHEALTHY), reason
