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

"""swarm_docker clusters made by a conductor in this process.

The fixtures (import them into the test module, with docker_engine's
`host_docker`, which they use): `heat`, a real Heat API and engine with
our Docker resources, one per test module; `cleanup`, a list a test adds
its clusters' UUIDs to, whose leftovers on the host engine are removed
after the test, passed or failed.
"""

from oslo_utils import uuidutils
import pytest

from magnum_lite.drivers.swarm_docker import engine
from tests.harness import cluster_rows
from tests.harness import lifecycle

LABEL = engine.CLUSTER_LABEL


@pytest.fixture(scope='module')
def heat(host_docker, tmp_path_factory):
    with lifecycle.embedded_heat(tmp_path_factory.mktemp('heat')) as service:
        yield service


@pytest.fixture
def cleanup(host_docker):
    """Whatever a failed test leaves behind is removed after it."""
    made = []
    yield made
    for cluster_uuid in made:
        engine.remove_leftovers(host_docker.api, cluster_uuid)


def new_cluster(dbapi, name, labels=None, workers=2):
    """A swarm_docker cluster row (and its template), to be created."""
    template = cluster_rows.make_template(
        dbapi, name='swarm-template', coe='swarm-mode',
        server_type='container', cluster_distro='debian',
        driver='swarm_docker',
        image_id='none', flavor_id='none', master_flavor_id='none')
    return cluster_rows.make_cluster(dbapi, template, name=name,
                                     node_count=workers,
                                     labels=labels or {},
                                     uuid=uuidutils.generate_uuid())


def labelled(host_docker, cluster_uuid):
    """The host's containers, networks and volumes of the cluster."""
    flt = {'label': '%s=%s' % (LABEL, cluster_uuid)}
    return (host_docker.containers.list(all=True, filters=flt),
            host_docker.networks.list(filters=flt),
            host_docker.volumes.list(filters=flt))
