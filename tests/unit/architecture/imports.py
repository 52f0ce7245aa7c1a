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

"""Which package may import which: the rules and their checker.

doc/source/contributor/internals.rst draws the same picture. Each rule
names the packages one layer may import from this repository; everything
else of the repository is forbidden to it. Third-party imports are not
judged. Imports inside functions count: a lazy import is still a
dependency.
"""

import ast
import dataclasses
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
OWN_TOP_LEVEL = ('magnum_lite', 'heat_plugins', 'nova_docker_driver',
                 'tests', 'benchmarks')
SOURCE_TREES = OWN_TOP_LEVEL

# The shared Docker client is the one module of magnum_lite that the Heat
# resources and the Nova driver load (it imports only the Docker SDK).
DOCKER_CLIENT = 'magnum_lite.common.docker_client'
# What every part of the service may use: its configuration and the
# shared helpers.
BASE = ('magnum_lite.conf', 'magnum_lite.common')


@dataclasses.dataclass(frozen=True)
class Rule:
    """Modules under `layer` may import only `allowed` (and themselves)."""

    layer: str
    allowed: tuple
    why: str


# The most specific layer that contains a module is its rule.
RULES = (
    Rule('magnum_lite.conf', (), 'configuration is a leaf'),
    Rule('magnum_lite.common', ('magnum_lite.conf',),
         'shared helpers know no layer above them'),
    Rule('magnum_lite.certificates', BASE,
         'the CA store works on the DB API it is handed'),
    Rule('magnum_lite.db', BASE, 'the database knows no layer above it'),
    Rule('magnum_lite.drivers',
         BASE + ('magnum_lite.certificates.x509',),
         'drivers get the CA and the database through the driver '
         'interface, never from the conductor'),
    Rule('magnum_lite.conductor',
         BASE + ('magnum_lite.db', 'magnum_lite.certificates',
                 'magnum_lite.drivers.base', 'magnum_lite.drivers.loader'),
         'the conductor reaches drivers only through their interface and '
         'the loader: it names no driver'),
    Rule('magnum_lite.api',
         BASE + ('magnum_lite.db', 'magnum_lite.certificates',
                 'magnum_lite.drivers.base', 'magnum_lite.drivers.loader',
                 'magnum_lite.conductor.rpcapi'),
         'the API talks to the conductor over RPC only'),
    Rule('magnum_lite.client', (),
         'the client library ships to users without the service'),
    Rule('magnum_lite.osc', ('magnum_lite.client',),
         'the CLI plugin runs on users\' machines'),
    Rule('magnum_lite.horizon', ('magnum_lite.client',),
         'the dashboard runs inside Horizon, beside no service'),
    Rule('heat_plugins', (DOCKER_CLIENT,),
         'the Heat resources load inside heat-engine'),
    Rule('nova_docker_driver', (DOCKER_CLIENT,),
         'the Nova driver loads inside nova-compute'),
    Rule('benchmarks', ('magnum_lite', 'heat_plugins', 'nova_docker_driver',
                        'tests.harness'),
         'benchmarks share the test harness, not the tests'),
)

# Entry points and process wiring may import every layer (the WSGI entry
# point reads the configuration as the console scripts do).
UNRESTRICTED = ('magnum_lite.cmd', 'magnum_lite.aio', 'magnum_lite.api.wsgi')


@dataclasses.dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str
    why: str

    def __str__(self):
        return '%s:%d imports %s: %s' % (self.module, self.line,
                                         self.imported, self.why)


def _within(name, prefix):
    return name == prefix or name.startswith(prefix + '.')


def module_name(path, root=REPO):
    relative = os.path.relpath(path, root)[:-len('.py')]
    parts = relative.split(os.sep)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


def imported_names(source, module, is_package=False):
    """(line, dotted name) of every import of this repository's modules.

    `from a import b` yields a.b (b may be a module or a name in a; the
    rules are written so that both read right).
    """
    package = module if is_package else module.rpartition('.')[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.split('.')
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = '.'.join(anchor + ([base] if base else []))
            for alias in node.names:
                yield node.lineno, '%s.%s' % (base, alias.name)


def _own(name):
    return name.split('.')[0] in OWN_TOP_LEVEL


def _rule_for(module):
    if any(_within(module, u) for u in UNRESTRICTED):
        return None
    matching = [r for r in RULES if _within(module, r.layer)]
    return max(matching, key=lambda r: len(r.layer)) if matching else None


def _test_violation(module, imported):
    """Tests import only the harness or their own folder's helpers."""
    if not _within(imported, 'tests'):
        return None
    if _within(imported, 'tests.harness'):
        return None
    if imported.split('.')[-1].startswith('test_') or any(
            part.startswith('test_') or part == 'conftest'
            for part in imported.split('.')):
        return 'a test module or conftest is never imported'
    folder = module.rpartition('.')[0]
    if _within(module, 'tests.harness') or not _within(imported, folder):
        return ('tests share helpers through tests.harness, not across '
                'folders')
    return None


def check_module(module, source, is_package=False):
    """Violations of one module's imports."""
    found = []
    rule = _rule_for(module)
    for line, imported in imported_names(source, module, is_package):
        if not _own(imported) or _within(imported, module):
            continue
        if _within(module, 'tests'):
            why = _test_violation(module, imported)
            if why:
                found.append(Violation(module, line, imported, why))
            continue
        if rule is None or _within(imported, rule.layer):
            continue
        if not any(_within(imported, allowed) for allowed in rule.allowed):
            found.append(Violation(module, line, imported, rule.why))
    return found


def iter_sources(root=REPO):
    """(module name, path) of every Python file of the checked trees."""
    for tree in SOURCE_TREES:
        for directory, subdirs, files in os.walk(os.path.join(root, tree)):
            subdirs[:] = [d for d in subdirs
                          if not d.startswith('.') and d != '__pycache__']
            for name in sorted(files):
                if name.endswith('.py'):
                    path = os.path.join(directory, name)
                    yield module_name(path, root), path


def check_tree(root=REPO, extra=None):
    """Every violation in the repository; `extra` adds {module: source}."""
    found = []
    for module, path in iter_sources(root):
        with open(path, encoding='utf-8') as source:
            text = source.read()
        if extra and module in extra:
            text += '\n' + extra.pop(module)
        found.extend(check_module(module, text,
                                  path.endswith('__init__.py')))
    for module, text in (extra or {}).items():
        found.extend(check_module(module, text))
    return found
