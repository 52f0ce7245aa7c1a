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

"""Every time option says its unit, and the timeouts keep their values.

Magnum's own options mix seconds, minutes ([cluster_heat] create_timeout)
and days ([x509] term_of_validity); the help is where an operator learns
which, so it must say "in seconds", "in minutes" or "in days".
"""

import re

from oslo_config import cfg
import pytest

from magnum_lite.conf import opts

# Groups whose help text a library writes (keystoneauth1's session and
# auth plugin options).
LIBRARY_GROUPS = {'keystone_auth'}

TIME_NAME_PARTS = {'interval', 'timeout', 'seconds', 'after', 'validity',
                   'wait', 'time', 'ttl', 'delay'}
TIME_HELP = re.compile(r'\b(interval|timeout|seconds?|after|validity|'
                       r'wait(s|ing)?|minutes?|hours?|days?)\b',
                       re.IGNORECASE)
UNIT = re.compile(r'\bin (seconds|minutes|hours|days)\b')


def _name(group):
    return group.name if isinstance(group, cfg.OptGroup) else group


def _our_opts():
    for group, group_opts in opts.list_opts():
        if _name(group) in LIBRARY_GROUPS:
            continue
        for opt in group_opts:
            yield _name(group), opt


def _suggests_time(opt):
    return bool(TIME_NAME_PARTS & set(opt.name.split('_')) or
                TIME_HELP.search(opt.help or ''))


def _time_opts():
    return [pytest.param(opt, id='%s.%s' % (group, opt.name))
            for group, opt in _our_opts() if _suggests_time(opt)]


def test_the_time_options_are_found():
    # Guards the test below against an empty parametrization.
    found = {param.id for param in _time_opts()}
    assert {'DEFAULT.service_down_time', 'conductor.sync_interval',
            'x509.term_of_validity', 'aio.heat_step_seconds'} <= found


@pytest.mark.parametrize('opt', _time_opts())
def test_a_time_option_states_its_unit(opt):
    assert UNIT.search(opt.help), opt.help


@pytest.mark.parametrize('group, name, unit', [
    # Magnum's units.
    ('cluster', 'create_timeout', 'minutes'),
    ('x509', 'term_of_validity', 'days'),
    ('DEFAULT', 'periodic_interval_max', 'seconds'),
    ('DEFAULT', 'service_down_time', 'seconds'),
    # Ours.
    ('aio', 'heat_step_seconds', 'seconds'),
    ('conductor', 'sync_interval', 'seconds'),
    ('conductor', 'create_resume_after', 'seconds'),
    ('conductor', 'heartbeat_interval', 'seconds'),
    ('conductor', 'health_interval', 'seconds'),
    ('conductor', 'graceful_shutdown_timeout', 'seconds'),
    ('conductor', 'cluster_lock_timeout', 'seconds'),
    ('aio', 'heat_start_timeout', 'seconds'),
    ('aio', 'heat_stop_timeout', 'seconds'),
    ('aio', 'heat_leftover_stop_timeout', 'seconds'),
])
def test_the_unit_of_a_time_option(group, name, unit):
    help_text = dict(((g, opt.name), opt.help) for g, opt in _our_opts())
    assert UNIT.search(help_text[group, name]).group(1) == unit


@pytest.mark.parametrize('group, name, value', [
    # Were constants of the code before they became options.
    ('conductor', 'cluster_lock_timeout', 60),
    ('aio', 'heat_start_timeout', 120),
    ('aio', 'heat_stop_timeout', 30),
    ('aio', 'heat_leftover_stop_timeout', 600),
])
def test_a_former_constant_keeps_its_value_as_default(group, name, value):
    defaults = dict(((g, opt.name), opt.default) for g, opt in _our_opts())
    assert defaults[group, name] == value
