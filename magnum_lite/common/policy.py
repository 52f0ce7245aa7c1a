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

"""Policy enforcement: one oslo.policy enforcer for the API process."""

from oslo_config import cfg
from oslo_policy import policy

from magnum_lite.common import exception
from magnum_lite.common import policies

CONF = cfg.CONF

_ENFORCER = None


def init(conf=CONF):
    """Create the enforcer once; the rules come from the code."""
    global _ENFORCER
    if _ENFORCER is None:
        _ENFORCER = policy.Enforcer(conf)
        _ENFORCER.register_defaults(policies.list_rules())
    return _ENFORCER


def reset():
    """Forget the enforcer (tests change the policy file between cases)."""
    global _ENFORCER
    if _ENFORCER is not None:
        _ENFORCER.clear()
    _ENFORCER = None


def get_enforcer():
    """The enforcer for oslopolicy-* tools (entry point oslo.policy.enforcer).

    The tools call this without parsing our command line, so the project's
    configuration is loaded with no arguments first.
    """
    CONF([], project='magnum_lite')
    return init()


def authorize(context, rule, target=None, do_raise=True):
    """Check `rule` for `context` on `target` (a dict with project_id).

    When no target is given the caller's own project is the target, which
    is what collection and create requests mean.
    """
    enforcer = init()
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    credentials = context.to_policy_values()
    try:
        return enforcer.authorize(rule, target, credentials,
                                  do_raise=do_raise,
                                  exc=exception.PolicyNotAuthorized,
                                  action=rule)
    except policy.PolicyNotRegistered:
        # A typo in a rule name must not open the door.
        raise exception.PolicyNotAuthorized(action=rule)


def check(context, rule, target=None):
    """Like authorize() but answers True/False."""
    return bool(authorize(context, rule, target, do_raise=False))
