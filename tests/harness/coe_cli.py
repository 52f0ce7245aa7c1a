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

"""`openstack` commands, each in a process of its own, started quickly.

Importing python-openstackclient and its plugins costs most of a second of
CPU per command, several times what the command itself does; the
acceptance test runs close to a hundred. Run as a script, this module is a
fork server: it imports the CLI once, then for each request forks a child
that runs what the `openstack` console script runs,
openstackclient.shell.main() with sys.argv set, its stdout and stderr in
files and its exit code reported back. Each command still gets a fresh
process and nothing of one command outlives it.

The requests and answers are JSON lines on the server's stdin and stdout.
"""

import json
import os
import signal
import subprocess
import sys
import time
import traceback

OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')
TIMEOUT_EXIT = 124


def _child(shell, request):
    code = 1
    try:
        os.chdir(request['cwd'])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, request['stdout']), (2, request['stderr'])):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                             0o600)
            os.dup2(target, fd)
            os.close(target)
        # As the console script: main() reads its arguments from sys.argv.
        sys.argv = [OPENSTACK] + request['argv']
        code = shell.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        # No interpreter shutdown: it would run the server's atexit work.
        os._exit(code or 0)


def _wait(pid, timeout):
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return TIMEOUT_EXIT
        time.sleep(0.02)


def serve():
    from openstackclient import shell
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(shell, request)
        code = _wait(pid, request['timeout'])
        sys.stdout.write(json.dumps({'returncode': code}) + '\n')
        sys.stdout.flush()


class Cli:
    """The client side: runs commands through a fork server."""

    def __init__(self, env, directory):
        self.directory = str(directory)
        self._count = 0
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__)], env=env,
            cwd=self.directory, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)

    def run(self, argv, timeout=120):
        """A CompletedProcess of `openstack <argv>`."""
        self._count += 1
        base = os.path.join(self.directory, 'openstack-%03d' % self._count)
        request = {'argv': list(argv), 'cwd': self.directory,
                   'stdout': base + '.out', 'stderr': base + '.err',
                   'timeout': timeout}
        self.process.stdin.write(json.dumps(request) + '\n')
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError('the openstack fork server exited with %s'
                               % self.process.wait())
        code = json.loads(answer)['returncode']
        with open(request['stdout']) as out, open(request['stderr']) as err:
            return subprocess.CompletedProcess(
                [OPENSTACK] + list(argv), code, out.read(), err.read())

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


if __name__ == '__main__':
    serve()
