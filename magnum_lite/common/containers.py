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

"""Rules of container requests that the API and the conductor share.

Pure functions: the API refuses bad input with them before a row exists,
and the conductor applies the same reading when it talks to Docker.
"""

import re
import shlex

from magnum_lite.common import exception
from magnum_lite.common import states

SWARM_COES = (states.COE_SWARM, states.COE_SWARM_MODE)

_MEMORY = re.compile(r'^\s*([0-9]+)\s*([bkmg]?)b?\s*$', re.IGNORECASE)
_UNITS = {'': 1, 'b': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3}
# Docker refuses a memory limit under 6 MiB.
MIN_MEMORY = 6 * 1024 ** 2


def memory_bytes(memory):
    """Bytes of a memory size: an integer, or "512m", "1g", "65536k"."""
    if memory is None or memory == '':
        return None
    if isinstance(memory, bool):
        raise exception.InvalidParameterValue(
            err='memory must be a size such as 512m, not %r' % memory)
    if isinstance(memory, int):
        value = memory
    else:
        match = _MEMORY.match(str(memory))
        if not match:
            raise exception.InvalidParameterValue(
                err='memory must be a number of bytes or a size such as '
                    '512m or 1g, not %r' % memory)
        value = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if value < MIN_MEMORY:
        raise exception.InvalidParameterValue(
            err='memory must be at least 6m (Docker refuses less), not %r'
                % memory)
    return value


def command_args(command):
    """A command as Docker takes it: a list, or None for the image's own.

    A string is split as a POSIX shell would, without running a shell.
    """
    if command is None or command == '' or command == []:
        return None
    if isinstance(command, str):
        try:
            return shlex.split(command)
        except ValueError as exc:
            raise exception.InvalidParameterValue(
                err='command %r cannot be split: %s' % (command, exc))
    return [str(part) for part in command]


def check_cluster(cluster, template):
    """400 unless a Swarm cluster, 409 unless it is complete."""
    if template is None or template.coe not in SWARM_COES:
        raise exception.InvalidParameterValue(
            err='Cluster %s is not a Swarm cluster (coe %s): containers '
                'run only on swarm and swarm-mode clusters.' % (
                    cluster.name, getattr(template, 'coe', None)))
    if not (cluster.status or '').endswith('_COMPLETE') or \
            cluster.status == states.DELETE_COMPLETE:
        raise exception.Conflict(
            'Cluster %s is %s: containers can be made only on a cluster in '
            'a *_COMPLETE state.' % (cluster.name, cluster.status))
