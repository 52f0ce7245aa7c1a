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

"""The virtual environment Horizon runs from in the browser test.

Horizon and magnum-ui live in .venv-horizon (gitignored), not in the main
venv: magnum-ui 19 builds python-magnumclient with input_auth_token,
which python-magnumclient 5 (the main venv's, which the coe client tests
need) dropped. Built from requirements.txt beside this file when missing
or when that file changed; `python -m tests.functional.horizon.venv`
builds it ahead of a test run.
"""

import os
import subprocess
import sys
import venv

from tests.harness import entrypoints

PATH = os.path.join(entrypoints.REPO_ROOT, '.venv-horizon')
REQUIREMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            'requirements.txt')
PYTHON = os.path.join(PATH, 'bin', 'python')
# A copy of the requirements the venv was built from: a change rebuilds.
STAMP = os.path.join(PATH, 'built-from-requirements.txt')


def _read(path):
    try:
        with open(path) as stream:
            return stream.read()
    except OSError:
        return None


def ensure(timeout=900):
    """The venv's python, built or updated first if needed."""
    wanted = _read(REQUIREMENTS)
    if _read(STAMP) == wanted and os.path.exists(PYTHON):
        return PYTHON
    if not os.path.exists(PYTHON):
        venv.EnvBuilder(with_pip=True).create(PATH)
    result = subprocess.run(
        [PYTHON, '-m', 'pip', 'install', '-q', '-r', REQUIREMENTS],
        capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError('installing Horizon into %s failed:\n%s'
                           % (PATH, result.stderr[-4000:]))
    with open(STAMP, 'w') as stamp:
        stamp.write(wanted)
    return PYTHON


if __name__ == '__main__':
    print(ensure())
    sys.exit(0)
