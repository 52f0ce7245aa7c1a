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

"""Register the test driver through a real entry point.

A `*.dist-info` directory with an entry_points.txt is written to a
directory; putting that directory on sys.path (this process) or on
PYTHONPATH (a subprocess) makes stevedore find the driver exactly as it
finds an installed one.
"""

import os
import sys

DIST_NAME = 'magnum_lite_test_drivers'
DRIVER_NAME = 'fake'
DRIVER_TARGET = 'tests.harness.fakes.driver:FakeDriver'

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def write_distribution(directory, drivers=None, dist_name=DIST_NAME):
    """Write the dist-info; returns the directory to add to the path.

    Distributions are found by name, first on the path wins: a second set
    of drivers next to the first needs a `dist_name` of its own.
    """
    drivers = drivers or {DRIVER_NAME: DRIVER_TARGET}
    dist_info = os.path.join(directory, dist_name + '-0.0.0.dist-info')
    os.makedirs(dist_info, exist_ok=True)
    with open(os.path.join(dist_info, 'METADATA'), 'w') as metadata:
        metadata.write('Metadata-Version: 2.1\nName: %s\nVersion: 0.0.0\n'
                       % dist_name)
    with open(os.path.join(dist_info, 'entry_points.txt'), 'w') as points:
        points.write('[magnum_lite.drivers]\n')
        for name, target in sorted(drivers.items()):
            points.write('%s = %s\n' % (name, target))
    return directory


def install(directory, drivers=None, dist_name=DIST_NAME):
    """Make the drivers loadable in this process.

    Writes the distribution unless `directory` already holds one.
    """
    dist_info = os.path.join(directory, dist_name + '-0.0.0.dist-info')
    if drivers is not None or not os.path.isdir(dist_info):
        write_distribution(directory, drivers, dist_name)
    if directory not in sys.path:
        sys.path.append(directory)
    return directory


def uninstall(directory):
    if directory in sys.path:
        sys.path.remove(directory)


def subprocess_env(directory, base_env=None):
    """An environment in which a child process finds the drivers too."""
    env = dict(os.environ if base_env is None else base_env)
    parts = [REPO_ROOT, directory]
    if env.get('PYTHONPATH'):
        parts.append(env['PYTHONPATH'])
    env['PYTHONPATH'] = os.pathsep.join(parts)
    return env
