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

"""Request bodies checked against JSON schemas.

Before validation two of Magnum's tolerances are applied: JSON null (and
an empty string for an optional member) means "not given", as clients
send every optional key; and numbers and booleans may arrive as strings
(magnum-ui sends every value as a string; WSME coerced them, so we do
too).
"""

import jsonschema
from oslo_utils import strutils

from magnum_lite.common import exception

_TRUE_FALSE = {'true': True, 'false': False, '1': True, '0': False,
               'yes': True, 'no': False, 'on': True, 'off': False}


def _types(schema):
    declared = schema.get('type', ())
    return (declared,) if isinstance(declared, str) else tuple(declared)


def coerce_value(schema, value):
    """A string turned into the integer or boolean the schema asks for."""
    if not isinstance(value, str) or not isinstance(schema, dict):
        return value
    types = _types(schema)
    if 'string' in types:
        return value
    text = value.strip()
    if 'integer' in types:
        try:
            return int(text)
        except ValueError:
            pass
    if 'number' in types:
        try:
            return float(text)
        except ValueError:
            pass
    if 'boolean' in types and text.lower() in _TRUE_FALSE:
        return _TRUE_FALSE[text.lower()]
    return value


def drop_nulls(body, required=()):
    """A top-level object without its unset members.

    Null is unset; so is an empty string for an optional member, because
    magnum-ui sends str(None) as '' for every field left empty in a form.
    """
    if not isinstance(body, dict):
        return body
    return {k: v for k, v in body.items()
            if v is not None and (v != '' or k in required)}


def coerce(schema, body):
    """Coerce the top-level members of `body` to the schema's types."""
    if not isinstance(body, dict):
        return body
    properties = schema.get('properties', {})
    return {k: coerce_value(properties.get(k), v) for k, v in body.items()}


def _describe(error):
    where = '/'.join(str(p) for p in error.absolute_path)
    message = error.message
    if len(message) > 500:
        message = message[:500] + '...'
    if where:
        return 'Invalid input for field/attribute %s: %s' % (where, message)
    return 'Invalid input: %s' % message


def validate(schema, body):
    """Raise Invalid (400) unless `body` matches `schema`."""
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.FormatChecker())
    try:
        errors = sorted(validator.iter_errors(body),
                        key=lambda e: list(e.absolute_path))
    except RecursionError:
        raise exception.Invalid('The request body is nested too deeply.')
    if errors:
        raise exception.Invalid(_describe(errors[0]))
    return body


def checked(schema, body, required_body=True):
    """drop_nulls, coerce and validate a create body in one step."""
    if body is None and not required_body:
        body = {}
    body = coerce(schema, drop_nulls(body, schema.get('required', ())))
    return validate(schema, body)


def as_bool(value, name):
    if isinstance(value, bool):
        return value
    try:
        return strutils.bool_from_string(value, strict=True)
    except (ValueError, TypeError):
        raise exception.InvalidParameterValue(
            err='%s must be a boolean, not %r.' % (name, value))
