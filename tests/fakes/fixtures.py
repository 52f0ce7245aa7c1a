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

"""pytest fixtures for conductor and driver tests (import into conftest)."""

from cryptography import fernet
from oslo_utils import uuidutils
import pytest

from magnum_lite.common import states
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import loader
from tests.fakes import driver as fake_driver
from tests.fakes import entrypoints

CONF = ml_conf.CONF

TEST_DRIVERS = {
    'fake': 'tests.fakes.driver:FakeDriver',
    'fake_basic': 'tests.fakes.driver:BasicFakeDriver',
}


@pytest.fixture(scope='session')
def driver_path(tmp_path_factory):
    """A directory holding the test drivers' entry points."""
    directory = str(tmp_path_factory.mktemp('entry-points'))
    return entrypoints.write_distribution(directory, TEST_DRIVERS)


@pytest.fixture
def fake_drivers(driver_path):
    """The test drivers, loadable through stevedore in this process."""
    entrypoints.install(driver_path)
    loader.reset()
    fake_driver.FakeDriver.calls.clear()
    yield
    loader.reset()
    entrypoints.uninstall(driver_path)


@pytest.fixture
def certificate_config(tmp_path):
    """Small RSA keys (fast tests) and a Fernet key."""
    CONF.set_override('rsa_key_size', 1024, group='x509')
    CONF.set_override('encryption_key', fernet.Fernet.generate_key().decode(),
                      group='certificates')
    CONF.set_override('state_path', str(tmp_path))
    yield
    CONF.clear_override('rsa_key_size', group='x509')
    CONF.clear_override('encryption_key', group='certificates')
    CONF.clear_override('state_path')


def make_template(dbapi, **values):
    template = dict(uuid=uuidutils.generate_uuid(), name='k8s-template',
                    project_id='project-a', user_id='user-a',
                    coe='kubernetes', server_type='vm',
                    cluster_distro='fedora-coreos', image_id='fcos',
                    flavor_id='m1.small', master_flavor_id='m1.small',
                    labels={})
    template.update(values)
    return dbapi.create_cluster_template(template)


def make_cluster(dbapi, template, status=states.CREATE_IN_PROGRESS,
                 node_count=2, master_count=1, nodegroup_status=None,
                 **values):
    # The API records the driver it picked on the cluster; installed
    # drivers may provide the same types as the fake ones.
    cluster = dict(uuid=uuidutils.generate_uuid(), name='cluster-1',
                   project_id=template.project_id, user_id='user-a',
                   cluster_template_id=template.uuid, status=status,
                   create_timeout=60, labels={}, keypair='key',
                   driver=template.driver or 'fake')
    cluster.update(values)
    ng_status = nodegroup_status or status
    nodegroups = [
        dict(uuid=uuidutils.generate_uuid(),
             name=states.DEFAULT_MASTER_NODEGROUP,
             role=states.NODEGROUP_ROLE_MASTER, is_default=True,
             node_count=master_count, min_node_count=1,
             flavor_id='m1.small', image_id='fcos', status=ng_status),
        dict(uuid=uuidutils.generate_uuid(),
             name=states.DEFAULT_WORKER_NODEGROUP,
             role=states.NODEGROUP_ROLE_WORKER, is_default=True,
             node_count=node_count, min_node_count=0,
             flavor_id='m1.small', image_id='fcos', status=ng_status),
    ]
    return dbapi.create_cluster(cluster, nodegroups)
