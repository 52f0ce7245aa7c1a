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

"""A no-op magnum-lite cluster driver for the benchmark.

It provides (vm, ubuntu, kubernetes), like the one magnum_wsgi.py gives
Magnum, so that POST /v1/clustertemplates finds a driver on both services
without either doing driver-specific work. run.py registers it under the
entry point name ``bench`` of group magnum_lite.drivers.
"""

from magnum_lite.drivers import base


class BenchDriver(base.ClusterDriver):
    """Serves (vm, ubuntu, kubernetes); the benchmark never calls it."""

    @property
    def provides(self):
        return [('vm', 'ubuntu', 'kubernetes')]


BenchDriver.__abstractmethods__ = frozenset()
