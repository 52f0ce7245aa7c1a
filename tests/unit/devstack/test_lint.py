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

"""Every DevStack script passes bashate and shellcheck."""

import glob
import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BIN = os.path.dirname(sys.executable)
SCRIPTS = sorted(
    [os.path.join(REPO, 'devstack', name) for name in ('plugin.sh', 'settings')]
    + glob.glob(os.path.join(REPO, 'devstack', 'lib', '*'))
    + [os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stubs.sh')])


def _tool(name):
    path = os.path.join(BIN, name)
    if os.path.exists(path):
        return path
    path = shutil.which(name)
    assert path, '%s is required (test-requirements.txt)' % name
    return path


def test_scripts_found():
    assert len(SCRIPTS) >= 4


@pytest.mark.parametrize('script', SCRIPTS, ids=os.path.basename)
def test_bashate(script):
    # E006 (line length) is ignored as DevStack's own lint does.
    result = subprocess.run([_tool('bashate'), '-v', '-i', 'E006',
                             '-e', 'E*', script],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize('script', SCRIPTS, ids=os.path.basename)
def test_shellcheck(script):
    result = subprocess.run([_tool('shellcheck'), '-x', '-s', 'bash', script],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
