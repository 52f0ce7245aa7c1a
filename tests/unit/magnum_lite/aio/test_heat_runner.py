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

"""The child Heat's scheduler step ([aio] heat_step_seconds)."""

import inspect
import threading
import time
import types

import pytest

from magnum_lite.aio import heat
from magnum_lite.aio import heat_runner
from magnum_lite import conf as ml_conf


@pytest.fixture
def scheduler():
    from heat.engine import scheduler
    methods = (scheduler.TaskRunner.__call__,
               scheduler.TaskRunner.run_to_completion)
    saved = [method.__defaults__ for method in methods]
    yield scheduler
    for method, defaults in zip(methods, saved):
        method.__defaults__ = defaults


def _wait_time(method):
    return inspect.signature(method).parameters['wait_time'].default


def test_heat_steps_once_a_second_by_itself(scheduler):
    # What the option changes; a Heat release that changes it needs a look.
    assert _wait_time(scheduler.TaskRunner.__call__) == 1
    assert _wait_time(scheduler.TaskRunner.run_to_completion) == 1


def test_the_step_becomes_the_default_of_every_task_runner(scheduler):
    heat_runner.set_scheduler_step(0.2)
    assert _wait_time(scheduler.TaskRunner.__call__) == 0.2
    assert _wait_time(scheduler.TaskRunner.run_to_completion) == 0.2
    # The other defaults stay where they were.
    timeout = inspect.signature(scheduler.TaskRunner.__call__).parameters[
        'timeout']
    assert timeout.default is None


def test_a_stack_task_sleeps_the_step(scheduler, monkeypatch):
    sleeps = []
    monkeypatch.setattr(scheduler.time, 'sleep', sleeps.append)
    heat_runner.set_scheduler_step(0.2)

    def task():
        for _ in range(3):
            yield

    scheduler.TaskRunner(task)()
    # The first step does not wait.
    assert sleeps == [0, 0.2, 0.2]


def test_the_service_passes_the_option(tmp_path):
    conf = ml_conf.CONF
    conf.set_override('heat_step_seconds', 0.3, group='aio')
    try:
        assert heat.HeatService(str(tmp_path)).step_seconds == 0.3
    finally:
        conf.clear_override('heat_step_seconds', group='aio')
    assert heat.HeatService(str(tmp_path), step_seconds=1).step_seconds == 1


@pytest.fixture
def impl_fake():
    from oslo_messaging._drivers import impl_fake
    saved = impl_fake.time, impl_fake.FakeExchange.deliver_message
    yield impl_fake
    impl_fake.time, impl_fake.FakeExchange.deliver_message = saved


def test_listeners_still_wait_when_nothing_comes(impl_fake):
    # What the patch relies on: the module's time is only time and sleep.
    assert impl_fake.time is time
    heat_runner.wake_listeners_on_delivery()
    started = time.monotonic()
    impl_fake.time.sleep(0.05)
    assert time.monotonic() - started >= 0.045


def test_a_delivery_wakes_a_waiting_listener(impl_fake):
    heat_runner.wake_listeners_on_delivery()
    exchange = impl_fake.FakeExchange('heat')
    woke = []

    def listener():
        impl_fake.time.sleep(0)  # looks, finds nothing
        started = time.monotonic()
        impl_fake.time.sleep(5)
        woke.append(time.monotonic() - started)

    thread = threading.Thread(target=listener)
    thread.start()
    time.sleep(0.1)
    exchange.deliver_message('engine', {}, {'method': 'ping'})
    thread.join(5)
    assert woke and woke[0] < 1
    assert exchange.poll(_target('engine'), None)[1] == {
        'method': 'ping'}


def test_a_delivery_between_look_and_wait_is_not_missed(impl_fake):
    heat_runner.wake_listeners_on_delivery()
    impl_fake.time.sleep(0)  # the listener looked...
    impl_fake.FakeExchange('heat').deliver_message('engine', {}, {})
    started = time.monotonic()
    impl_fake.time.sleep(5)  # ...and its wait ends at once
    assert time.monotonic() - started < 1


def _target(topic):
    return types.SimpleNamespace(topic=topic, server=None)
