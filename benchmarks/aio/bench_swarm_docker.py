#!/usr/bin/env python
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

"""A swarm_docker cluster (1 manager + 2 workers) against its floor.

Usage: .venv/bin/python benchmarks/aio/bench_swarm_docker.py [--rounds R]
       [--sync-interval S] [--heat-step S] [--state-dir DIR]

Driver side: the real conductor creates the cluster through the driver
and a real Heat API + engine (magnum_lite.aio.heat, our plugins); the time
runs from the create call until the real status sync writes
CREATE_COMPLETE (the sync runs every --sync-interval seconds; Heat's
engine steps every --heat-step seconds, [aio] heat_step_seconds by
default).

Floor: the same three containers (same image, flags, environment and
certificates, taken from the driver's own stack parameters), their
volumes and network made directly with the docker SDK, until every node
reports it is in the swarm (the health check Heat waits for too).
Certificates for the floor are made before its clock starts.

Heat's SQLite lives in --state-dir, /dev/shm by default: on a VM disk each
commit waits for an fsync, which measures the disk (deployments use
MySQL). Rounds alternate which side goes first; medians and their ratio
are printed. The node image is built before the first round.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, REPO)

from cryptography import fernet  # noqa: E402
import docker  # noqa: E402
from oslo_utils import uuidutils  # noqa: E402

from magnum_lite.aio import heat as heat_service  # noqa: E402
from magnum_lite.certificates import store  # noqa: E402
from magnum_lite.common import context as ml_context  # noqa: E402
from magnum_lite.common import states  # noqa: E402
from magnum_lite.conductor import clusters  # noqa: E402
from magnum_lite.conductor import manager as conductor_manager  # noqa: E402
from magnum_lite.conductor import periodics  # noqa: E402
from magnum_lite import conf as ml_conf  # noqa: E402
from magnum_lite.db import api as db_api  # noqa: E402
from magnum_lite.drivers import loader  # noqa: E402
from magnum_lite.drivers.swarm_docker import engine  # noqa: E402
from magnum_lite.drivers.swarm_docker import image  # noqa: E402
from magnum_lite.drivers.swarm_docker import plan  # noqa: E402
from tests.harness import cluster_rows  # noqa: E402
from tests.harness import database as db_fixture  # noqa: E402

CONF = ml_conf.CONF

WORKERS = 2


def _context():
    return ml_context.RequestContext(project_id='project-a',
                                     user_id='user-a', roles=['member'])


def _new_cluster(dbapi, name):
    template = cluster_rows.make_template(
        dbapi, name='swarm-%s' % name, coe='swarm-mode',
        server_type='container', cluster_distro='debian',
        driver='swarm_docker')
    return cluster_rows.make_cluster(dbapi, template, name=name,
                                     node_count=WORKERS,
                                     uuid=uuidutils.generate_uuid())


def _wait_status(manager, cluster_uuid, wanted, interval, timeout=300):
    dbapi = db_api.get_instance()
    admin = ml_context.make_admin_context()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        manager.wait_for_operations(60)
        periodics.sync_cluster_status(manager)
        try:
            cluster = dbapi.get_cluster_by_uuid(admin, cluster_uuid)
        except Exception:
            if wanted is None:
                return
            raise
        if cluster.status == wanted:
            return
        if cluster.status.endswith('_FAILED'):
            raise RuntimeError('%s: %s' % (cluster.status,
                                           cluster.status_reason))
        time.sleep(interval)
    raise RuntimeError('cluster %s did not reach %s' % (cluster_uuid, wanted))


def through_driver(manager, name, interval):
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, name)
    start = time.monotonic()
    manager.create_cluster(_context(), cluster.uuid, 10)
    _wait_status(manager, cluster.uuid, states.CREATE_COMPLETE, interval)
    elapsed = time.monotonic() - start
    manager.delete_cluster(_context(), cluster.uuid)
    _wait_status(manager, cluster.uuid, None, interval)
    return elapsed


def _floor_parameters(name):
    """The driver's own parameters for a cluster it never creates."""
    from magnum_lite.drivers.swarm_docker import driver as swarm_driver
    dbapi = db_api.get_instance()
    cluster = _new_cluster(dbapi, name)
    store.generate_cluster_cas(dbapi, cluster)
    cluster = dbapi.get_cluster_by_uuid(ml_context.make_admin_context(),
                                        cluster.uuid)
    driver = swarm_driver.SwarmDockerDriver(clusters.DriverServices(dbapi))
    definition = driver.stack_definition(
        None, cluster, None, list(cluster.nodegroups))
    # Left in the database, the row would look like a create that never
    # reached Heat, and the status sync would resume it in a later round.
    dbapi.destroy_cluster(cluster.uuid)
    return cluster.uuid, definition.parameters


def _node_env(params, node, role):
    return {
        'SWARM_NODE_NAME': node['name'], 'SWARM_NODE_IP': node['address'],
        'SWARM_ROLE': role, 'SWARM_BOOTSTRAP': node['bootstrap'],
        'SWARM_MANAGER': params['manager_address'],
        'SWARM_JOIN_TIMEOUT': params['join_timeout'],
        'SWARM_TLS_CA': params['ca_cert'], 'SWARM_TLS_CERT': node['cert'],
        'SWARM_TLS_KEY': node['key'],
    }


def directly(client, cluster_uuid, params):
    """The floor: the same network, volumes and nodes, no Heat."""
    labels = {engine.CLUSTER_LABEL: cluster_uuid}
    nodes = ([(n, plan.MANAGER) for n in params['master_nodes'].values()] +
             [(n, plan.WORKER) for n in params['worker_nodes'].values()])
    start = time.monotonic()
    ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(
        subnet=params['network_cidr'], iprange=params['dynamic_range'])])
    network = client.create_network(params['network_name'], driver='bridge',
                                    ipam=ipam, labels=labels)
    ids = []
    for node, role in nodes:
        volume = client.create_volume(node['container'] + '-docker',
                                      labels=labels)
        ports = {2376: ('127.0.0.1',)} if role == plan.MANAGER else None
        host_config = client.create_host_config(
            binds=['%s:/var/lib/docker:rw' % volume['Name']],
            port_bindings=ports, cap_add=['ALL'], cap_drop=['SYS_RESOURCE'],
            security_opt=['seccomp=unconfined', 'apparmor=unconfined'],
            device_cgroup_rules=['a *:* rwm'], network_mode=network['Id'])
        container = client.create_container(
            params['image'], name=node['container'], hostname=node['name'],
            environment=_node_env(params, node, role), labels=labels,
            volumes=['/var/lib/docker'], host_config=host_config,
            ports=[2376] if ports else None,
            healthcheck={'test': ['CMD', 'test', '-e',
                                  '/run/swarm-node.ready'],
                         'interval': 10 ** 9, 'timeout': 5 * 10 ** 9,
                         'retries': 3, 'start_period': 300 * 10 ** 9},
            networking_config=client.create_networking_config({
                network['Id']: client.create_endpoint_config(
                    ipv4_address=node['address'] or None,
                    aliases=[node['name']])}))
        client.start(container['Id'])
        ids.append(container['Id'])
    pending = set(ids)
    while pending:
        for container_id in list(pending):
            state = client.inspect_container(container_id)['State']
            if (state.get('Health') or {}).get('Status') == 'healthy':
                pending.discard(container_id)
            elif not state.get('Running'):
                raise RuntimeError('floor node %s stopped' % container_id)
        if pending:
            time.sleep(0.1)
    elapsed = time.monotonic() - start
    engine.remove_leftovers(client, cluster_uuid)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--sync-interval', type=float, default=0.2)
    parser.add_argument('--heat-step', type=float,
                        help='[aio] heat_step_seconds (default: its '
                             'default)')
    parser.add_argument('--state-dir', default='/dev/shm')
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix='bench-swarm-', dir=args.state_dir)
    CONF([], project='magnum_lite', default_config_files=[])
    CONF.set_override('encryption_key', fernet.Fernet.generate_key().decode(),
                      group='certificates')
    CONF.set_override('state_path', work)
    db_fixture.fresh_sqlite_database(work)
    client = engine.host_client()
    started = time.monotonic()
    node_image = image.ensure_image(client)
    print('node image %s ready in %.1f s'
          % (node_image, time.monotonic() - started))
    heat = heat_service.HeatService(os.path.join(work, 'heat'),
                                    step_seconds=args.heat_step).start()
    print("Heat's scheduler step %.2f s" % heat.step_seconds)
    CONF.set_override('endpoint_override', heat.endpoint,
                      group='heat_client')
    loader.reset()
    manager = conductor_manager.ConductorManager(host='bench-conductor')
    manager.start(run_periodics=False)
    driver_times, floor_times = [], []
    try:
        for i in range(args.rounds):
            floor_uuid, params = _floor_parameters('floor%d' % i)
            sides = [('floor', lambda: directly(client, floor_uuid, params)),
                     ('driver', lambda: through_driver(
                         manager, 'bench%d' % i, args.sync_interval))]
            if i % 2:
                sides.reverse()
            for side, run in sides:
                elapsed = run()
                (floor_times if side == 'floor' else driver_times).append(
                    elapsed)
                print('round %d %-6s %.2f s' % (i, side, elapsed),
                      flush=True)
    finally:
        manager.stop(graceful=False)
        heat.stop()
        # Its SQLite files live in memory (/dev/shm by default).
        shutil.rmtree(work, ignore_errors=True)
    floor = statistics.median(floor_times)
    driver = statistics.median(driver_times)
    print('median floor %.2f s, driver %.2f s, ratio %.2fx'
          % (floor, driver, driver / floor))


if __name__ == '__main__':
    main()
