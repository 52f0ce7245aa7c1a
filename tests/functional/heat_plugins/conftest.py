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

import re

import pytest

from tests.harness import docker_engine
from tests.harness import services


@pytest.fixture(scope='session')
def docker_api():
    client = services.require_docker()
    docker_engine.ensure_image(client)
    return client.api


@pytest.fixture(scope='session')
def prefix(docker_api):
    """Every Docker object the tests make starts with this."""
    value = docker_engine.unique_prefix()
    yield value
    docker_engine.cleanup(docker_api, value)


@pytest.fixture(scope='session')
def heat(tmp_path_factory, docker_api):
    from tests.harness import heat_engine
    heat_engine.configure(str(tmp_path_factory.mktemp('heat') / 'heat.db'))
    return heat_engine


@pytest.fixture
def ctx(heat):
    return heat.context()


@pytest.fixture
def stack_name(prefix, request):
    """A stack name (hence Docker names) unique to the test."""
    test = re.sub(r'[^a-zA-Z0-9]', '', request.node.name)[-24:]
    return '%s-%s' % (prefix, test)
