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

"""Cluster drivers the `openstack coe` acceptance test registers."""

from tests.harness.fakes import driver

DRIVERS = {
    'fake': 'tests.harness.fakes.driver:FakeDriver',
    'fake_credentials':
        'tests.functional.magnum_lite.coe_drivers:CredentialFakeDriver',
}


class CredentialFakeDriver(driver.FakeDriver):
    """The fake driver, able to rotate credentials.

    FakeDriver keeps the base class's NotSupported answer, so the client's
    success path of `credential rotate` needs a driver that accepts it.
    It serves no type of its own: templates name it with --driver.
    """

    provides = []

    def rotate_credential(self, context, cluster):
        self._record('rotate_credential', cluster)
