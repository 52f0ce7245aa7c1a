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

"""The package as an operator installs it: `pip install`, nothing else.

A new virtualenv gets this checkout with its declared requirements only
(no test requirements, no extras); every console script must work there,
and an optional part that is missing must say how to get it.
"""

import os
import subprocess
import sys

import pytest

from tests.harness import processes

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SCRIPTS = ('magnum-lite-api', 'magnum-lite-conductor',
           'magnum-lite-db-manage', 'magnum-lite-status', 'magnum-lite-aio',
           'nova-docker-install')


@pytest.fixture(scope='module')
def bare(tmp_path_factory):
    """A virtualenv holding only `pip install <this checkout>`."""
    venv = tmp_path_factory.mktemp('bare-venv')
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / 'bin' / 'pip'), 'install', '-q', '--disable-pip-version-'
         'check', REPO], capture_output=True, text=True, timeout=900)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return venv


def _run(venv, home, *command):
    env = {'PATH': '%s:/usr/bin:/bin' % (venv / 'bin'), 'HOME': str(home),
           'LANG': 'C.UTF-8'}
    return subprocess.run(
        processes.command_line(command, bin_dir=str(venv / 'bin')), env=env,
        capture_output=True, text=True, timeout=120, cwd=str(home))


def _importable(venv, module):
    found = subprocess.run(
        [str(venv / 'bin' / 'python'), '-c',
         'import importlib.util, sys; '
         'sys.exit(importlib.util.find_spec(%r) is None)' % module])
    return found.returncode == 0


def test_test_requirements_are_not_installed(bare):
    # Otherwise this test would prove nothing about a bare install.
    for module in ('pytest', 'heat', 'nova', 'keystone'):
        assert not _importable(bare, module), module


@pytest.mark.parametrize('script', SCRIPTS)
def test_every_console_script_starts(bare, tmp_path, script):
    result = _run(bare, tmp_path, script, '--help')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'usage:' in result.stdout.lower()
    assert 'Traceback' not in result.stderr


def test_the_database_is_made_and_checked(bare, tmp_path):
    upgraded = _run(bare, tmp_path, 'magnum-lite-db-manage', 'upgrade')
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    check = _run(bare, tmp_path, 'magnum-lite-status', 'upgrade', 'check')
    # 1: warnings only (no encryption key set on a first install).
    assert check.returncode in (0, 1), check.stdout + check.stderr
    assert 'Database at revision' in check.stdout


def test_the_all_in_one_without_its_extra_says_how_to_get_it(bare, tmp_path):
    result = _run(bare, tmp_path, 'magnum-lite-aio')
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(
        'magnum-lite-aio runs a Heat engine for its clusters, and Heat is '
        'not installed')
    assert "pip install 'magnum-lite[aio]'" in result.stderr
    assert 'Traceback' not in result.stderr
