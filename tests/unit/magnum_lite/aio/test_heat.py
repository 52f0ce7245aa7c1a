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

"""The aio's Heat left running by a killed aio is stopped on restart."""

import os
import subprocess
import sys

from magnum_lite.aio import heat


def _fake_runner(state_dir, on_sigterm='lambda *a: sys.exit(0)'):
    """A process whose command line is a Heat runner's of state_dir.

    By default it leaves cleanly on SIGTERM, as Heat does once its work
    is done. It is returned once its handler is set.
    """
    code = ('import signal, sys, time\n'
            'signal.signal(signal.SIGTERM, %s)\n'
            'print("ready", flush=True)\n'
            'time.sleep(60)\n' % on_sigterm)
    runner = subprocess.Popen([sys.executable, '-c', code, heat.RUNNER,
                               '--state-dir', str(state_dir)],
                              stdout=subprocess.PIPE, text=True)
    assert runner.stdout.readline() == 'ready\n'
    return runner


def _pid_file(state_dir, pid):
    (state_dir / heat.PID_FILE).write_text('%d\n' % pid)


def test_a_leftover_heat_of_the_state_dir_is_stopped(tmp_path):
    runner = _fake_runner(tmp_path)
    try:
        _pid_file(tmp_path, runner.pid)
        assert heat.stop_leftover(str(tmp_path), timeout=30) == runner.pid
        assert runner.wait(5) == 0
        assert not (tmp_path / heat.PID_FILE).exists()
    finally:
        runner.kill()
        runner.wait()


def test_one_that_ignores_sigterm_is_killed_after_the_timeout(tmp_path):
    runner = _fake_runner(tmp_path, on_sigterm='signal.SIG_IGN')
    try:
        _pid_file(tmp_path, runner.pid)
        heat.stop_leftover(str(tmp_path), timeout=1)
        assert runner.wait(5) == -9
    finally:
        runner.kill()
        runner.wait()


def test_another_process_behind_a_stale_pid_is_left_alone(tmp_path):
    other_dir = tmp_path / 'other'
    other = _fake_runner(other_dir)
    try:
        _pid_file(tmp_path, other.pid)
        assert heat.stop_leftover(str(tmp_path), timeout=1) is None
        assert other.poll() is None
        # The stale file goes: the next start does not look again.
        assert not (tmp_path / heat.PID_FILE).exists()
    finally:
        other.kill()
        other.wait()


def test_no_pid_file_nothing_to_do(tmp_path):
    assert heat.stop_leftover(str(tmp_path)) is None
    assert os.listdir(tmp_path) == []


def test_the_leftover_wait_before_sigkill_is_configured(tmp_path):
    heat.CONF.set_override('heat_leftover_stop_timeout', 1, group='aio')
    runner = _fake_runner(tmp_path, on_sigterm='signal.SIG_IGN')
    try:
        _pid_file(tmp_path, runner.pid)
        assert heat.stop_leftover(str(tmp_path)) == runner.pid
        assert runner.wait(5) == -9
    finally:
        heat.CONF.clear_override('heat_leftover_stop_timeout', group='aio')
        runner.kill()
        runner.wait()


def test_the_child_heat_wait_before_sigkill_is_configured(tmp_path):
    heat.CONF.set_override('heat_stop_timeout', 1, group='aio')
    service = heat.HeatService(str(tmp_path), port=1)
    service.process = _fake_runner(tmp_path, on_sigterm='signal.SIG_IGN')
    try:
        service.stop()
        assert service.process.wait(5) == -9
    finally:
        heat.CONF.clear_override('heat_stop_timeout', group='aio')
        service.process.kill()
        service.process.wait()
