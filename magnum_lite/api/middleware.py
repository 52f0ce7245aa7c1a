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

"""WSGI middleware around the Pecan application.

`ErrorEnvelope` makes every error, including Pecan's own 404 and 405 and
anything that escaped the controllers, a JSON ``errors`` document.
`VersionNegotiation` reads the microversion before routing so that every
versioned answer, errors included, carries the version headers.
`AuthToken` is keystonemiddleware with public routes (the version
documents need no token, as in Magnum).
"""

import json
import re

from keystonemiddleware import auth_token
from oslo_log import log
import webob.exc

from magnum_lite.api import method
from magnum_lite.api import versions

LOG = log.getLogger(__name__)

JSON_TYPE = 'application/json'


def start_json(start_response, status, document, headers=()):
    body = json.dumps(document).encode('utf-8')
    reason = webob.exc.status_map.get(status)
    status_line = '%d %s' % (status, reason.title if reason else 'Error')
    start_response(status_line, list(headers) + [
        ('Content-Type', JSON_TYPE), ('Content-Length', str(len(body)))])
    return [body]


def _is_envelope(body):
    try:
        document = json.loads(body.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(document, dict) and 'errors' in document


class ErrorEnvelope:
    """Give any error answer of the wrapped app the errors envelope."""

    # Headers of the original error answer worth keeping.
    _KEEP = ('allow', 'www-authenticate', 'vary', 'x-openstack-request-id',
             'openstack-api-version', 'openstack-api-minimum-version',
             'openstack-api-maximum-version', 'location')

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        state = {}

        def capture(status, headers, exc_info=None):
            state['status'] = status
            state['headers'] = headers
            code = int(status.split(' ', 1)[0])
            if code < 400:
                return start_response(status, headers, exc_info)
            # Errors are buffered and rewritten below.
            return lambda data: None

        def request_id():
            return environ.get(method.REQUEST_ID_KEY, '')

        try:
            app_iter = self.app(environ, capture)
            code = int(state['status'].split(' ', 1)[0])
            if code < 400:
                return app_iter
            body = b''.join(app_iter)
            if hasattr(app_iter, 'close'):
                app_iter.close()
        except Exception:
            LOG.exception('Unhandled error while serving request %s',
                          request_id())
            return start_json(start_response, 500, method.error_document(
                500, 'The server has either erred or is incapable of '
                     'performing the requested operation.', request_id()))

        kept = [(k, v) for k, v in state['headers']
                if k.lower() in self._KEEP]
        if _is_envelope(body):
            start_response(state['status'], kept + [
                ('Content-Type', JSON_TYPE),
                ('Content-Length', str(len(body)))])
            return [body]
        http_error = webob.exc.status_map.get(code)
        title = http_error.title if http_error else 'Error'
        detail = (http_error.explanation if http_error else '') or title
        if code == 405:
            detail = 'The method %s is not allowed for this resource.' % (
                environ.get('REQUEST_METHOD', ''))
        return start_json(start_response, code, method.error_document(
            code, detail, request_id(), title=title), kept)


class VersionNegotiation:
    """Negotiate the microversion of every request below the root."""

    _ROOT_PATHS = ('', '/')

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '') in self._ROOT_PATHS:
            return self.app(environ, start_response)
        header = environ.get('HTTP_OPENSTACK_API_VERSION')
        try:
            negotiated = versions.negotiate(header)
        except versions.VersionNotAcceptable as exc:
            _, document = method.exception_document(
                exc, environ.get(method.REQUEST_ID_KEY, ''))
            fallback = versions.Negotiated(versions.MIN_VERSION)
            # The range headers still help the client pick a version.
            headers = [h for h in fallback.headers()
                       if h[0] != versions.HEADER]
            return start_json(start_response, 406, document, headers)
        environ[method.API_VERSION_KEY] = negotiated

        def add_headers(status, headers, exc_info=None):
            headers = [h for h in headers if h[0].lower() != 'vary']
            return start_response(status, headers + negotiated.headers(),
                                  exc_info)

        return self.app(environ, add_headers)


class AuthToken(auth_token.AuthProtocol):
    """keystonemiddleware auth_token that lets the public routes through."""

    def __init__(self, app, conf, public_api_routes=()):
        self._public_routes = [
            re.compile(r'^%s(\.json)?/?$' % re.escape(route.rstrip('/')))
            for route in public_api_routes]
        super().__init__(app, conf)

    def __call__(self, env, start_response):
        path = env.get('PATH_INFO', '/') or '/'
        if any(route.match(path) for route in self._public_routes):
            env['magnum_lite.public_route'] = True
            return self._app(env, start_response)
        return super().__call__(env, start_response)


def auth_token_filter_factory(global_conf, **local_conf):
    conf = dict(global_conf, **local_conf)
    routes = [r.strip() for r in
              conf.pop('acl_public_routes', '/, /v1').split(',') if r.strip()]

    def _factory(app):
        return AuthToken(app, conf, public_api_routes=routes)
    return _factory


class OpaqueBody:
    """Keep Pecan from reading request bodies (and refuse unknown verbs).

    Pecan parses a JSON or form body to fill keyword arguments, and a
    deeply nested document makes that parse raise outside any controller.
    The controllers read the body themselves (method.json_body), so Pecan
    is shown an opaque one; the real type stays in the environ.
    """

    ORIGINAL_CONTENT_TYPE = 'magnum_lite.content_type'

    def __init__(self, app):
        self.app = app

    # No resource of the API has any other verb; Pecan would answer
    # them with a 404 that hides the real reason. PUT serves only the
    # container actions (microversion 1.15).
    SERVED_METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE',
                      'OPTIONS')

    def __call__(self, environ, start_response):
        method = environ.get('REQUEST_METHOD')
        if method not in self.SERVED_METHODS or (
                method == 'PUT' and
                '/containers/' not in environ.get('PATH_INFO', '')):
            return webob.exc.HTTPMethodNotAllowed()(environ, start_response)
        environ[self.ORIGINAL_CONTENT_TYPE] = environ.get('CONTENT_TYPE', '')
        environ['CONTENT_TYPE'] = 'application/octet-stream'
        return self.app(environ, start_response)


# Headers a browser client (e.g. a dashboard) may send and read.
CORS_ALLOW_HEADERS = ['X-Auth-Token', 'X-Identity-Status', 'X-Roles',
                      'X-Service-Catalog', 'X-User-Id', 'X-Tenant-Id',
                      'X-OpenStack-Request-ID', versions.HEADER]
CORS_EXPOSE_HEADERS = ['X-Auth-Token', 'X-Subject-Token',
                       'X-Service-Token', 'X-OpenStack-Request-ID',
                       versions.HEADER, versions.MIN_HEADER,
                       versions.MAX_HEADER]


def cors_filter_factory(global_conf, **local_conf):
    """CORS configured from the service's own [cors] options."""
    from oslo_config import cfg
    from oslo_middleware import cors
    cors.set_defaults(
        allow_headers=CORS_ALLOW_HEADERS, expose_headers=CORS_EXPOSE_HEADERS,
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])

    def _factory(app):
        return cors.CORS(app, cfg.CONF)
    return _factory
