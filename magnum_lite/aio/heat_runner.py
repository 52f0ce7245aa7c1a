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

"""A real Heat API and engine in one process, for the all-in-one mode.

Run as ``python -m magnum_lite.aio.heat_runner --state-dir DIR --port N
[--plugin-dir DIR ...] [--step-seconds S]``. It is its own process because Heat registers its
options on oslo.config's global CONF, which must not meet magnum-lite's.
Heat talks to itself over in-process messaging, keeps its database in
SQLite under the state directory, and serves its API without Keystone on
127.0.0.1. It prints "heat ready" once the API answers and stops cleanly
on SIGTERM.
"""

import argparse
import inspect
import os
import signal
import sys
import threading
import time
import types
import wsgiref.simple_server

from oslo_service import backend

# Heat 27 runs on threads; select the backend before heat is imported.
backend.init_backend(backend.BackendType.THREADING)

from oslo_config import cfg  # noqa: E402
from oslo_db import options as db_options  # noqa: E402
from oslo_log import log as logging  # noqa: E402
from oslo_policy import opts as policy_opts  # noqa: E402


class _QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        # Requests are logged by Heat itself; keep stderr for errors.
        pass


class _ThreadingServer(wsgiref.simple_server.WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):
        thread = threading.Thread(target=self._serve_one,
                                  args=(request, client_address),
                                  daemon=True)
        thread.start()

    def _serve_one(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:  # a broken client must not stop the server
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def _tolerate_concurrent_writers(engine):
    # Heat's workers write resource states from several threads. In
    # SQLite's default deferred transactions two writers that both read
    # first fail at once with "database is locked" (waiting could
    # deadlock). Starting every transaction with BEGIN IMMEDIATE takes the
    # write lock up front, so writers queue for busy_timeout instead.
    import sqlalchemy

    @sqlalchemy.event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA busy_timeout=60000')
        cursor.close()

    @sqlalchemy.event.listens_for(engine, 'begin')
    def _on_begin(connection):
        # oslo.db's own listener has just sent a plain (deferred) BEGIN;
        # nothing ran in it yet, so it is swapped for an immediate one.
        if connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql('ROLLBACK')
        connection.exec_driver_sql('BEGIN IMMEDIATE')

    engine.dispose()


def set_scheduler_step(seconds):
    """Make `seconds` the step of Heat's legacy engine.

    The legacy engine runs every stack operation (create, update, delete,
    and those of nested stacks, each in a thread of its own) through
    heat.engine.scheduler.TaskRunner, which sleeps `wait_time` between
    steps: after a resource's create call before its first check, between
    checks, and between a nested stack finishing and its parent noticing.
    No caller passes `wait_time`, so its default (1 s, fixed in the code,
    not an option) sets the pace of the whole engine. That pace suits
    remote clouds; here the engine is alone on one machine with a local
    Docker engine, where a check is one cheap API call, and the 1 s steps
    were most of a cluster create's time. A function's defaults are a
    plain attribute, so the default is replaced where it is defined.
    """
    from heat.engine import scheduler

    for method in (scheduler.TaskRunner.__call__,
                   scheduler.TaskRunner.run_to_completion):
        names = list(inspect.signature(method).parameters)
        defaults = list(method.__defaults__)
        # Fails loudly should a Heat release rename the parameter.
        defaults[names.index('wait_time') - len(names) + len(defaults)] = (
            seconds)
        method.__defaults__ = tuple(defaults)


def wake_listeners_on_delivery():
    """Hand an RPC message to its listener as soon as it is sent.

    Heat's API and engine, and the engine and itself (a nested stack's
    create, delete and outputs), talk over oslo.messaging's in-process
    fake driver, whose listeners look for new messages every 50 ms: each
    hop waited 25 ms on average, and a cluster's outputs alone take one
    hop per nested stack, one after the other. A delivery now wakes the
    listeners. Those poll as before; only their wait between two looks
    ends early. A listener that looked just before a delivery returns from
    its next wait at once, so none waits longer than it did.
    """
    from oslo_messaging._drivers import impl_fake

    delivered = threading.Condition()
    deliveries = [0]
    seen = threading.local()
    deliver = impl_fake.FakeExchange.deliver_message

    def deliver_message(self, *args, **kwargs):
        deliver(self, *args, **kwargs)
        with delivered:
            deliveries[0] += 1
            delivered.notify_all()

    def sleep(seconds):
        with delivered:
            last = getattr(seen, 'deliveries', deliveries[0])
            delivered.wait_for(lambda: deliveries[0] != last, seconds)
            seen.deliveries = deliveries[0]

    impl_fake.FakeExchange.deliver_message = deliver_message
    # The module uses time for these two only (oslo.messaging 18).
    impl_fake.time = types.SimpleNamespace(time=time.time, sleep=sleep)


def _configure(args):
    from heat.common import config as heat_config
    from heat.common import messaging as heat_messaging

    venv_etc = os.path.join(sys.prefix, 'etc', 'heat')
    logging.register_options(cfg.CONF)
    cfg.CONF([], project='heat', default_config_files=[])
    cfg.CONF.set_override('log_file',
                          os.path.join(args.state_dir, 'heat.log'))
    cfg.CONF.set_override('debug', args.debug)
    logging.setup(cfg.CONF, 'magnum-lite-heat')
    db_options.set_defaults(cfg.CONF, connection='sqlite:///' + os.path.join(
        args.state_dir, 'heat.sqlite'))
    overrides = {
        'plugin_dirs': args.plugin_dir,
        'environment_dir': os.path.join(venv_etc, 'environment.d'),
        'template_dir': os.path.join(venv_etc, 'templates'),
        # Without Keystone there is no trust to create: Heat keeps the
        # (empty) password instead.
        'deferred_auth_method': 'password',
        'num_engine_workers': 1,
        # One engine: the classic engine runs each stack operation in a
        # thread of its own. Convergence, made for many engines, left
        # nested-stack outputs unresolved after updates on SQLite.
        'convergence_engine': False,
        'host': 'magnum-lite-heat',
        'stack_user_domain_id': '',
        'max_stacks_per_tenant': args.max_stacks,
        'max_resources_per_stack': -1,
        'max_nested_stack_depth': 10,
    }
    for name, value in overrides.items():
        cfg.CONF.set_override(name, value)
    cfg.CONF.set_override('flavor', 'noauth', group='paste_deploy')
    cfg.CONF.set_override('api_paste_config',
                          os.path.join(venv_etc, 'api-paste.ini'),
                          group='paste_deploy')
    # Heat's in-tree policy defaults, without scope checks: there are no
    # Keystone scopes in the all-in-one mode.
    policy_opts.set_defaults(cfg.CONF, enforce_scope=False,
                             enforce_new_defaults=False)
    if args.token_response:
        cfg.CONF.set_override('token_response', args.token_response,
                              group='noauth')
    heat_config.set_config_defaults()
    heat_messaging.setup('fake://')
    return heat_config


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--plugin-dir', action='append', default=[])
    parser.add_argument('--token-response')
    parser.add_argument('--max-stacks', type=int, default=100000)
    parser.add_argument('--step-seconds', type=float, default=1.0,
                        help="Heat's scheduler step (Heat's own is 1 s).")
    parser.add_argument('--debug', action='store_true')
    args = parser.parse_args(argv)
    os.makedirs(args.state_dir, exist_ok=True)

    heat_config = _configure(args)
    set_scheduler_step(args.step_seconds)
    wake_listeners_on_delivery()
    from heat.db import api as heat_db_api
    from heat.db import models as heat_models
    from heat.engine import service as engine_service
    from heat.rpc import api as heat_rpc_api

    engine_ = heat_db_api.get_engine()
    _tolerate_concurrent_writers(engine_)
    heat_models.BASE.metadata.create_all(engine_)
    engine = engine_service.EngineService(cfg.CONF.host,
                                          heat_rpc_api.ENGINE_TOPIC)
    engine.start()
    app = heat_config.load_paste_app('heat-api')
    server = wsgiref.simple_server.make_server(
        '127.0.0.1', args.port, app, server_class=_ThreadingServer,
        handler_class=_QuietHandler)

    def _stop(signum, frame):
        # shutdown() waits for serve_forever, so it must run elsewhere.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print('heat ready on http://127.0.0.1:%d/v1' % args.port, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        engine.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
