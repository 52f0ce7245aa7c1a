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

"""magnum-lite-status upgrade check (oslo.upgradecheck)."""

import sys

from cryptography import fernet
from oslo_upgradecheck import common_checks
from oslo_upgradecheck import upgradecheck

from magnum_lite import cmd
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
Code = upgradecheck.Code
Result = upgradecheck.Result


class Checks(upgradecheck.UpgradeCommands):
    """What must hold before the services of this release start."""

    def _check_database(self):
        from magnum_lite.db import migration
        try:
            current = migration.version()
            head = migration.head()
        except Exception as exc:
            return Result(Code.FAILURE,
                          'Cannot read the database schema version: %s' % exc)
        if current != head:
            return Result(Code.FAILURE,
                          'The database is at revision %s, this release '
                          'needs %s: run "magnum-lite-db-manage upgrade".'
                          % (current or 'none', head))
        return Result(Code.SUCCESS, 'Database at revision %s.' % head)

    def _check_encryption_key(self):
        key = CONF.certificates.encryption_key
        if not key:
            return Result(Code.WARNING,
                          '[certificates] encryption_key is not set: each '
                          'conductor host generates its own key file in '
                          'its state directory, so conductors on different '
                          'hosts cannot read each other\'s CA keys. Set '
                          'one key (e.g. from "python3 -c \'from '
                          'cryptography.fernet import Fernet; '
                          'print(Fernet.generate_key().decode())\'") on '
                          'every conductor.')
        try:
            fernet.Fernet(key.encode('ascii'))
        except ValueError as exc:
            return Result(Code.FAILURE,
                          '[certificates] encryption_key is not a Fernet '
                          'key: %s' % exc)
        return Result(Code.SUCCESS)

    def _check_drivers(self):
        from magnum_lite.drivers import loader
        try:
            drivers = loader.load_drivers()
        except Exception as exc:
            return Result(Code.FAILURE, str(exc))
        if not drivers:
            return Result(Code.WARNING,
                          'No cluster driver is installed (entry points '
                          'magnum_lite.drivers): clusters cannot be '
                          'created.')
        return Result(Code.SUCCESS,
                      'Cluster drivers: %s.' % ', '.join(sorted(drivers)))

    _upgrade_checks = (
        ('Database schema', _check_database),
        ('Certificate encryption key', _check_encryption_key),
        ('Cluster drivers', _check_drivers),
        ('Policy file', (common_checks.check_policy_json,
                         {'conf': CONF})),
    )


def main(argv=None):
    cmd.register_opts(CONF)
    argv = sys.argv[1:] if argv is None else argv
    upgradecheck.register_cli_options(CONF, Checks())
    CONF(argv, project='magnum_lite', prog='magnum-lite-status')
    cmd.finish_defaults(CONF)
    return upgradecheck.run(CONF)


if __name__ == '__main__':
    sys.exit(main())
