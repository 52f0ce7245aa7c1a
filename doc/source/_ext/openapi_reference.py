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

"""``.. openapi-reference:: FILE``: the API reference from the OpenAPI file.

The reference is generated, not written: every path and method of the
OpenAPI description (grouped by tag, in the file's order) with its summary
and the status codes it answers, an index of those status codes, and the
microversion history from magnum_lite.api.versions. A resource added to
the description or a version added to the code shows up here without a
documentation change, and a build fails when the file cannot be read.
"""

import os

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList
import yaml

METHODS = ('get', 'post', 'put', 'patch', 'delete')


def _resolve(document, item):
    """Follow a local $ref (#/components/...) once."""
    ref = item.get('$ref') if isinstance(item, dict) else None
    if not ref:
        return item
    node = document
    for part in ref.lstrip('#/').split('/'):
        node = node[part]
    return node


def operations(document):
    """(tag, method, path, operation) in the file's order."""
    for path, item in document['paths'].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get('tags') or ['misc'])[0]
                yield tag, method.upper(), path, operation


def responses(document, operation):
    """[(status, description)] of an operation, sorted by status."""
    answers = []
    for status, answer in operation.get('responses', {}).items():
        answer = _resolve(document, answer)
        answers.append((str(status),
                        ' '.join(answer.get('description', '').split())))
    return sorted(answers)


def _one_line(text):
    return ' '.join((text or '').split())


def reference_lines(document, history):
    lines = []
    tags = [t['name'] for t in document.get('tags', [])]
    by_tag = {}
    for tag, method, path, operation in operations(document):
        if tag not in tags:
            tags.append(tag)
        by_tag.setdefault(tag, []).append((method, path, operation))
    codes = {}
    for tag in tags:
        if tag not in by_tag:
            continue
        lines += ['.. rubric:: %s' % tag, '']
        for method, path, operation in by_tag[tag]:
            lines += ['``%s %s``' % (method, path),
                      '   %s' % (_one_line(operation.get('summary')) or '-'),
                      '']
            answers = responses(document, operation)
            lines.append('   Answers: %s' % ', '.join(
                '%s (%s)' % (status, description)
                for status, description in answers))
            lines.append('')
            for status, description in answers:
                codes.setdefault(status, set()).add(description)
    lines += ['.. rubric:: Status codes', '',
              '.. list-table::', '   :header-rows: 1', '',
              '   * - Status', '     - Meaning (as answered by any operation)']
    for status in sorted(codes):
        lines += ['   * - %s' % status,
                  '     - %s' % '; '.join(sorted(codes[status]))]
    lines += ['', '.. rubric:: Microversions', '',
              '.. list-table::', '   :header-rows: 1', '',
              '   * - Version', '     - Change']
    for (major, minor), change in sorted(history.items()):
        lines += ['   * - %d.%d' % (major, minor), '     - %s' % change]
    lines.append('')
    return lines


class OpenAPIReference(Directive):
    required_arguments = 1

    def run(self):
        from magnum_lite.api import versions

        env = self.state.document.settings.env
        relative, path = env.relfn2path(self.arguments[0])
        env.note_dependency(relative)
        with open(path) as source:
            document = yaml.safe_load(source)
        content = StringList(reference_lines(document, versions.HISTORY),
                             source=os.path.basename(path))
        section = nodes.container()
        self.state.nested_parse(content, self.content_offset, section)
        return section.children


def setup(app):
    app.add_directive('openapi-reference', OpenAPIReference)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
