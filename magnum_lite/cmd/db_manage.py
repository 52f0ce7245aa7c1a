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

"""magnum-lite-db-manage upgrade|version|revision."""

import sys

from oslo_config import cfg

from magnum_lite import cmd
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF


def do_upgrade():
    from magnum_lite.db import migration
    migration.upgrade(CONF.command.revision)
    print('Database upgraded to %s' % (migration.version() or 'base'))


def do_version():
    from magnum_lite.db import migration
    print(migration.version() or 'None (empty database)')


def do_revision():
    from magnum_lite.db import migration
    migration.revision(message=CONF.command.message,
                       autogenerate=CONF.command.autogenerate)


def add_command_parsers(subparsers):
    parser = subparsers.add_parser(
        'upgrade', help='Migrate the database to a revision (head).')
    parser.add_argument('--revision', default='head',
                        help='Revision to migrate to (default: head).')
    parser.set_defaults(func=do_upgrade)

    parser = subparsers.add_parser(
        'version', help='Print the revision the database is at.')
    parser.set_defaults(func=do_version)

    parser = subparsers.add_parser(
        'revision', help='Write a new migration script (developers).')
    parser.add_argument('-m', '--message', help='What the migration does.')
    parser.add_argument('--autogenerate', action='store_true',
                        help='Compare the models with the database.')
    parser.set_defaults(func=do_revision)


command_opt = cfg.SubCommandOpt('command', title='Commands',
                                help='Available commands',
                                handler=add_command_parsers)


def main(argv=None):
    # A command-line tool: its output is for the operator's terminal.
    if 'command' not in CONF:
        CONF.register_cli_opt(command_opt)
    cmd.prepare_service(sys.argv[1:] if argv is None else argv,
                        'magnum-lite-db-manage', log_to_stderr=True)
    CONF.command.func()
    return 0


if __name__ == '__main__':
    sys.exit(main())
