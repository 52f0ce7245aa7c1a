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

"""A conductor service on in-process messaging, and its RPC client.

Fixtures for the RPC tests of this folder (import them into the test
module); they use the fixtures of the conftests above.
"""

import time

import pytest

from magnum_lite.common import rpc
from magnum_lite.conductor import rpcapi
from magnum_lite.conductor import service
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF


@pytest.fixture
def conductor(database, fake_drivers, certificate_config):
    CONF.set_override('periodic_enable', False)
    rpc.cleanup()
    assert rpc.configured_url(CONF) == rpc.IN_PROCESS_URL
    conductor = service.ConductorService(host='conductor-1', dbapi=database)
    conductor.start()
    yield conductor
    conductor.stop()
    rpc.cleanup()
    CONF.clear_override('periodic_enable')
    CONF.clear_override('rpc_version_cap', group='conductor')
    CONF.clear_override('rpc_response_timeout')


@pytest.fixture
def api(conductor, database):
    return rpcapi.ConductorAPI(dbapi=database)


def wait_for(predicate, timeout=20):
    """The first true value of predicate(), polled for `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError('condition not met in %ss' % timeout)
