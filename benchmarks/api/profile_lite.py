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

"""Where magnum-lite's API spends its time on the benchmarked calls.

    .venv/bin/python benchmarks/api/profile_lite.py [--kind show] [--top 40]

Seeds a scratch database as run.py does, then serves one of the
benchmarked calls (list, show, create) in this process, without an HTTP
server or load generator, and prints per request: Python function calls,
CPU milliseconds, the commands sent to MariaDB, and the functions with the
most cumulative time under cProfile. Function calls and database commands
do not depend on what else the machine is doing, so they show whether a
change helps even on a busy machine.
"""

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sys
import tempfile
import time

import run

KINDS = {'list': 5, 'show': 300, 'create': 300}


def serve(kind):
    """The WSGI call of one benchmarked request."""
    import webob

    from magnum_lite.api import wsgi

    app = wsgi.init_application()
    method, path, headers, body = run.request_factory(kind, 'profile')(7)

    def call():
        req = webob.Request.blank(path, method=method, headers=headers,
                                  body=body or b'')
        resp = req.get_response(app)
        if resp.status_int >= 300:
            raise SystemExit('%s %s -> %s %s' % (method, path,
                                                 resp.status_int,
                                                 resp.body[:300]))
    return call


def count_commands():
    """Count what the MariaDB driver sends: statements by first word."""
    import pymysql.connections as pc
    from pymysql.constants import COMMAND

    counts = {}
    execute = pc.Connection._execute_command

    def traced_execute(conn, command, sql):
        if command == COMMAND.COM_QUERY:
            text = sql.decode(errors='replace') if isinstance(sql, bytes) \
                else sql
            word = text.split(None, 1)[0].upper()
        elif command == COMMAND.COM_PING:
            word = 'PING'
        else:
            word = 'command %d' % command
        counts[word] = counts.get(word, 0) + 1
        return execute(conn, command, sql)

    pc.Connection._execute_command = traced_execute
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.strip().splitlines()[0])
    parser.add_argument('--kind', choices=sorted(KINDS), default='show')
    parser.add_argument('--requests', type=int,
                        help='requests profiled (list 5, others 300)')
    parser.add_argument('--top', type=int, default=40)
    args = parser.parse_args(argv)
    n = args.requests or KINDS[args.kind]

    workdir = tempfile.mkdtemp(prefix='magnum-api-profile-')
    dbname = 'bench_api_profile_%d' % os.getpid()
    try:
        env = run.prepare_lite(workdir, dbname,
                               os.path.join(workdir, 'lite.log'))
        os.environ['MAGNUM_LITE_CONFIG_FILE'] = \
            env['MAGNUM_LITE_CONFIG_FILE']
        sys.path[:0] = [p for p in env['PYTHONPATH'].split(os.pathsep)
                        if p not in sys.path]
        call = serve(args.kind)
        call()  # loads the drivers, fills SQLAlchemy's statement cache
        counts = count_commands()
        profile = cProfile.Profile()
        cpu = time.process_time()
        profile.enable()
        for _ in range(n):
            call()
        profile.disable()
        cpu = (time.process_time() - cpu) / n * 1000
        stats = pstats.Stats(profile)
        print('%s: %.0f function calls, %.2f ms CPU (under cProfile) per '
              'request' % (args.kind, stats.total_calls / n, cpu))
        print('database commands per request: %s' % json.dumps(
            {k: round(v / n, 2) for k, v in sorted(counts.items())}))
        stats.sort_stats('cumulative').print_stats(args.top)
        stats.sort_stats('tottime').print_stats(args.top // 2)
    finally:
        run.drop_database(dbname)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
