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

"""The real Pecan application over a freshly migrated SQLite database.

Only the conductor is replaced: `FakeConductor` records every cast and
call so a test can see what the API asked for, and answers the calls the
way a conductor with a driver that cannot federate would. A test-only
cluster driver serves (vm, any, kubernetes).

Import the fixtures `api` and `fake_driver` into a conftest; `api` asks
for a `database` fixture (the database API over a migrated schema).
"""

import json

from oslo_middleware import request_id
import pytest
import webtest

from magnum_lite.api import app as api_app
from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import policy
from magnum_lite import conf as ml_conf
from magnum_lite.db import api as db_api
from magnum_lite.drivers import base as driver_base
from magnum_lite.drivers import loader

CONF = ml_conf.CONF

CA_PEM = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n'
SIGNED_PEM = '-----BEGIN CERTIFICATE-----\nSIGNED\n-----END CERTIFICATE-----\n'

ADMIN = {'X-Project-Id': 'admin', 'X-User-Id': 'admin',
         'X-Roles': 'admin,member,reader'}
MEMBER_A = {'X-Project-Id': 'project-a', 'X-User-Id': 'user-a',
            'X-Roles': 'member'}
READER_A = {'X-Project-Id': 'project-a', 'X-User-Id': 'reader-a',
            'X-Roles': 'reader'}
MEMBER_B = {'X-Project-Id': 'project-b', 'X-User-Id': 'user-b',
            'X-Roles': 'member'}


def make_admin_context():
    return ml_context.make_admin_context()


def version(value):
    return {'OpenStack-API-Version': 'container-infra %s' % value}


class FakeDriver(driver_base.ClusterDriver):
    """A driver that accepts everything but a kube_tag not starting with v."""

    provides = [('vm', 'any', 'kubernetes'), ('bm', 'any', 'kubernetes')]
    labels_schema = {'type': 'object',
                     'properties': {'kube_tag': {'type': 'string',
                                                 'pattern': '^v'}}}

    def create_cluster(self, context, cluster, nodegroups, timeout):
        return None

    def update_cluster(self, context, cluster, nodegroups, rollback=False):
        return None

    def resize_cluster(self, context, cluster, nodegroup, node_count,
                       nodes_to_remove):
        return None

    def upgrade_cluster(self, context, cluster, cluster_template,
                        max_batch_size, nodegroup):
        return None

    def delete_cluster(self, context, cluster):
        return None

    def create_nodegroup(self, context, cluster, nodegroup):
        return None

    def update_nodegroup(self, context, cluster, nodegroup):
        return None

    def delete_nodegroup(self, context, cluster, nodegroup):
        return None

    def get_status(self, context, clusters):
        return {}


class FakeConductor:
    """Records what the API asks of the conductor."""

    def __init__(self):
        self.calls = []
        self.fail_with = None

    def _record(self, name, context, *args):
        self.calls.append((name,) + args)
        if self.fail_with is not None:
            raise self.fail_with

    def names(self):
        return [c[0] for c in self.calls]

    def last(self, name):
        found = [c for c in self.calls if c[0] == name]
        return found[-1] if found else None

    def __getattr__(self, name):
        # Every cast of the interface: create_cluster, update_cluster, ...
        if name.startswith('_'):
            raise AttributeError(name)
        return lambda context, *args: self._record(name, context, *args)

    def get_ca_certificate(self, context, cluster_uuid, ca_cert_type):
        self._record('get_ca_certificate', context, cluster_uuid,
                     ca_cert_type)
        return CA_PEM

    def sign_certificate(self, context, cluster_uuid, csr, ca_cert_type):
        self._record('sign_certificate', context, cluster_uuid, csr,
                     ca_cert_type)
        return SIGNED_PEM

    def rotate_credential(self, context, cluster_uuid):
        self._record('rotate_credential', context, cluster_uuid)
        raise exception.NotSupported(
            operation='Credential rotation by this driver')

    def _federation(self, name, context, federation_uuid):
        self._record(name, context, federation_uuid)
        raise exception.NotSupported(operation='Federation by this driver')

    def create_federation(self, context, federation_uuid):
        self._federation('create_federation', context, federation_uuid)

    def update_federation(self, context, federation_uuid):
        self._federation('update_federation', context, federation_uuid)

    def delete_federation(self, context, federation_uuid):
        self._federation('delete_federation', context, federation_uuid)


class Api:
    """A webtest client with JSON helpers and per-project headers."""

    def __init__(self, wsgi_app, conductor, dbapi):
        self.app = webtest.TestApp(wsgi_app)
        self.conductor = conductor
        self.dbapi = dbapi

    def _headers(self, headers, version_value):
        result = dict(ADMIN)
        result.update(headers or {})
        if version_value is not None:
            result.update(version(version_value))
        return result

    def request(self, method, path, body=None, headers=None,
                version='latest', status=None, raw=None, content_type=None):
        kwargs = {'headers': self._headers(headers, version),
                  'expect_errors': True}
        if raw is not None:
            kwargs['params'] = raw
            kwargs['content_type'] = content_type or 'application/json'
        elif body is not None:
            kwargs['params'] = json.dumps(body)
            kwargs['content_type'] = content_type or 'application/json'
        elif content_type:
            kwargs['content_type'] = content_type
        response = getattr(self.app, method.lower())(path, **kwargs)
        if status is not None:
            assert response.status_int == status, (
                response.status, response.text)
        return response

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request('PATCH', path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    # Objects the tests start from.

    def make_template(self, headers=None, **values):
        body = {'name': 'k8s-tmpl', 'coe': 'kubernetes',
                'image_id': 'fedora-coreos', 'external_network_id': 'public',
                'flavor_id': 'ds2G', 'master_flavor_id': 'ds2G',
                'labels': {'kube_tag': 'v1.30.0'}}
        body.update(values)
        return self.post('/v1/clustertemplates', body, headers=headers,
                         status=201).json

    def make_cluster(self, template, headers=None, status=None, **values):
        body = {'name': 'c1', 'cluster_template_id': template,
                'node_count': 2, 'master_count': 1}
        body.update(values)
        uuid = self.post('/v1/clusters', body, headers=headers,
                         status=202).json['uuid']
        if status:
            self.dbapi.update_cluster(uuid, {'status': status})
        return uuid

    def set_cluster(self, uuid, **values):
        return self.dbapi.update_cluster(uuid, values)


def error_of(response):
    """The one error of an errors envelope (and check the envelope)."""
    document = response.json
    assert list(document) == ['errors'], document
    (error,) = document['errors']
    assert {'request_id', 'code', 'status', 'title', 'detail',
            'links'} <= set(error), error
    assert error['status'] == response.status_int
    assert 'Traceback' not in response.text
    return error


@pytest.fixture
def fake_driver():
    registry = loader._Registry({'fake': FakeDriver()})
    saved = loader._drivers
    loader._drivers = registry
    yield registry
    loader._drivers = saved


@pytest.fixture
def api(database, fake_driver):
    """The API app with a recording conductor, as the admin by default."""
    CONF([], project='magnum_lite', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth', group='api')
    policy.reset()
    conductor = FakeConductor()
    wsgi_app = request_id.RequestId(api_app.setup_app(rpcapi=conductor))
    yield Api(wsgi_app, conductor, db_api.get_instance())
    policy.reset()
    CONF.clear_override('auth_strategy', group='api')
