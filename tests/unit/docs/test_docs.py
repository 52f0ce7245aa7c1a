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

"""The documentation: the Sphinx build (tox -e docs) and the API reference.

The reference page is generated from doc/source/api/openapi.yaml and the
microversion history in the code; the tests check it names every path,
every status code and every microversion.
"""

import os
import re
import subprocess
import sys

import pytest
import yaml

from magnum_lite.api import versions

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BIN = os.path.dirname(sys.executable)
SOURCE = os.path.join(REPO, 'doc', 'source')
sys.path.insert(0, os.path.join(SOURCE, '_ext'))
import openapi_reference  # noqa: E402


@pytest.fixture(scope='module')
def openapi():
    with open(os.path.join(SOURCE, 'api', 'openapi.yaml')) as source:
        return yaml.safe_load(source)


@pytest.fixture(scope='module')
def html(tmp_path_factory):
    out = tmp_path_factory.mktemp('doc')
    result = subprocess.run(
        [os.path.join(BIN, 'sphinx-build'), '-E', '-W', '-b', 'html',
         SOURCE, str(out)], cwd=REPO, capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return out


def test_reference_lists_every_operation(openapi):
    text = '\n'.join(openapi_reference.reference_lines(openapi,
                                                       versions.HISTORY))
    for path, item in openapi['paths'].items():
        for method in openapi_reference.METHODS:
            if method in item:
                assert '``%s %s``' % (method.upper(), path) in text


def test_reference_resolves_shared_responses(openapi):
    operation = openapi['paths']['/v1']['get']
    answers = dict(openapi_reference.responses(openapi, operation))
    assert answers['406'] == ' '.join(
        openapi['components']['responses']['NotAcceptable']
        ['description'].split())


def test_built_reference(html, openapi):
    page = (html / 'api' / 'reference.html').read_text()
    for path in openapi['paths']:
        assert path in page, path
    statuses = {str(s) for item in openapi['paths'].values()
                for method in openapi_reference.METHODS if method in item
                for s in item[method].get('responses', {})}
    assert {'200', '202', '400', '404', '406', '409'} <= statuses
    for status in statuses:
        assert re.search(r'<td><p>%s</p></td>' % status, page), status
    for major, minor in versions.HISTORY:
        assert '<td><p>%d.%d</p></td>' % (major, minor) in page
    # The OpenAPI file itself is published beside the page.
    assert list((html / '_downloads').glob('*/openapi.yaml'))


def test_admin_guide_pages(html):
    for page in ('devstack', 'keystone', 'all-in-one'):
        assert (html / 'admin' / (page + '.html')).exists(), page
    index = (html / 'index.html').read_text()
    assert 'admin/index.html' in index and 'api/reference.html' in index
