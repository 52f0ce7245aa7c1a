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

"""The fake cluster drivers, loadable through stevedore (pytest fixtures).

Import the fixtures into a conftest or a test module.
"""

import pytest

from magnum_lite.drivers import loader
from tests.harness import entrypoints
from tests.harness.fakes import driver as fake_driver

TEST_DRIVERS = {
    'fake': 'tests.harness.fakes.driver:FakeDriver',
    'fake_basic': 'tests.harness.fakes.driver:BasicFakeDriver',
}


@pytest.fixture(scope='session')
def driver_path(tmp_path_factory):
    """A directory holding the test drivers' entry points."""
    directory = str(tmp_path_factory.mktemp('entry-points'))
    return entrypoints.write_distribution(directory, TEST_DRIVERS)


@pytest.fixture
def fake_drivers(driver_path):
    """The test drivers, loadable through stevedore in this process."""
    entrypoints.install(driver_path)
    loader.reset()
    fake_driver.FakeDriver.calls.clear()
    yield
    loader.reset()
    entrypoints.uninstall(driver_path)
