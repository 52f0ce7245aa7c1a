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

"""20 containers through Heat against the same 20 with the docker SDK.

Usage: .venv/bin/python benchmarks/heat_docker/bench.py [--count N]
       [--rounds R] [--db-dir DIR] [--api]

Heat side: the real engine in this process (legacy engine, SQLite) creates
and deletes one stack of N DockerInc::Docker::Container resources. The
SQLite file lives in --db-dir, /dev/shm by default: on a VM disk each of
Heat's commits waits for an fsync, which measures the disk, not Heat or the
plugins (deployments use MySQL).

With --api the Heat side is Heat as deployed instead: heat-wsgi-api's
application and heat-engine's service (convergence engine) in a child
process with a MariaDB database (127.0.0.1, root), driven through the REST
API with python-heatclient; a stack counts as done when the API reports it.

Direct side: the docker SDK creates, starts, waits for and removes N containers
with the same image, command and labels, one after the other. Rounds
alternate which side goes first; the medians and their ratio are printed.
"""

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, REPO)

# The Heat harness selects oslo.service's threading backend: import first.
from tests.harness import heat_engine  # noqa: E402

import docker  # noqa: E402
from heatclient import exc as heat_exc  # noqa: E402

from tests.harness import docker_engine  # noqa: E402
from tests.harness import docker_tls  # noqa: E402
from tests.harness import heat_services  # noqa: E402

COMMAND = ['sleep', '600']


def template(count, image):
    resources = '\n'.join(
        '  c%02d:\n'
        '    type: DockerInc::Docker::Container\n'
        '    properties: {image: %s, cmd: [sleep, "600"]}' % (i, image)
        for i in range(count))
    return 'heat_template_version: 2021-04-16\nresources:\n' + resources


def through_heat(ctx, name, count, image):
    t0 = time.perf_counter()
    stack = heat_engine.create(ctx, name, template(count, image))
    t1 = time.perf_counter()
    if stack.state != ('CREATE', 'COMPLETE'):
        raise RuntimeError(stack.status_reason)
    stack = heat_engine.delete(ctx, stack)
    t2 = time.perf_counter()
    if stack.state != ('DELETE', 'COMPLETE'):
        raise RuntimeError(stack.status_reason)
    return t1 - t0, t2 - t1


def _settle(hc, stack_id, poll=0.1):
    while True:
        try:
            stack = hc.stacks.get(stack_id, resolve_outputs=False)
        except heat_exc.HTTPNotFound:
            return 'DELETE_COMPLETE'
        if not stack.stack_status.endswith('IN_PROGRESS'):
            return stack.stack_status
        time.sleep(poll)


def through_api(hc, name, count, image):
    t0 = time.perf_counter()
    stack_id = hc.stacks.create(stack_name=name,
                                template=template(count, image))['stack']['id']
    status = _settle(hc, stack_id)
    t1 = time.perf_counter()
    if status != 'CREATE_COMPLETE':
        raise RuntimeError(status)
    hc.stacks.delete(stack_id)
    status = _settle(hc, stack_id)
    t2 = time.perf_counter()
    if status != 'DELETE_COMPLETE':
        raise RuntimeError(status)
    return t1 - t0, t2 - t1


@contextlib.contextmanager
def heat_api(prefix, workdir):
    """Heat's API and engine on a MariaDB database of their own."""
    import pymysql
    database = prefix.replace('-', '_') + '_heat'
    conn = pymysql.connect(host='127.0.0.1', user='root')
    with conn.cursor() as cur:
        cur.execute('CREATE DATABASE %s CHARACTER SET utf8mb4' % database)
    server = heat_services.HeatServices(
        workdir, host=prefix, port=docker_tls.free_port(),
        db_url='mysql+pymysql://root@127.0.0.1/%s?charset=utf8mb4'
        % database)
    try:
        server.start()
        yield server.client()
    finally:
        server.stop()
        with conn.cursor() as cur:
            cur.execute('DROP DATABASE IF EXISTS %s' % database)
        conn.close()


def direct(api, name, count, image):
    t0 = time.perf_counter()
    ids = []
    for i in range(count):
        created = api.create_container(
            image, COMMAND, name='%s-c%02d' % (name, i),
            labels={'org.openstack.heat.stack-name': name},
            host_config=api.create_host_config())
        api.start(created['Id'])
        ids.append(created['Id'])
    # The same readiness check Heat's resources make before they are done.
    for container_id in ids:
        while not api.inspect_container(container_id)['State']['Running']:
            time.sleep(0.05)
    t1 = time.perf_counter()
    for container_id in ids:
        api.remove_container(container_id, v=True, force=True)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=20)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--db-dir', default='/dev/shm'
                        if os.access('/dev/shm', os.W_OK) else None)
    parser.add_argument('--api', action='store_true',
                        help='Heat API + convergence engine on MariaDB')
    args = parser.parse_args()

    api = docker.from_env(timeout=120).api
    image = docker_engine.ensure_image(api)
    prefix = docker_engine.unique_prefix('bench')
    workdir = tempfile.mkdtemp(prefix='heat-docker-bench-', dir=args.db_dir)
    with contextlib.ExitStack() as stack:
        if args.api:
            hc = stack.enter_context(heat_api(prefix, workdir))

            def heat_side(name, count):
                return through_api(hc, name, count, image)
            where = 'Heat API, convergence engine, MariaDB'
        else:
            heat_engine.configure(os.path.join(workdir, 'heat.db'))
            ctx = heat_engine.context()

            def heat_side(name, count):
                return through_heat(ctx, name, count, image)
            where = 'in-process legacy engine, SQLite in %s' % workdir
        return run(args, api, image, prefix, workdir, heat_side, where)


def run(args, api, image, prefix, workdir, heat_side, where):
    # Warm both paths (plugin loading, first SQL, client version probe)
    # so the rounds measure steady state.
    heat_side(prefix + '-warm', 1)
    direct(api, prefix + '-warm', 1, image)

    heat_runs, direct_runs = [], []
    try:
        for r in range(args.rounds):
            order = [('heat', heat_runs), ('direct', direct_runs)]
            if r % 2:
                order.reverse()
            for side, runs in order:
                name = '%s-r%d-%s' % (prefix, r, side)
                if side == 'heat':
                    runs.append(heat_side(name, args.count))
                else:
                    runs.append(direct(api, name, args.count, image))
                print('round %d %-6s create %.2fs delete %.2fs' % (
                    r, side, runs[-1][0], runs[-1][1]), flush=True)
    finally:
        docker_engine.cleanup(api, prefix)
        shutil.rmtree(workdir, ignore_errors=True)

    def median(runs, i):
        return statistics.median(run[i] for run in runs)

    rows = [('create', 0), ('delete', 1)]
    heat_total = sum(median(heat_runs, i) for _, i in rows)
    direct_total = sum(median(direct_runs, i) for _, i in rows)
    print('%d containers, median of %d rounds, %s' % (
        args.count, args.rounds, where))
    for label, i in rows:
        print('%-7s heat %.2fs  docker SDK %.2fs  ratio %.2fx' % (
            label, median(heat_runs, i), median(direct_runs, i),
            median(heat_runs, i) / median(direct_runs, i)))
    print('total   heat %.2fs  docker SDK %.2fs  ratio %.2fx' % (
        heat_total, direct_total, heat_total / direct_total))
    return 0


if __name__ == '__main__':
    sys.exit(main())
