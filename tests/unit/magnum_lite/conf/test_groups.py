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

"""One module of magnum_lite.conf per option group, named after it.

An operator looking for [x] reads magnum_lite/conf/x.py; the generator
and the services see every group of the package, each once.
"""

import importlib
import pkgutil

from oslo_config import cfg
import pytest

from magnum_lite import conf as ml_conf
from magnum_lite.conf import opts

# Modules of the package that register no group of their own.
NOT_GROUP_MODULES = {'opts'}
# The group a module registers when it is not the module's name.
GROUP_OF_MODULE = {'default': 'DEFAULT'}
# Groups whose options a library lists under its own generator namespace.
LISTED_BY_THEIR_LIBRARY = {'database'}  # oslo.db


def _group_modules():
    return sorted(module.name for module in pkgutil.iter_modules(
        ml_conf.__path__) if module.name not in NOT_GROUP_MODULES)


def _group_of(module_name):
    return GROUP_OF_MODULE.get(module_name, module_name)


def _name(group):
    return group.name if isinstance(group, cfg.OptGroup) else group


def _groups_registered_by(module):
    """The groups (DEFAULT included) register_opts adds to a fresh conf."""
    conf = cfg.ConfigOpts()
    before = set(conf)
    module.register_opts(conf)
    groups = set()
    for key in set(conf) - before:
        if isinstance(conf[key], cfg.ConfigOpts.GroupAttr):
            groups.add(key)
        else:
            groups.add('DEFAULT')
    return groups


def test_the_package_has_group_modules():
    # Guards the tests below against an empty parametrization.
    assert {'default', 'conductor', 'heat_client', 'trust',
            'keystone_auth'} <= set(_group_modules())


@pytest.mark.parametrize('module_name', _group_modules())
def test_a_module_registers_exactly_its_own_group(module_name):
    module = importlib.import_module('magnum_lite.conf.' + module_name)
    assert _groups_registered_by(module) == {_group_of(module_name)}


@pytest.mark.parametrize('module_name', _group_modules())
def test_a_module_lists_only_its_own_group(module_name):
    module = importlib.import_module('magnum_lite.conf.' + module_name)
    listed = {_name(group) for group in module.list_opts()}
    if module_name in LISTED_BY_THEIR_LIBRARY:
        assert listed == set()
    else:
        assert listed == {_group_of(module_name)}


def test_the_services_register_every_group():
    for module_name in _group_modules():
        group = _group_of(module_name)
        if group == 'DEFAULT':
            module = importlib.import_module('magnum_lite.conf.' +
                                             module_name)
            for opt in module.list_opts()['DEFAULT']:
                assert opt.dest in ml_conf.CONF
        else:
            assert isinstance(ml_conf.CONF[group],
                              cfg.ConfigOpts.GroupAttr), group


def test_the_generator_lists_every_group_once():
    names = [_name(group) for group, _ in opts.list_opts()]
    assert len(names) == len(set(names))
    assert set(names) == {_group_of(name) for name in _group_modules()
                          if name not in LISTED_BY_THEIR_LIBRARY}
