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

"""Schema pieces every resource uses."""

import copy

STR255 = {'type': 'string', 'minLength': 1, 'maxLength': 255}
OPT_STR255 = {'type': 'string', 'maxLength': 255}
BOOL = {'type': 'boolean'}
TEXT = {'type': 'string'}

# Magnum lets label values be strings, numbers or booleans.
LABELS = {
    'type': 'object',
    'propertyNames': {'maxLength': 255},
    'additionalProperties': {
        'type': ['string', 'integer', 'number', 'boolean']},
}

STR_DICT = {
    'type': 'object',
    'propertyNames': {'maxLength': 255},
    'additionalProperties': {'type': 'string'},
}

# Cluster and federation names end up in backend resource names (a Heat
# stack name is 255 characters including a UUID suffix).
NAME_242 = {'type': 'string', 'minLength': 1, 'maxLength': 242,
            'pattern': '^[a-zA-Z][a-zA-Z0-9_.-]*$'}


def non_negative(maximum=2 ** 31 - 1):
    return {'type': 'integer', 'minimum': 0, 'maximum': maximum}


def positive(maximum=2 ** 31 - 1):
    return {'type': 'integer', 'minimum': 1, 'maximum': maximum}


def nullable(schema, keep=()):
    """The shape of a patched object.

    Every property but `keep` may also be null, and only `keep` is
    required.
    """
    result = copy.deepcopy(schema)
    for name, prop in result['properties'].items():
        if name in keep:
            continue
        types = prop.get('type')
        if types is None:
            continue
        types = [types] if isinstance(types, str) else list(types)
        if 'null' not in types:
            prop['type'] = types + ['null']
        if 'enum' in prop:
            prop['enum'] = list(prop['enum']) + [None]
    result['required'] = [r for r in result.get('required', [])
                          if r in keep]
    # A patched document also holds read-only members; they were checked
    # by the patch rules already.
    result['additionalProperties'] = True
    return result
