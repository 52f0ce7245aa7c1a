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

"""The packages import each other only in the documented direction."""

import os
import shutil

import pytest

from tests.unit.architecture import imports

# Imports that break a rule, each added to a module that exists, and what
# the checker must say of it.
FORBIDDEN = [
    ('magnum_lite.conductor.manager',
     'from magnum_lite.drivers.swarm_docker import driver',
     'magnum_lite.drivers.swarm_docker.driver'),
    ('magnum_lite.conductor.containers',
     'def later():\n    from magnum_lite.drivers.heat import client\n',
     'magnum_lite.drivers.heat.client'),
    ('magnum_lite.drivers.swarm_docker.driver',
     'from magnum_lite.conductor import certificates',
     'magnum_lite.conductor.certificates'),
    ('magnum_lite.drivers.k8s_heat.driver',
     'from magnum_lite.db import api',
     'magnum_lite.db.api'),
    ('magnum_lite.drivers.heat.driver',
     'import magnum_lite.api.app',
     'magnum_lite.api.app'),
    ('magnum_lite.api.hooks',
     'from magnum_lite.conductor import manager',
     'magnum_lite.conductor.manager'),
    ('magnum_lite.db.sqlalchemy.api',
     'from magnum_lite.conductor import rpcapi',
     'magnum_lite.conductor.rpcapi'),
    ('heat_plugins.resources.container',
     'from magnum_lite.api import app',
     'magnum_lite.api.app'),
    ('heat_plugins.resources.docker_client',
     'from magnum_lite.conductor import rpcapi',
     'magnum_lite.conductor.rpcapi'),
    ('nova_docker_driver.driver',
     'import magnum_lite.conductor.manager',
     'magnum_lite.conductor.manager'),
    ('nova_docker_driver.client',
     'from magnum_lite.db import api',
     'magnum_lite.db.api'),
    ('magnum_lite.osc.v1.containers',
     'from magnum_lite.db import api',
     'magnum_lite.db.api'),
    ('benchmarks.sync.run',
     'from tests.unit.magnum_lite import conftest',
     'tests.unit.magnum_lite.conftest'),
    ('tests.functional.magnum_lite.drivers.test_swarm_docker',
     'from tests.functional.magnum_lite.conductor import '
     'test_heat_lifecycle',
     'tests.functional.magnum_lite.conductor.test_heat_lifecycle'),
    ('tests.functional.horizon.deployment',
     'from tests.functional.keystone import keystone_server',
     'tests.functional.keystone.keystone_server'),
]

# Imports the rules allow, so that the checker is not merely strict.
ALLOWED = [
    ('heat_plugins.resources.container',
     'from magnum_lite.common import docker_client'),
    ('nova_docker_driver.client', 'from magnum_lite.common import '
                                  'docker_client'),
    ('magnum_lite.conductor.manager', 'from magnum_lite.drivers import base'),
    ('magnum_lite.conductor.manager',
     'from magnum_lite.drivers import loader'),
    ('magnum_lite.api.hooks', 'from magnum_lite.conductor import rpcapi'),
    ('magnum_lite.drivers.k8s_heat.driver',
     'from magnum_lite.certificates import x509'),
    ('magnum_lite.cmd.aio', 'from magnum_lite.conductor import manager'),
    ('benchmarks.sync.run', 'from tests.harness import database'),
]


def test_the_repository_keeps_the_documented_direction():
    found = imports.check_tree()
    assert not found, 'Imports against the documented direction:\n' + \
        '\n'.join(str(v) for v in found)


def test_every_layer_of_the_rules_exists():
    modules = {name for name, _path in imports.iter_sources()}
    for rule in imports.RULES:
        assert any(imports._within(m, rule.layer) for m in modules), \
            rule.layer


@pytest.mark.parametrize('module, added, imported', FORBIDDEN)
def test_a_forbidden_import_is_found(module, added, imported):
    found = imports.check_tree(extra={module: added})
    assert [(v.module, v.imported) for v in found] == [(module, imported)]


@pytest.mark.parametrize('module, added', ALLOWED)
def test_an_allowed_import_is_not_reported(module, added):
    assert imports.check_tree(extra={module: added}) == []


def test_a_forbidden_import_written_to_a_file_is_found(tmp_path):
    for tree in imports.SOURCE_TREES:
        shutil.copytree(os.path.join(imports.REPO, tree), tmp_path / tree,
                        ignore=shutil.ignore_patterns('__pycache__', '.*'))
    target = tmp_path / 'magnum_lite' / 'conductor' / 'manager.py'
    with open(target, 'a') as module:
        module.write('\n\ndef _later():\n'
                     '    from magnum_lite.drivers.swarm_docker import '
                     'driver\n')
    found = imports.check_tree(root=str(tmp_path))
    assert [(v.module, v.imported) for v in found] == [
        ('magnum_lite.conductor.manager',
         'magnum_lite.drivers.swarm_docker.driver')]
    assert 'names no driver' in found[0].why
