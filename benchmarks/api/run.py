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

"""API benchmark: magnum-lite against Magnum, side by side, in one run.

    .venv/bin/python benchmarks/api/run.py [--commit HEAD] [--json F]

One run (1) prepares the Magnum virtualenv (benchmarks/.venv-magnum,
reused when present), (2) creates two scratch databases on the local
MariaDB and migrates one with ``magnum-db-manage upgrade`` and the other
with ``magnum-lite-db-manage upgrade``, (3) seeds the same 1,000 clusters
(each with a master and a worker nodegroup) and their template into both
through each project's own DB API, (4) serves both APIs with the same
gunicorn configuration on loopback ports, without authentication, (5)
drives GET /v1/clusters, GET /v1/clusters/<uuid> and POST
/v1/clustertemplates on each with the same load generator, alternating
the order of the two services from round to round, and (6) prints RPS,
p50 and p99 of each and the ratios magnum-lite/Magnum. See
doc/source/benchmarks/api.rst.
"""

import argparse
from concurrent import futures
import datetime
import functools
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import dataset  # noqa: E402
import loadgen  # noqa: E402

MAGNUM_VERSION = '23.0.0'
DEFAULT_VENV = os.path.join(REPO, 'benchmarks', '.venv-magnum')
LITE_PYTHON = os.path.join(REPO, '.venv', 'bin', 'python')
# The magnum-lite source served: the working tree, or an export of the
# commit named by --commit.
LITE_SRC = REPO
DB_URL = 'mysql+pymysql://root@127.0.0.1/%s?charset=utf8mb4'

MAGNUM = 'Magnum'
LITE = 'magnum-lite'

# What is measured, in this order in every round. A list of 1,000 clusters
# takes seconds on Magnum, so each connection sends a fixed number of them
# (count); the others run for a time window after a warm-up (seconds),
# which also warms every worker before the first list.
ENDPOINTS = [
    {'kind': 'show', 'label': 'GET /v1/clusters/<uuid>', 'status': 200,
     'warmup': 2.0, 'duration': 8.0},
    {'kind': 'create', 'label': 'POST /v1/clustertemplates', 'status': 201,
     'warmup': 2.0, 'duration': 8.0},
    {'kind': 'list', 'label': 'GET /v1/clusters', 'status': 200,
     'count': 2},
]
# The longest a counted run may take (it then stops early).
COUNT_BOUND = 150.0


def log(msg):
    print('[%s] %s' % (time.strftime('%H:%M:%S'), msg), flush=True)


def _version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


# --------------------------------------------------------------- setup

def prepare_magnum_venv(path, rebuild=False):
    """The virtualenv with Magnum, gunicorn and PyMySQL; reused if it works.

    gunicorn, SQLAlchemy and PyMySQL are pinned to the versions of the
    interpreter running this script (the project's), so both services run
    on the same server, ORM and driver.
    """
    python = os.path.join(path, 'bin', 'python')
    pins = ['magnum==%s' % MAGNUM_VERSION]
    for dist in ('gunicorn', 'SQLAlchemy', 'PyMySQL'):
        version = _version(dist)
        pins.append('%s==%s' % (dist, version) if version else dist)
    probe = ('import importlib.metadata as m, sys; '
             'sys.exit(0 if all(m.version(d.split("==")[0]) == '
             'd.split("==")[1] for d in sys.argv[1:] if "==" in d) else 1)')
    if rebuild and os.path.isdir(path):
        shutil.rmtree(path)
    if os.path.exists(python):
        ok = subprocess.run([python, '-c', probe] + pins,
                            capture_output=True).returncode == 0
        if ok:
            log('reusing %s (%s)' % (os.path.relpath(path, REPO),
                                     ', '.join(pins)))
            return python
        log('%s does not match %s: reinstalling' % (path, pins))
    else:
        log('creating %s' % os.path.relpath(path, REPO))
        base = getattr(sys, '_base_executable', sys.executable)
        subprocess.run([base, '-m', 'venv', path], check=True)
    subprocess.run([python, '-m', 'pip', 'install', '-q', '--upgrade',
                    'pip'], check=True)
    subprocess.run([python, '-m', 'pip', 'install', '-q'] + pins,
                   check=True)
    return python


def mysql_execute(*statements):
    import pymysql
    conn = pymysql.connect(host='127.0.0.1', user='root', password='',
                           autocommit=True)
    try:
        with conn.cursor() as cur:
            for stmt in statements:
                cur.execute(stmt)
                rows = cur.fetchall()
        return rows
    finally:
        conn.close()


def create_database(name):
    mysql_execute('DROP DATABASE IF EXISTS `%s`' % name,
                  'CREATE DATABASE `%s` CHARACTER SET utf8mb4' % name)


def drop_database(name):
    try:
        mysql_execute('DROP DATABASE IF EXISTS `%s`' % name)
    except Exception as exc:  # cleanup must not hide the real error
        log('could not drop %s: %s' % (name, exc))


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run_logged(argv, logfile, env=None, cwd=None):
    with open(logfile, 'ab') as out:
        proc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT,
                              env=env, cwd=cwd)
    if proc.returncode:
        with open(logfile, errors='replace') as f:
            tail = f.read()[-3000:]
        raise SystemExit('%s failed (%s):\n%s'
                         % (' '.join(argv), proc.returncode, tail))
    with open(logfile, errors='replace') as f:
        lines = [line for line in f.read().splitlines()
                 if 'seeded' in line]
    if lines:
        log(lines[-1])


def lite_api_status():
    """(True, '') when magnum-lite's API can be served, else (False, why)."""
    probe = ('import magnum_lite.api.wsgi, magnum_lite.api.app, '
             'magnum_lite.api.controllers.root')
    proc = subprocess.run([LITE_PYTHON, '-c', probe], capture_output=True,
                          text=True, cwd=LITE_SRC,
                          env=dict(os.environ, PYTHONPATH=LITE_SRC))
    if proc.returncode:
        return False, proc.stderr.strip().splitlines()[-1]
    return True, ''


# ------------------------------------------------------------- services

class Side:
    """One service: its database, configuration, server and results."""

    def __init__(self, name, workdir, port):
        self.name = name
        self.workdir = workdir
        self.port = port
        self.proc = None
        self.results = {}
        self.cpu = {}

    @property
    def logfile(self):
        return os.path.join(self.workdir, '%s.log' % self.slug)

    @property
    def slug(self):
        return 'magnum' if self.name == MAGNUM else 'lite'

    def start(self, argv, env, cwd):
        # gunicorn puts its working directory first on sys.path.
        log('%s: serving on 127.0.0.1:%d' % (self.name, self.port))
        out = open(self.logfile, 'ab')
        self.proc = subprocess.Popen(argv, stdout=out,
                                     stderr=subprocess.STDOUT, env=env,
                                     cwd=cwd, start_new_session=True)
        out.close()

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, _ = self.request('GET', '/v1/')
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        with open(self.logfile, errors='replace') as f:
            tail = f.read()[-3000:]
        raise SystemExit('%s did not come up:\n%s' % (self.name, tail))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def pids(self):
        """The gunicorn master and its workers."""
        pids = [self.proc.pid]
        for entry in os.listdir('/proc'):
            if entry.isdigit():
                try:
                    with open('/proc/%s/stat' % entry) as f:
                        fields = f.read().rsplit(')', 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.proc.pid:
                    pids.append(int(entry))
        return pids

    def cpu_seconds(self):
        return sum(cpu_seconds(pid) for pid in self.pids())

    def spread(self, connections, wait=2.0):
        """Whether the workers share the open connections evenly.

        A keep-alive connection stays with the worker that accepted it, and
        which one does is up to the kernel: four connections on two workers
        end up 4/0 or 3/1 more often than not, which would leave a core
        idle. The load generator reopens them until the split is even.
        """
        workers = self.pids()[1:]
        deadline = time.monotonic() + wait
        while True:
            counts = connections_by_pid(self.port, workers)
            if sum(counts) >= connections or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        low = connections // len(workers)
        return sum(counts) == connections and all(
            low <= n <= low + (connections % len(workers) > 0)
            for n in counts)

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            'http://127.0.0.1:%d%s' % (self.port, path), data=data,
            method=method, headers=dataset.HEADERS)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


def connections_by_pid(port, pids):
    """Established server-side TCP connections on `port` held by each pid."""
    inodes = set()
    with open('/proc/net/tcp') as f:
        next(f)
        for line in f:
            fields = line.split()
            if (fields[3] == '01' and
                    int(fields[1].split(':')[1], 16) == port):
                inodes.add('socket:[%s]' % fields[9])
    counts = []
    for pid in pids:
        fd_dir = '/proc/%d/fd' % pid
        held = 0
        try:
            for fd in os.listdir(fd_dir):
                try:
                    held += os.readlink(os.path.join(fd_dir, fd)) in inodes
                except OSError:
                    continue
        except OSError:
            pass
        counts.append(held)
    return counts


def cpu_seconds(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def mariadb_pid():
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/comm' % entry) as f:
                    if f.read().strip() in ('mariadbd', 'mysqld'):
                        return int(entry)
            except OSError:
                continue
    return None


def gunicorn_args(args, port, app):
    # The same server configuration for both services.
    return ['-b', '127.0.0.1:%d' % port, '-w', str(args.workers),
            '-k', 'gthread', '--threads', str(args.threads),
            '--keep-alive', '75', '--timeout', '300',
            '--graceful-timeout', '5', '--log-level', 'warning', app]


def bench_driver(workdir, project, group, target):
    """Register a no-op cluster driver as entry point `bench` of `group`.

    Returns the directory to put on the service's PYTHONPATH.
    """
    plugins = os.path.join(workdir, 'plugins-%s' % project)
    info = os.path.join(plugins, '%s_bench_driver-1.0.dist-info' % project)
    os.makedirs(info)
    with open(os.path.join(info, 'METADATA'), 'w') as f:
        f.write('Metadata-Version: 2.1\nName: %s-bench-driver\n'
                'Version: 1.0\n' % project)
    with open(os.path.join(info, 'entry_points.txt'), 'w') as f:
        f.write('[%s]\nbench = %s\n' % (group, target))
    return plugins


def setup_magnum(args, side, python, dbname):
    venv_bin = os.path.dirname(python)
    etc = os.path.join(os.path.dirname(venv_bin), 'etc', 'magnum',
                       'api-paste.ini')
    # Magnum's packaged pipeline without keystonemiddleware's authtoken.
    with open(etc) as f:
        paste = f.read()
    paste = paste.replace(' authtoken ', ' ')
    paste_file = os.path.join(side.workdir, 'magnum-api-paste.ini')
    with open(paste_file, 'w') as f:
        f.write(paste)
    conf = os.path.join(side.workdir, 'magnum.conf')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\ntransport_url = fake://\n'
                '[database]\nconnection = %s\n'
                '[api]\napi_paste_config = %s\n'
                % (DB_URL % dbname, paste_file))
    plugins = bench_driver(side.workdir, 'magnum', 'magnum.drivers',
                           'magnum_wsgi:BenchDriver')

    create_database(dbname)
    log('%s: migrating %s (magnum-db-manage upgrade)' % (side.name, dbname))
    run_logged([os.path.join(venv_bin, 'magnum-db-manage'),
                '--config-file', conf, 'upgrade'], side.logfile)
    run_logged([python, '-W', 'ignore', os.path.join(HERE, 'seed_magnum.py'),
                conf], side.logfile)
    env = dict(os.environ, MAGNUM_BENCH_CONFIG=conf,
               PYTHONPATH=os.pathsep.join([plugins, HERE]),
               PYTHONWARNINGS='ignore')
    side.start([os.path.join(venv_bin, 'gunicorn')]
               + gunicorn_args(args, side.port, 'magnum_wsgi:application'),
               env, side.workdir)


def prepare_lite(workdir, dbname, logfile):
    """Configure, migrate and seed magnum-lite; returns its environment.

    The environment names the configuration file
    ($MAGNUM_LITE_CONFIG_FILE) and puts the project and the benchmark's
    driver on PYTHONPATH.
    """
    conf = os.path.join(workdir, 'magnum_lite.conf')
    with open(conf, 'w') as f:
        f.write('[DEFAULT]\ntransport_url = fake://\n'
                'state_path = %s\n'
                '[database]\nconnection = %s\n'
                '[api]\nauth_strategy = noauth\n'
                % (os.path.join(workdir, 'lite-state'), DB_URL % dbname))
    plugins = bench_driver(workdir, 'magnum_lite', 'magnum_lite.drivers',
                           'lite_bench_driver:BenchDriver')
    env = dict(os.environ, MAGNUM_LITE_CONFIG_FILE=conf,
               PYTHONPATH=os.pathsep.join([LITE_SRC, plugins, HERE]),
               PYTHONWARNINGS='ignore')
    create_database(dbname)
    log('%s: migrating %s (magnum-lite-db-manage upgrade)' % (LITE, dbname))
    run_logged([LITE_PYTHON, '-m', 'magnum_lite.cmd.db_manage',
                '--config-file', conf, 'upgrade'], logfile, env=env,
               cwd=LITE_SRC)
    run_logged([LITE_PYTHON, os.path.join(HERE, 'seed_lite.py'), conf],
               logfile, env=env, cwd=LITE_SRC)
    return env


def setup_lite(args, side, dbname):
    env = prepare_lite(side.workdir, dbname, side.logfile)
    gunicorn = os.path.join(os.path.dirname(LITE_PYTHON), 'gunicorn')
    side.start([gunicorn] + gunicorn_args(
        args, side.port, 'magnum_lite.api.wsgi:application'), env, LITE_SRC)


# ------------------------------------------------------------ the runs

def check(side):
    """Each endpoint answers as expected."""
    uuid = dataset.cluster_uuid(dataset.CLUSTERS // 2)
    status, body = side.request('GET', '/v1/clusters')
    if status != 200:
        raise SystemExit('%s: GET /v1/clusters -> %s %s'
                         % (side.name, status, body[:500]))
    listed = json.loads(body)['clusters']
    status, body = side.request('GET', '/v1/clusters/%s' % uuid)
    if status != 200:
        raise SystemExit('%s: GET /v1/clusters/%s -> %s %s'
                         % (side.name, uuid, status, body[:500]))
    shown = json.loads(body)
    status, body = side.request(
        'POST', '/v1/clustertemplates',
        dataset.template_create_body('check-%d' % os.getpid()))
    if status != 201:
        raise SystemExit('%s: POST /v1/clustertemplates -> %s %s'
                         % (side.name, status, body[:500]))
    problems = []
    if len(listed) != dataset.CLUSTERS:
        problems.append('list returned %d clusters' % len(listed))
    if shown.get('uuid') != uuid:
        problems.append('show returned %s' % shown.get('uuid'))
    if (shown.get('node_count'), shown.get('master_count')) != (3, 1):
        problems.append('show: node_count %s master_count %s' % (
            shown.get('node_count'), shown.get('master_count')))
    if problems:
        raise SystemExit('%s: %s' % (side.name, '; '.join(problems)))
    log('%s: checked (list: %d clusters, %d bytes; show: %d '
        'fields)' % (side.name, len(listed), len(json.dumps(listed)),
                     len(shown)))


def warm(side, connections):
    """Send a few shows and creates over connections on every worker.

    magnum-lite loads its application on a worker's first request.
    """
    for kind, status, count in (('show', 200, 5), ('create', 201, 2)):
        result = loadgen.run(side.port, request_factory(kind, 'warm'),
                             status, connections=connections, count=count,
                             warmup=0, duration=COUNT_BOUND,
                             accept=side.spread)
        if result.requests != connections * count:
            raise SystemExit('%s: warm-up %s: %s %s' % (
                side.name, kind, result.statuses, result.errors[:3]))


def request_factory(kind, tag):
    headers = dict(dataset.HEADERS)
    uuids = [dataset.cluster_uuid(i) for i in range(dataset.CLUSTERS)]
    if kind == 'list':
        return lambda n: ('GET', '/v1/clusters', headers, None)
    if kind == 'show':
        return lambda n: ('GET', '/v1/clusters/%s' % uuids[n % len(uuids)],
                          headers, None)
    return lambda n: ('POST', '/v1/clustertemplates', headers, json.dumps(
        dataset.template_create_body('bench-%s-%d' % (tag, n))).encode())


def measure(side, endpoint, args, tag, db_pid):
    kind = endpoint['kind']
    cpu0 = side.cpu_seconds()
    db0 = cpu_seconds(db_pid) if db_pid else 0.0
    if endpoint.get('count'):
        result = loadgen.run(side.port, request_factory(kind, tag),
                             endpoint['status'],
                             connections=args.connections,
                             count=endpoint['count'] * args.list_count,
                             warmup=0, duration=COUNT_BOUND,
                             accept=side.spread)
    else:
        result = loadgen.run(side.port, request_factory(kind, tag),
                             endpoint['status'],
                             connections=args.connections,
                             warmup=endpoint['warmup'] * args.scale,
                             duration=endpoint['duration'] * args.scale,
                             accept=side.spread)
    cpu = side.cpu_seconds() - cpu0
    db = (cpu_seconds(db_pid) - db0) if db_pid else 0.0
    side.results.setdefault(kind, []).append(result)
    side.cpu.setdefault(kind, []).append((cpu, db, result.total))
    bad = {k: v for k, v in result.statuses.items()
           if k != endpoint['status']}
    log('%-11s %-6s %7.1f req/s  p50 %8.1f ms  p99 %8.1f ms  (%d req%s)'
        % (side.name, kind, result.rps, result.percentile(50) * 1000,
           result.percentile(99) * 1000, result.requests,
           ', unexpected %s, errors %s' % (bad, result.errors[:3])
           if bad or result.errors else ''))


def merged(results):
    latencies = [lat for r in results for lat in r.latencies]
    window = sum(r.window for r in results)
    return loadgen.Result(latencies, window, [], {}, 0, len(latencies))


def summary(sides):
    rows = {}
    # The table lists the collection first, as the documentation does.
    for endpoint in ENDPOINTS[-1:] + ENDPOINTS[:-1]:
        kind = endpoint['kind']
        row = {'endpoint': endpoint['label']}
        for side in sides:
            if kind not in side.results:
                continue
            res = merged(side.results[kind])
            cpu = sum(c for c, _, _ in side.cpu[kind])
            db = sum(d for _, d, _ in side.cpu[kind])
            total = sum(t for _, _, t in side.cpu[kind]) or 1
            row[side.slug] = {
                'rps': res.rps, 'p50_ms': res.percentile(50) * 1000,
                'p99_ms': res.percentile(99) * 1000,
                'requests': res.requests,
                'api_cpu_ms_per_req': cpu / total * 1000,
                'db_cpu_ms_per_req': db / total * 1000}
        if 'magnum' in row and 'lite' in row:
            m, lt = row['magnum'], row['lite']
            row['ratio'] = {
                'rps': lt['rps'] / m['rps'] if m['rps'] else None,
                'p50': lt['p50_ms'] / m['p50_ms'],
                'p99': lt['p99_ms'] / m['p99_ms']}
        rows[kind] = row
    return rows


def print_table(rows, lite_note):
    def cell(d):
        if not d:
            return '%30s' % lite_note
        return '%8.1f %9.1f %10.1f ' % (d['rps'], d['p50_ms'], d['p99_ms'])

    print()
    print('%-27s|%30s|%30s|%s' % (
        '', 'Magnum'.center(30), 'magnum-lite'.center(30),
        ' magnum-lite / Magnum'))
    print('%-27s|%8s %9s %10s |%8s %9s %10s |%7s %7s %7s' % (
        'endpoint', 'req/s', 'p50 ms', 'p99 ms', 'req/s', 'p50 ms',
        'p99 ms', 'req/s', 'p50', 'p99'))
    print('-' * 112)
    for kind, row in rows.items():
        ratio = row.get('ratio')
        r = ('%6.2fx %6.2fx %6.2fx' % (ratio['rps'], ratio['p50'],
                                       ratio['p99'])) if ratio else '   n/a'
        print('%-27s|%s|%s|%s' % (row['endpoint'], cell(row.get('magnum')),
                                  cell(row.get('lite')), r))
    print()
    print('CPU per request (ms): API processes / MariaDB')
    for kind, row in rows.items():
        parts = []
        for slug, name in (('magnum', MAGNUM), ('lite', LITE)):
            if slug in row:
                parts.append('%s %.1f / %.1f' % (
                    name, row[slug]['api_cpu_ms_per_req'],
                    row[slug]['db_cpu_ms_per_req']))
        print('  %-27s %s' % (row['endpoint'], '   '.join(parts)))
    print()
    for kind in ('list', 'show'):
        ratio = rows.get(kind, {}).get('ratio')
        if ratio:
            print('target >= 2x Magnum on %s: %s (%.2fx req/s)' % (
                kind, 'met' if ratio['rps'] >= 2 else 'NOT met',
                ratio['rps']))


def loadavg():
    """The 1-minute load average: other work on the machine skews runs."""
    with open('/proc/loadavg') as f:
        return f.read().split()[0]


def git(*argv):
    return subprocess.run(('git',) + argv, cwd=REPO, capture_output=True,
                          text=True, check=True).stdout.strip()


def lite_source(commit, workdir):
    """Point LITE_SRC at what is measured; returns its description.

    With a commit, that commit's tree exported into the work directory;
    otherwise the working tree, with the number of files changed under
    magnum_lite/ and etc/ since HEAD.
    """
    global LITE_SRC
    if commit:
        rev = git('rev-parse', '--short', commit)
        LITE_SRC = os.path.join(workdir, 'src-%s' % rev)
        os.makedirs(LITE_SRC)
        archive = subprocess.run(['git', 'archive', rev], cwd=REPO,
                                 capture_output=True, check=True).stdout
        subprocess.run(['tar', '-x', '-C', LITE_SRC], input=archive,
                       check=True)
        return rev
    changed = git('status', '--porcelain', '--', 'magnum_lite', 'etc')
    changed = len(changed.splitlines()) if changed else 0
    return '%s%s' % (git('rev-parse', '--short', 'HEAD'),
                     ' + working tree (%d files changed)' % changed
                     if changed else '')


def machine():
    model = ''
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    try:
        mariadb = mysql_execute('SELECT VERSION()')[0][0]
    except Exception:
        mariadb = '?'
    now = datetime.datetime.now(datetime.timezone.utc)
    return {'date': now.strftime('%Y-%m-%d %H:%M UTC'),
            'cpus': os.cpu_count(), 'cpu_model': model,
            'python': platform.python_version(), 'mariadb': mariadb,
            'magnum': MAGNUM_VERSION, 'gunicorn': _version('gunicorn'),
            'sqlalchemy': _version('SQLAlchemy'),
            'pymysql': _version('PyMySQL')}


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.strip().splitlines()[0])
    parser.add_argument('--only', choices=('magnum', 'lite'),
                        help='measure one service only')
    for option, default, what in (
            ('--rounds', 2, 'measured runs per service and endpoint, the '
                            'order of the services alternating'),
            ('--connections', 4, 'concurrent keep-alive clients'),
            ('--workers', 2, 'gunicorn workers per service'),
            ('--threads', 2, 'gunicorn threads per worker'),
            ('--list-count', 1, 'multiply the lists per connection by '
                                'this')):
        parser.add_argument(option, type=int, default=default,
                            help='%s (%d)' % (what, default))
    parser.add_argument('--scale', type=float, default=1.0,
                        help='multiply the timed warm-ups and windows by '
                             'this (1)')
    parser.add_argument('--venv', default=DEFAULT_VENV,
                        help='the Magnum virtualenv (%(default)s)')
    parser.add_argument('--rebuild-venv', action='store_true')
    parser.add_argument('--keep', action='store_true',
                        help='keep the databases and the work directory')
    parser.add_argument('--json', help='also write the results here')
    parser.add_argument('--commit',
                        help='measure this commit of magnum-lite (an export '
                             'of its tree) rather than the working tree')
    args = parser.parse_args(argv)

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix='magnum-api-bench-')
    try:
        return measure_all(args, workdir, started)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def measure_all(args, workdir, started):
    info = machine()
    info['loadavg_start'] = loadavg()
    info['commit'] = lite_source(args.commit, workdir)
    log('magnum-lite %s, Magnum %s, %d CPUs (%s), MariaDB %s' % (
        info['commit'], MAGNUM_VERSION, info['cpus'], info['cpu_model'],
        info['mariadb']))

    want_magnum = args.only in (None, 'magnum')
    want_lite = args.only in (None, 'lite')
    lite_note = 'pending'
    if want_lite:
        ok, why = lite_api_status()
        if not ok:
            if args.only == 'lite':
                raise SystemExit('magnum-lite API not importable: %s' % why)
            log('magnum-lite API not importable yet (%s): measuring Magnum '
                'only' % why)
            want_lite = False
    python = prepare_magnum_venv(args.venv, args.rebuild_venv) \
        if want_magnum else None

    sides, dbs = [], []
    db_pid = mariadb_pid()
    tag = '%d-%d' % (os.getpid(), int(time.time()))
    try:
        # The two services are set up side by side: nothing is measured
        # yet, and it halves the time the seeding takes.
        setups = []
        if want_magnum:
            side = Side(MAGNUM, workdir, free_port())
            dbs.append('bench_api_magnum_%d' % os.getpid())
            sides.append(side)
            setups.append(functools.partial(setup_magnum, args, side,
                                            python, dbs[-1]))
        if want_lite:
            side = Side(LITE, workdir, free_port())
            dbs.append('bench_api_lite_%d' % os.getpid())
            sides.append(side)
            setups.append(functools.partial(setup_lite, args, side,
                                            dbs[-1]))
        with futures.ThreadPoolExecutor(len(setups)) as pool:
            for done in [pool.submit(setup) for setup in setups]:
                done.result()
        for side in sides:
            side.wait_ready()
            check(side)
            warm(side, args.connections)

        log('measuring: %d connections, gunicorn gthread %d workers x %d '
            'threads, %d rounds' % (args.connections, args.workers,
                                    args.threads, args.rounds))
        for rnd in range(args.rounds):
            for endpoint in ENDPOINTS:
                order = sides if rnd % 2 == 0 else sides[::-1]
                for side in order:
                    measure(side, endpoint, args, tag, db_pid)
    finally:
        for side in sides:
            side.stop()
        if not args.keep:
            for name in dbs:
                drop_database(name)
        else:
            log('kept %s and databases %s' % (workdir, ', '.join(dbs)))

    rows = summary(sides)
    print_table(rows, lite_note)
    info.update(loadavg_end=loadavg(), connections=args.connections,
                workers=args.workers, threads=args.threads,
                rounds=args.rounds, clusters=dataset.CLUSTERS,
                elapsed_s=round(time.monotonic() - started))
    print('%s, %d CPUs, %d connections, gunicorn gthread %dx%d, %d rounds, '
          '%d s, load average %s at the start and %s at the end'
          % (info['date'], info['cpus'], args.connections, args.workers,
             args.threads, args.rounds, info['elapsed_s'],
             info['loadavg_start'], info['loadavg_end']))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'machine': info, 'results': rows}, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
