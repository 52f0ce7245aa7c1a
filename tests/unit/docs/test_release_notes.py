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

"""The release notes: reno's lint and the Sphinx build (tox -e releasenotes)."""

import os
import subprocess
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BIN = os.path.dirname(sys.executable)
NOTES = os.path.join(REPO, 'releasenotes', 'notes')
SECTIONS = {'prelude', 'features', 'issues', 'upgrade', 'deprecations',
            'critical', 'security', 'fixes', 'other'}


def _run(*command):
    result = subprocess.run([os.path.join(BIN, command[0])] + list(command[1:]),
                            cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result


def test_reno_lint():
    _run('reno', 'lint')


def test_notes_use_known_sections_and_licence():
    names = sorted(n for n in os.listdir(NOTES) if n.endswith('.yaml'))
    assert names
    for name in names:
        with open(os.path.join(NOTES, name)) as note:
            text = note.read()
        assert 'Licensed under the Apache License' in text, name
        sections = set(yaml.safe_load(text))
        assert sections and sections <= SECTIONS, (name, sections)


def test_sphinx_build(tmp_path):
    # The tox -e releasenotes command, into a temporary directory.
    _run('sphinx-build', '-a', '-E', '-W', '-d', str(tmp_path / 'doctrees'),
         '-b', 'html', 'releasenotes/source', str(tmp_path / 'html'))
    page = (tmp_path / 'html' / 'unreleased.html').read_text()
    # Committed notes appear in the build (reno reads them from git).
    assert 'magnum-lite-db-manage' in page
    assert 'trustee' in page
