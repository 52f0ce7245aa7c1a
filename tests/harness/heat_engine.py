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

"""The real Heat engine, in this process: SQLite, fake:// messaging.

Stack actions run synchronously on the legacy engine, each under the stack
lock and followed by the state write-back heat-engine performs, so what the
tests see is what the engine stores. Import this module before anything
else from heat: Heat 27 needs oslo.service's threading backend selected
first.
"""

import logging as pylogging
import os
import sys

from oslo_service import backend

try:
    backend.init_backend(backend.BackendType.THREADING)
except backend.exceptions.BackendAlreadySelected:
    pass

from heat.common import config as heat_config  # noqa: E402,F401
from heat.common import context as heat_context  # noqa: E402
from heat.common import messaging  # noqa: E402
from heat.common import template_format  # noqa: E402
from oslo_config import cfg  # noqa: E402
from oslo_db import options as db_options  # noqa: E402
from oslo_log import log as logging  # noqa: E402

import heat_plugins.plugin_dir  # noqa: E402

ENGINE_ID = 'heat-plugins-tests'
HEAT_ETC = os.path.join(sys.prefix, 'etc', 'heat')
_configured = False


def configure(db_path):
    """Configure Heat once per process and create its schema."""
    global _configured
    if _configured:
        return
    try:
        logging.register_options(cfg.CONF)
    except cfg.ArgsAlreadyParsedError:
        pass
    cfg.CONF([], project='heat', default_config_files=[])
    logging.setup(cfg.CONF, 'heat-plugins-tests')
    # Heat logs every resource step at INFO; failures are what matter here.
    for name in ('heat', 'heat.engine.environment', 'alembic'):
        pylogging.getLogger(name).setLevel(pylogging.WARNING)
    db_options.set_defaults(cfg.CONF, connection='sqlite:///' + db_path)
    cfg.CONF.set_override('plugin_dirs',
                          [heat_plugins.plugin_dir.plugin_dir()])
    cfg.CONF.set_override('environment_dir',
                          os.path.join(HEAT_ETC, 'environment.d'))
    cfg.CONF.set_override('template_dir', os.path.join(HEAT_ETC, 'templates'))
    # No Keystone: keep the (empty) password instead of creating a trust.
    cfg.CONF.set_override('deferred_auth_method', 'password')
    # The legacy engine runs an action in the calling thread.
    cfg.CONF.set_override('convergence_engine', False)
    # A failed create is not retried, so a failure test sees the first
    # reason at once.
    cfg.CONF.set_override('action_retry_limit', 0)
    cfg.CONF.set_override('error_wait_time', None)
    messaging.setup('fake://', optional=True)

    from heat.db import api as db_api
    from heat.db import models
    models.BASE.metadata.create_all(db_api.get_engine())
    _configured = True


def context():
    return heat_context.RequestContext.from_dict({
        'project_id': 'demo', 'tenant': 'demo', 'user_id': 'demo',
        'username': 'demo', 'password': '', 'roles': ['admin', 'member'],
        'is_admin': True,
        # A closed port: anything that tries Keystone fails at once.
        'auth_url': 'http://127.0.0.1:9/v3', 'auth_token': 'unused',
    })


def _template(text, params):
    from heat.engine import environment
    from heat.engine import template
    return template.Template(
        template_format.parse(text),
        env=environment.Environment({'parameters': params or {}}))


def _locked(ctx, stack, action, *args):
    """Run a stack action the way heat-engine does: locked, then stored."""
    from heat.engine import stack_lock
    lock = stack_lock.StackLock(ctx, stack.id, ENGINE_ID)
    lock.acquire()
    try:
        action(*args)
    finally:
        stack.persist_state_and_release_lock(ENGINE_ID)
    return load(ctx, stack.id)


def load(ctx, stack_id):
    from heat.engine import stack
    return stack.Stack.load(ctx, stack_id=stack_id)


def create(ctx, name, text, params=None):
    from heat.engine import stack
    stk = stack.Stack(ctx, name, _template(text, params))
    stk.validate()
    stk.store()
    return _locked(ctx, stk, stk.create)


def update(ctx, stk, text, params=None, rollback=False):
    from heat.engine import stack
    new = stack.Stack(ctx, stk.name, _template(text, params),
                      disable_rollback=not rollback)
    new.validate()
    return _locked(ctx, stk, stk.update, new)


def suspend(ctx, stk):
    return _locked(ctx, stk, stk.suspend)


def resume(ctx, stk):
    return _locked(ctx, stk, stk.resume)


def check(ctx, stk):
    return _locked(ctx, stk, stk.check)


def delete(ctx, stk):
    stk.delete()
    return stk


def output(ctx, stk, key):
    """Resolve one output the way the API's stack show does."""
    from heat.engine import stk_defn
    stk = load(ctx, stk.id)
    for res in stk._explicit_dependencies():
        stk_defn.update_resource_data(
            stk.defn, res.name,
            res.node_data(for_resources=False, for_outputs=True))
    return stk.outputs[key].get_value()
