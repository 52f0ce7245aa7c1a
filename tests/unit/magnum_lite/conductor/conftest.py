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

"""Fixtures of the conductor tests: a manager on SQLite with fake drivers."""

import pytest

from magnum_lite.conductor import manager as conductor_manager
from tests.harness.drivers import driver_path  # noqa: F401
from tests.harness.drivers import fake_drivers  # noqa: F401
from tests.harness.keys import certificate_config  # noqa: F401

HOST = 'conductor-1'


@pytest.fixture
def manager(database, fake_drivers, certificate_config):  # noqa: F811
    """A started conductor (no periodic thread: tests run the sync)."""
    conductor = conductor_manager.ConductorManager(host=HOST,
                                                   dbapi=database)
    conductor.start(run_periodics=False)
    yield conductor
    conductor.stop(graceful=True)
