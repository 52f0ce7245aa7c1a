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

"""JSON-Patch (RFC 6902) with Magnum's rules.

Only add, replace and remove; paths are /name(/name)*; internal fields
cannot be touched; mandatory and non-removable fields cannot be removed;
an add at the root must name an existing field; a string given for a
dict- or list-valued field is read as a Python literal, because
python-magnumclient sends str(dict) for node labels and taints.
"""

import ast
import re

import jsonpatch
import jsonpointer

from magnum_lite.api import validation
from magnum_lite.common import exception

PATH_RE = re.compile(r'^(/[\w-]+)+$')

# Members no resource lets a client write.
COMMON_INTERNAL = ('/created_at', '/id', '/links', '/updated_at', '/uuid',
                   '/project_id', '/user_id')

PATCH_SCHEMA = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'op': {'type': 'string', 'enum': ['add', 'replace', 'remove']},
            'path': {'type': 'string', 'pattern': PATH_RE.pattern},
            'value': {},
        },
        'required': ['op', 'path'],
        'additionalProperties': False,
    },
}


class PatchRules:
    """What one resource allows a patch to do."""

    def __init__(self, internal=(), non_removable=(), mandatory=(),
                 literal_fields=(), only=None):
        self.internal = set(COMMON_INTERNAL) | set(internal)
        self.non_removable = set(non_removable) | set(mandatory)
        self.literal_fields = set(literal_fields)
        # When set, the only top-level fields a patch may change.
        self.only = set(only) if only is not None else None


def _root(path):
    return '/' + path.split('/')[1]


def _literal(path, value):
    if not isinstance(value, str):
        return value
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise exception.PatchError(
            patch=path, reason='the value is not a dict or list literal')


def check_patch(patch, rules):
    """Validate the patch document itself against `rules`."""
    if not isinstance(patch, list):
        raise exception.Invalid(
            'The body must be a JSON-Patch list of operations, e.g. '
            '[{"op": "replace", "path": "/name", "value": "x"}].')
    validation.validate(PATCH_SCHEMA, patch)
    for operation in patch:
        path = operation['path']
        root = _root(path)
        if root in rules.internal:
            raise exception.PatchError(
                patch=path, reason="'%s' is an internal attribute and can "
                                   "not be updated" % path)
        if operation['op'] != 'remove' and 'value' not in operation:
            raise exception.PatchError(patch=path,
                                       reason="'value' is required")
        if operation['op'] == 'remove' and path in rules.non_removable:
            raise exception.PatchError(
                patch=path, reason="'%s' is a mandatory attribute and can "
                                   "not be removed" % path)


def changed_roots(patch):
    return {_root(op['path']).lstrip('/') for op in patch}


def apply(document, patch, rules):
    """The document with the patch applied (the input is not changed)."""
    check_patch(patch, rules)
    operations = []
    for operation in patch:
        operation = dict(operation)
        path = operation['path']
        if (operation['op'] == 'add' and path.count('/') == 1 and
                path.lstrip('/') not in document):
            raise exception.PatchError(
                patch=path, reason='Adding a new attribute (%s) to the root '
                                   'of the resource is not allowed.' % path)
        if (operation['op'] in ('add', 'replace') and
                path in rules.literal_fields):
            operation['value'] = _literal(path, operation['value'])
        operations.append(operation)
    try:
        return jsonpatch.apply_patch(document, operations)
    except (jsonpatch.JsonPatchException,
            jsonpointer.JsonPointerException) as exc:
        raise exception.PatchError(patch=patch, reason=str(exc))
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        raise exception.PatchError(patch=patch, reason=str(exc))
