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
