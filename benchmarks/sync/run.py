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

"""Heat calls and conductor CPU per status-sync cycle.

For 10, 1,000 and 10,000 clusters in progress, one cycle of the real
conductor sync (magnum_lite.conductor.periodics.sync_cluster_status with
the Heat driver base) is run against a stand-in Heat API serving stack
lists, side by side with the same sync whose driver polls one stack GET
per cluster (the per-cluster poll it replaces). Reported: Heat requests and the
conductor's CPU seconds per cycle, and their ratios.

    .venv/bin/python -m benchmarks.sync.run [--sizes 10,1000,10000]
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, REPO)

from benchmarks.sync import stand_in_heat  # noqa: E402
from magnum_lite.common import states  # noqa: E402
from magnum_lite.conductor import manager as conductor_manager  # noqa: E402
from magnum_lite.conductor import periodics  # noqa: E402
from magnum_lite import conf as ml_conf  # noqa: E402
from magnum_lite.db import api as db_api  # noqa: E402
from magnum_lite.db.sqlalchemy import enginefacade_setup as facade  # noqa: E402,E501
from magnum_lite.db.sqlalchemy import models  # noqa: E402
from magnum_lite.drivers import loader  # noqa: E402
from tests.harness import database as db_fixture  # noqa: E402
from tests.harness import entrypoints  # noqa: E402
from tests.harness.fakes import heat_driver  # noqa: E402

CONF = ml_conf.CONF
DRIVERS = {'heat_test':
           'tests.harness.fakes.heat_driver:TestResourceHeatDriver',
           'heat_poll': 'benchmarks.sync.run:PerClusterPollDriver'}


class PerClusterPollDriver(heat_driver.TestResourceHeatDriver):
    """The same driver polling Heat once per cluster, the old way."""

    _clusters = ()

    def get_status(self, context, clusters):
        self._clusters = clusters
        return super().get_status(context, clusters)

    def _list_stacks(self, heat):
        stacks = {}
        for cluster in self._clusters:
            stack = heat.stacks.get(cluster.stack_id)
            stacks[stack.id] = stack
        return stacks


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _requests(port):
    with urllib.request.urlopen('http://127.0.0.1:%d/count' % port) as r:
        return json.load(r)['requests']


def _seed(dbapi, count, driver):
    template = dbapi.create_cluster_template({
        'name': 't', 'coe': 'kubernetes', 'server_type': 'vm',
        'cluster_distro': 'heat-test', 'driver': driver,
        'project_id': 'p'})
    # One transaction for all rows: a commit per cluster would make the
    # seeding, not the sync, the long part of the run.
    with facade.writer() as session:
        for n in range(count):
            uuid = '10000000-0000-0000-0000-%012d' % n
            session.add(models.Cluster(
                uuid=uuid, name='c%d' % n, project_id='p',
                cluster_template_id=template.uuid,
                status=states.CREATE_IN_PROGRESS,
                stack_id=stand_in_heat.stack_id(n)))
            session.add(models.NodeGroup(
                uuid='20000000-0000-0000-0000-%012d' % n,
                name='default-worker', cluster_id=uuid, role='worker',
                node_count=1, is_default=True, project_id='p',
                status=states.CREATE_IN_PROGRESS,
                stack_id=stand_in_heat.stack_id(n)))


def _measure(port, action):
    before = _requests(port)
    cpu = time.process_time()
    wall = time.perf_counter()
    action()
    return {'heat_requests': _requests(port) - before,
            'cpu_s': time.process_time() - cpu,
            'wall_s': time.perf_counter() - wall}


def _one_cycle(port, count, workdir, driver):
    """CPU and Heat requests of a steady-state sync cycle with `driver`.

    The first cycle records every stack's status once; the second, the
    one measured, is what every later cycle costs.
    """
    db_fixture.fresh_sqlite_database(workdir)
    dbapi = db_api.get_instance()
    _seed(dbapi, count, driver)
    manager = conductor_manager.ConductorManager(host='bench')
    manager.start(run_periodics=False)
    try:
        periodics.sync_cluster_status(manager)
        return _measure(port, lambda: periodics.sync_cluster_status(manager))
    finally:
        manager.stop(graceful=False)
        db_fixture.release()


def run_size(count, workdir):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, '-m', 'benchmarks.sync.stand_in_heat', str(port),
         str(count)], cwd=REPO, stdout=subprocess.PIPE)
    try:
        server.stdout.readline()
        CONF.set_override('endpoint_override',
                          'http://127.0.0.1:%d/v1/admin' % port,
                          group='heat_client')
        ours = _one_cycle(port, count, workdir, 'heat_test')
        baseline = _one_cycle(port, count, workdir, 'heat_poll')
        return ours, baseline
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--sizes', default='10,1000,10000')
    args = parser.parse_args()
    CONF([], project='magnum_lite', default_config_files=[])
    CONF.set_override('periodic_enable', False)
    driver_dir = tempfile.mkdtemp(prefix='sync-bench-drivers-')
    entrypoints.install(entrypoints.write_distribution(driver_dir, DRIVERS))
    loader.reset()
    rows = []
    for size in [int(s) for s in args.sizes.split(',')]:
        with tempfile.TemporaryDirectory() as workdir:
            ours, baseline = run_size(size, workdir)
        rows.append((size, ours, baseline))
        print('%6d clusters: sync %4d Heat requests %7.3f s CPU | per-cluster '
              'poll %6d requests %7.3f s CPU | requests ratio %.4f, CPU ratio '
              '%.3f' % (size, ours['heat_requests'], ours['cpu_s'],
                        baseline['heat_requests'], baseline['cpu_s'],
                        ours['heat_requests'] / baseline['heat_requests'],
                        ours['cpu_s'] / baseline['cpu_s']), flush=True)
    return rows


if __name__ == '__main__':
    main()
