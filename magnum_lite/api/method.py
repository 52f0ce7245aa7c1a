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

"""How a controller method becomes an HTTP answer.

`expose` turns the return value into JSON with the method's success status
and every exception into Magnum's error envelope::

    {"errors": [{"request_id", "code", "status", "title", "detail",
                 "links"}]}

Known exceptions keep their status; anything else is logged with its
traceback and answered as a 500 that reveals nothing of it.
"""

import functools
import inspect
import json
import re

from oslo_log import log
import pecan
import webob.exc

from magnum_lite.common import exception

LOG = log.getLogger(__name__)

API_VERSION_KEY = 'magnum_lite.api_version'
REQUEST_ID_KEY = 'openstack.request_id'

# The title is the first sentence of the message, as Magnum's clients
# show it; a dot inside a name (e.g. "c1.example") does not end it.
_SENTENCE_END = re.compile(r'\.(\s|$)')


def error_title(message):
    return _SENTENCE_END.split(message, 1)[0]


def error_document(status, message, request_id='', code=None, title=None,
                   links=None, extras=None):
    """The JSON document of one error, in Magnum's envelope."""
    error = {
        'request_id': request_id or '',
        'code': code or ('client' if status < 500 else 'server'),
        'status': status,
        'title': title if title is not None else error_title(message),
        'detail': message,
        'links': links or [],
    }
    error.update(extras or {})
    return {'errors': [error]}


def exception_document(exc, request_id=''):
    """(status, document) for an exception raised while serving a request."""
    if isinstance(exc, exception.MagnumLiteException):
        status = int(exc.code)
        message = exc.format_message()
        if status >= 500:
            # Our own server-side errors (e.g. no conductor) carry a
            # message meant for users; still log where they came from.
            LOG.error('Request %s failed: %s', request_id, message)
        return status, error_document(
            status, message, request_id,
            code=getattr(exc, 'error_code', None),
            title=getattr(exc, 'error_title', None),
            links=getattr(exc, 'error_links', None),
            extras=exc.error_extras() if hasattr(exc, 'error_extras')
            else None)
    if isinstance(exc, webob.exc.HTTPException):
        status = exc.code
        message = exc.detail or exc.explanation
        return status, error_document(status, message, request_id,
                                      title=exc.title)
    LOG.exception('Unexpected error while serving request %s', request_id)
    return 500, error_document(
        500, 'The server has either erred or is incapable of performing '
             'the requested operation.', request_id)


STATUS_KEY = 'magnum_lite.status'


def answer_with(status):
    """Answer with `status` instead of the method's usual success status.

    Some answers differ by microversion (bays at 1.1).
    """
    pecan.request.environ[STATUS_KEY] = status


def request_id():
    return pecan.request.environ.get(REQUEST_ID_KEY, '')


def api_version():
    """The negotiated microversion of the current request."""
    return pecan.request.environ[API_VERSION_KEY].version


def _check_arguments(signature, controller, args, kwargs):
    """Refuse a URL with the wrong number of segments for its verb.

    Too few (PATCH /v1/clusters) is a 405, too many a 404: client errors
    rather than a TypeError inside the controller.
    """
    try:
        signature.bind(controller, *args, **kwargs)
    except TypeError:
        required = [p for p in signature.parameters.values()
                    if p.default is p.empty and
                    p.kind == p.POSITIONAL_OR_KEYWORD]
        if len(args) + 1 < len(required):
            raise webob.exc.HTTPMethodNotAllowed()
        raise webob.exc.HTTPNotFound()


def expose(status_code=200):
    """Expose a controller method as a JSON answer with `status_code`."""

    def decorate(func):
        signature = inspect.signature(func)

        # The first parameter is not called "self" on purpose: Pecan then
        # reads the signature of `func` (through this closure) to route
        # and pass arguments, so a wrong number of path segments is a
        # client error rather than a TypeError here.
        @functools.wraps(func)
        def callfunction(controller, *args, **kwargs):
            try:
                _check_arguments(signature, controller, args, kwargs)
                result = func(controller, *args, **kwargs)
            except Exception as exc:
                status, document = exception_document(exc, request_id())
                pecan.response.status = status
                return json.dumps(document)
            status = pecan.request.environ.pop(STATUS_KEY, status_code)
            pecan.response.status = status
            if status == 204 or result is None:
                pecan.response.content_type = None
                return ''
            return json.dumps(result)

        return pecan.expose(content_type='application/json')(callfunction)

    return decorate


def _reject_constant(name):
    raise ValueError('%s is not valid JSON' % name)


def json_body(required=True):
    """The parsed JSON request body (None when empty and not required)."""
    raw = pecan.request.body
    if not raw or not raw.strip():
        if required:
            raise exception.Invalid('A JSON request body is required.')
        return None
    try:
        return json.loads(raw.decode('utf-8'),
                          parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise exception.Invalid('Malformed JSON request body: %s' % exc)
