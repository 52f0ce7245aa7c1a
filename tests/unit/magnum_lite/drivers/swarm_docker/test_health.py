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

"""The health of a swarm_docker cluster from the engines' answers."""

import pytest

from magnum_lite.common import states
from magnum_lite.drivers.swarm_docker import health

NODES = ('c-manager-0', 'c-worker-0')
RUNNING = {'c-manager-0': 'running', 'c-worker-0': 'running'}
READY = {'c-manager-0': 'ready', 'c-worker-0': 'ready'}


@pytest.mark.parametrize('containers, swarm, api_error, status, reason', [
    (RUNNING, READY, None, states.HEALTHY,
     {'api': 'ok', 'c-manager-0.Ready': 'True', 'c-worker-0.Ready': 'True'}),
    # A killed node: its container exited, the swarm has not noticed yet.
    (dict(RUNNING, **{'c-worker-0': 'exited'}), READY, None,
     states.UNHEALTHY,
     {'api': 'ok', 'c-manager-0.Ready': 'True', 'c-worker-0.Ready': 'True',
      'c-worker-0.container': 'exited'}),
    # The swarm has noticed.
    (dict(RUNNING, **{'c-worker-0': 'exited'}),
     dict(READY, **{'c-worker-0': 'down'}), None, states.UNHEALTHY,
     {'api': 'ok', 'c-manager-0.Ready': 'True', 'c-worker-0.Ready': 'False',
      'c-worker-0.container': 'exited'}),
    # A container removed outright.
    ({'c-manager-0': 'running'}, dict(READY, **{'c-worker-0': 'down'}),
     None, states.UNHEALTHY,
     {'api': 'ok', 'c-manager-0.Ready': 'True', 'c-worker-0.Ready': 'False',
      'c-worker-0.container': 'missing'}),
    # The manager does not answer.
    (RUNNING, None, 'connection refused', states.UNHEALTHY,
     {'api': 'connection refused'}),
])
def test_evaluate(containers, swarm, api_error, status, reason):
    assert health.evaluate(NODES, containers, swarm, api_error) == (
        status, reason)
