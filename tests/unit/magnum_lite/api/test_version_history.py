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

"""The microversion history and the gates that derive from it."""

import os
import re

import pytest

from magnum_lite.api import versions

API_PACKAGE = os.path.dirname(versions.__file__)


def _gates():
    return [(name, value) for name, value in vars(versions).items()
            if isinstance(value, versions.Gate)]


def test_history_is_ordered_and_contiguous_from_1_1_to_the_maximum():
    listed = list(versions.HISTORY)
    assert listed[0] == (1, 1)
    assert listed == [(1, minor)
                      for minor in range(1, versions.MAX_VERSION.minor + 1)]


def test_range_served_is_the_history():
    assert versions.MIN_VERSION == next(iter(versions.HISTORY))
    assert versions.MAX_VERSION == list(versions.HISTORY)[-1]


def test_each_version_says_in_one_line_what_it_added():
    for version, change in versions.HISTORY.items():
        assert change.strip() and '\n' not in change, version


def test_every_gate_names_a_version_in_the_history():
    gates = _gates()
    assert len(gates) >= 12
    for name, gate in gates:
        assert gate in versions.HISTORY, name


def test_gates_are_listed_in_the_order_of_the_history():
    order = [gate for _, gate in _gates()]
    assert order == sorted(order)


def test_a_gate_outside_the_history_is_refused():
    with pytest.raises(ValueError):
        versions.Gate(1, 16)


def test_no_module_of_the_api_defines_a_gate_of_its_own():
    tuple_gate = re.compile(r'^\w+ = \(\d+, \d+\)$', re.MULTILINE)
    found = []
    for folder, _, files in os.walk(API_PACKAGE):
        for name in files:
            path = os.path.join(folder, name)
            if not name.endswith('.py') or path == versions.__file__:
                continue
            with open(path) as source:
                found += ['%s: %s' % (path, line)
                          for line in tuple_gate.findall(source.read())]
    assert not found
