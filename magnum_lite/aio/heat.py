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

"""Start and stop the all-in-one Heat service as a child process."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from oslo_log import log as logging

from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

RUNNER = 'magnum_lite.aio.heat_runner'
PID_FILE = 'heat.pid'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def heat_plugins_dir():
    from heat_plugins import resources
    return os.path.dirname(resources.__file__)


def _runner_of(pid, state_dir):
    """Whether pid is a live Heat runner of this state dir."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            # A zombie has exited already; only its parent can reap it.
            if stat.read().rpartition(')')[2].split()[0] == 'Z':
                return False
        with open('/proc/%d/cmdline' % pid, 'rb') as cmdline:
            argv = cmdline.read().decode(errors='replace').split('\0')
    except (OSError, IndexError):
        return False
    return RUNNER in argv and os.path.abspath(state_dir) in argv


def stop_leftover(state_dir, timeout=None):
    """Stop the Heat that a killed aio left running on this state dir.

    Such a Heat is no one's child any more and keeps its port; a second
    engine on the same database would take over its stacks as if it had
    died and mark them failed. It gets SIGTERM, so that the stack
    operations in progress finish first (its engine's graceful stop), and
    SIGKILL after `timeout` seconds ([aio] heat_leftover_stop_timeout
    unless given). Returns the pid stopped, or None.
    """
    pid_path = os.path.join(state_dir, PID_FILE)
    try:
        with open(pid_path) as pid_file:
            pid = int(pid_file.read().strip())
    except (OSError, ValueError):
        return None
    if not _runner_of(pid, state_dir):
        os.unlink(pid_path)
        return None
    LOG.warning('Stopping Heat pid %d, left running on %s by an earlier '
                'aio; it finishes its stack operations first', pid,
                state_dir)
    if timeout is None:
        timeout = CONF.aio.heat_leftover_stop_timeout
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _runner_of(pid, state_dir):
        if time.monotonic() > deadline:
            LOG.warning('Heat pid %d did not stop in %ss: killed', pid,
                        timeout)
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.5)
    os.unlink(pid_path)
    return pid


class HeatService:
    """A real Heat API + engine on 127.0.0.1, with our Docker plugins."""

    def __init__(self, state_dir, port=None, plugin_dirs=None,
                 debug=False, step_seconds=None):
        self.state_dir = state_dir
        self.port = port or free_port()
        self.plugin_dirs = (list(plugin_dirs) if plugin_dirs is not None
                            else [heat_plugins_dir()])
        self.debug = debug
        # [aio] heat_step_seconds unless given: see heat_runner.
        self.step_seconds = (CONF.aio.heat_step_seconds
                             if step_seconds is None else step_seconds)
        self.process = None

    @property
    def endpoint(self):
        """The orchestration endpoint of project 'admin' (noauth)."""
        return 'http://127.0.0.1:%d/v1/admin' % self.port

    def start(self, timeout=None):
        """Start Heat; wait `timeout` seconds for its API to answer.

        The wait is [aio] heat_start_timeout unless given.
        """
        if timeout is None:
            timeout = CONF.aio.heat_start_timeout
        os.makedirs(self.state_dir, exist_ok=True)
        stop_leftover(self.state_dir)
        command = [sys.executable, '-m', RUNNER,
                   '--state-dir', os.path.abspath(self.state_dir),
                   '--port', str(self.port),
                   '--step-seconds', repr(self.step_seconds)]
        for directory in self.plugin_dirs:
            command += ['--plugin-dir', directory]
        if self.debug:
            command.append('--debug')
        log_path = os.path.join(self.state_dir, 'heat-runner.out')
        LOG.info('Starting Heat on port %d (log %s)', self.port, log_path)
        with open(log_path, 'ab') as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True)
        # For the next start, should this process die without stopping
        # its Heat: see stop_leftover().
        with open(os.path.join(self.state_dir, PID_FILE), 'w') as pid_file:
            pid_file.write('%d\n' % self.process.pid)
        self._wait_ready(timeout, log_path)
        return self

    def _wait_ready(self, timeout, log_path):
        deadline = time.monotonic() + timeout
        url = 'http://127.0.0.1:%d/' % self.port
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('Heat exited with %s; see %s' % (
                    self.process.returncode, log_path))
            try:
                # The versions document answers once the API is serving.
                urllib.request.urlopen(url, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError('Heat did not answer on %s within %ss; see %s'
                           % (url, timeout, log_path))

    def stop(self, timeout=None):
        """Stop Heat: SIGTERM, then SIGKILL after `timeout` seconds.

        The wait is [aio] heat_stop_timeout unless given.
        """
        if self.process is None or self.process.poll() is not None:
            return
        if timeout is None:
            timeout = CONF.aio.heat_stop_timeout
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        try:
            os.unlink(os.path.join(self.state_dir, PID_FILE))
        except FileNotFoundError:
            pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
