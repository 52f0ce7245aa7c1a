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

"""The swarm_docker node image, built on the real engine.

A recipe version of the test's own makes a tag no one else uses; two
processes asking for it at once must build it once.
"""

import subprocess
import sys

import pytest

from magnum_lite.drivers.swarm_docker import image
from tests.harness import services

RECIPE = 'functional-test'

_OTHER_PROCESS = """
import sys
from magnum_lite.drivers.swarm_docker import engine, image
image.RECIPE_VERSION = sys.argv[1]
print(image.ensure_image(engine.host_client(), lock_dir=sys.argv[2]))
"""


@pytest.fixture
def recipe(monkeypatch):
    client = services.require_docker()
    monkeypatch.setattr(image, 'RECIPE_VERSION', RECIPE)
    name = image.image_name()
    yield client.api, name
    for found in client.api.images(
            all=True, filters={'label': '%s=%s' % (
                image.RECIPE_LABEL, name.rpartition(':')[2])}):
        client.api.remove_image(found['Id'], force=True)
    client.close()


def test_two_processes_build_the_image_once(recipe, tmp_path):
    client, name = recipe
    other = subprocess.Popen(
        [sys.executable, '-c', _OTHER_PROCESS, RECIPE, str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mine = image.ensure_image(client, lock_dir=str(tmp_path))
    out, err = other.communicate(timeout=300)
    assert other.returncode == 0, err
    assert out.split()[-1] == mine == name
    version = name.rpartition(':')[2]
    built = client.images(all=True, filters={
        'label': '%s=%s' % (image.RECIPE_LABEL, version)})
    # A second build would have left the first image untagged.
    assert len(built) == 1, built
    info = client.inspect_image(name)
    assert info['Config']['Entrypoint'] == [image.INIT_PATH, '--',
                                            image.SCRIPT_PATH]
    # Asked again, it is reused.
    assert image.ensure_image(client, lock_dir=str(tmp_path)) == name
    assert client.inspect_image(name)['Id'] == info['Id']
    # The engine and the script run inside it.
    output = client.create_container(
        name, entrypoint=['/bin/sh', '-c'],
        command=['dockerd --version && docker --version && '
                 'iptables --version && test -x /usr/local/bin/swarm-node'])
    try:
        client.start(output['Id'])
        assert client.wait(output['Id'], timeout=60)['StatusCode'] == 0, \
            client.logs(output['Id'])
        assert b'Docker version' in client.logs(output['Id'])
    finally:
        client.remove_container(output['Id'], force=True)
