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

"""A real conductor process answering over the real RabbitMQ."""

import uuid

from cryptography import fernet
from cryptography import x509 as cx509
import pytest

from magnum_lite.certificates import x509
from magnum_lite.common import context as ml_context
from magnum_lite.common import exception
from magnum_lite.common import rpc
from magnum_lite.common import states
from magnum_lite.conductor import rpcapi
from magnum_lite import conf as ml_conf
from magnum_lite.db import api as db_api
from tests.harness import cluster_rows
from tests.harness import database as db_fixture
from tests.harness import entrypoints
from tests.harness import processes
from tests.harness import services

CONF = ml_conf.CONF


@pytest.fixture
def rabbit_conductor(tmp_path):
    url = services.require_rabbitmq()
    db_url = db_fixture.fresh_sqlite_database(str(tmp_path))
    # A topic and host of this test alone: runs in parallel on one broker
    # must not answer each other.
    topic = 'magnum-lite-test-%s' % uuid.uuid4().hex[:12]
    host = 'rabbit-conductor-%s' % uuid.uuid4().hex[:6]
    driver_path = entrypoints.write_distribution(str(tmp_path / 'eps'))
    config = processes.write_config(tmp_path / 'ml.conf', {
        'DEFAULT': {'transport_url': url, 'host': host,
                    'state_path': tmp_path / 'state'},
        'database': {'connection': db_url},
        'conductor': {'topic': topic, 'sync_interval': 1,
                      'heartbeat_interval': 1},
        'certificates': {
            'encryption_key': fernet.Fernet.generate_key().decode()},
        'x509': {'rsa_key_size': 1024},
    })
    env = processes.environment(tmp_path, driver_path)
    rpc.register_opts(CONF)
    CONF.set_override('transport_url', url)
    CONF.set_override('topic', topic, group='conductor')
    CONF.set_override('rpc_response_timeout', 30)
    rpc.cleanup()
    dbapi = db_api.get_instance()
    service = processes.Service(
        ['magnum-lite-conductor', '--config-file', config], env,
        tmp_path / 'conductor.log')
    try:
        processes.wait_for(
            lambda: dbapi.get_service_by_host_and_binary(
                host, 'magnum-conductor'), what='the conductor heartbeat')
        service.host = host
        yield service, dbapi
    finally:
        code = service.stop()
        rpc.cleanup()
        CONF.clear_override('transport_url')
        CONF.clear_override('topic', group='conductor')
        CONF.clear_override('rpc_response_timeout')
        db_fixture.release()
    assert code == 0, service.log()


def test_call_and_cast_over_rabbitmq(rabbit_conductor):
    service, dbapi = rabbit_conductor
    context = ml_context.RequestContext(project_id='project-a',
                                        user_id='user-a', roles=['member'])
    admin = ml_context.make_admin_context()
    api = rpcapi.ConductorAPI(dbapi=dbapi)
    assert rpc.configured_url(CONF).startswith('rabbit://')

    # A call whose exception crosses the broker as our own type.
    with pytest.raises(exception.ClusterNotFound) as raised:
        api.get_ca_certificate(context, 'no-such-cluster')
    assert str(raised.value) == 'Cluster no-such-cluster could not be found.'

    # A cast, sent to the conductor that owns the cluster.
    template = cluster_rows.make_template(dbapi)
    cluster = cluster_rows.make_cluster(dbapi, template)
    assert api._owner(cluster.uuid) == service.host
    api.create_cluster(context, cluster.uuid, create_timeout=5)
    processes.wait_for(
        lambda: dbapi.get_cluster_by_uuid(admin, cluster.uuid).status ==
        states.CREATE_COMPLETE, what='CREATE_COMPLETE', timeout=60)

    # And a call that does real work in the conductor.
    csr, _key = x509.make_csr('admin', 'system:masters')
    signed = api.sign_certificate(context, cluster.uuid, csr.decode())
    ca = api.get_ca_certificate(context, cluster.uuid)
    cx509.load_pem_x509_certificate(signed.encode()).verify_directly_issued_by(
        cx509.load_pem_x509_certificate(ca.encode()))

    code = service.stop()
    assert code == 0, service.log()
    assert dbapi.get_service_by_host_and_binary(
        service.host, 'magnum-conductor').forced_down
