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

"""JSON-Patch rules and request coercion, as pure functions."""

import pytest

from magnum_lite.api import patching
from magnum_lite.api.schemas.v1 import cluster_template
from magnum_lite.api import validation
from magnum_lite.api import versions
from magnum_lite.common import exception

RULES = patching.PatchRules(internal=('/secret',), non_removable=('/keep',),
                            mandatory=('/image_id',),
                            literal_fields=('/labels',))
DOC = {'name': 'a', 'keep': 1, 'image_id': 'i', 'labels': {'x': '1'},
       'secret': 's', 'empty': None}


@pytest.mark.parametrize('patch, expected', [
    ([{'op': 'replace', 'path': '/name', 'value': 'b'}], {'name': 'b'}),
    ([{'op': 'add', 'path': '/empty', 'value': 3}], {'empty': 3}),
    ([{'op': 'add', 'path': '/labels/y', 'value': '2'}],
     {'labels': {'x': '1', 'y': '2'}}),
    ([{'op': 'replace', 'path': '/labels', 'value': "{'z': '3'}"}],
     {'labels': {'z': '3'}}),
    ([{'op': 'remove', 'path': '/name'}], {'name': None}),
])
def test_allowed_patches(patch, expected):
    result = patching.apply(DOC, patch, RULES)
    if expected == {'name': None}:
        assert 'name' not in result
    else:
        for key, value in expected.items():
            assert result[key] == value
    assert DOC['labels'] == {'x': '1'}


@pytest.mark.parametrize('patch, word', [
    ([{'op': 'replace', 'path': '/secret', 'value': 1}], 'internal'),
    ([{'op': 'replace', 'path': '/uuid', 'value': 1}], 'internal'),
    ([{'op': 'remove', 'path': '/keep'}], 'mandatory'),
    ([{'op': 'remove', 'path': '/image_id'}], 'mandatory'),
    ([{'op': 'add', 'path': '/new', 'value': 1}], 'root'),
    ([{'op': 'replace', 'path': '/labels', 'value': '{oops'}], 'literal'),
    ([{'op': 'replace', 'path': '/name'}], 'value'),
    ([{'op': 'test', 'path': '/name', 'value': 'a'}], 'op'),
    ([{'op': 'replace', 'path': '/a b', 'value': 1}], 'path'),
    ([{'op': 'remove', 'path': '/labels/nope'}], 'nope'),
    ({'op': 'replace'}, 'JSON-Patch'),
])
def test_refused_patches(patch, word):
    with pytest.raises(exception.Invalid) as caught:
        patching.apply(DOC, patch, RULES)
    assert word in str(caught.value)


@pytest.mark.parametrize('value, expected', [
    ('3', 3), (' 7 ', 7), ('x', 'x'), (4, 4)])
def test_integers_from_strings(value, expected):
    schema = {'type': 'integer'}
    assert validation.coerce_value(schema, value) == expected


@pytest.mark.parametrize('value, expected', [
    ('True', True), ('false', False), ('1', True), ('maybe', 'maybe')])
def test_booleans_from_strings(value, expected):
    assert validation.coerce_value({'type': 'boolean'}, value) == expected


def test_strings_stay_strings():
    assert validation.coerce_value({'type': 'string'}, '5') == '5'


def test_nulls_are_unset():
    body = validation.checked(cluster_template.CREATE, {
        'coe': 'kubernetes', 'image_id': 'i', 'keypair_id': None})
    assert 'keypair_id' not in body


@pytest.mark.parametrize('header, expected', [
    (None, '1.1'), ('container-infra latest', '1.15'),
    ('container-infrastructure-management 1.5', '1.5'),
    ('Container-Infra 1.10', '1.10')])
def test_negotiation(header, expected):
    assert str(versions.negotiate(header).version) == expected


def test_versions_compare_numerically():
    assert versions.Version(1, 10) > versions.Version(1, 9)
    assert versions.MAX_VERSION == (1, 15)
