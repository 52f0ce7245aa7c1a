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

"""The files a Heat driver's template needs, for heatclient's `files=`.

The template and its nested templates name other files relatively
(`type: node.yaml`, `get_file: fragments/lib.sh`); Heat looks each name
up, as written, in the files dict of the stack request. `template_files`
follows those references from the main template on disk and returns
{name as written: contents}. Two different files under one name would
make Heat use the same one for both, so that is an error.
"""

import os

import yaml

# libyaml's loader when PyYAML has it: ten times faster.
_LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)


def _references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'get_file' and isinstance(value, str):
                yield value
            elif (key == 'type' and isinstance(value, str) and
                  value.endswith(('.yaml', '.template'))):
                yield value
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def template_files(template_path):
    files = {}
    origin = {}
    pending = [template_path]
    seen = set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        with open(path) as f:
            text = f.read()
        if not path.endswith(('.yaml', '.template')):
            continue
        for name in _references(yaml.load(text, Loader=_LOADER)):
            target = os.path.normpath(
                os.path.join(os.path.dirname(path), name))
            if origin.setdefault(name, target) != target:
                raise ValueError('%s names both %s and %s' % (
                    name, origin[name], target))
            if name not in files:
                with open(target) as f:
                    files[name] = f.read()
            pending.append(target)
    return files


def read(path):
    with open(path) as f:
        return f.read()
