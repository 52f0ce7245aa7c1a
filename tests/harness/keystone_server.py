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

"""A real Keystone for the tests: PyPI keystone, SQLite, fernet tokens.

keystone-manage prepares the database and the keys, gunicorn serves the
WSGI application on a free loopback port with one worker and one thread
(SQLite allows one writer: concurrent writes answer 500 "database is
locked"). The identity objects the tests need are made through the
Keystone API itself, with python-keystoneclient, as an operator would.
"""

import getpass
import json
import os
import subprocess
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from keystoneclient.v3 import client as ks_client

from tests.harness import processes

BIN = os.path.dirname(sys.executable)
ADMIN_PASSWORD = 'admin-secret'
# gunicorn imports this file: keystone parses sys.argv when its app is
# built, and gunicorn's own arguments would make it exit.
WSGI_FILE = '''import sys
sys.argv = sys.argv[:1]
from keystone.wsgi.api import application  # noqa: E402,F401
'''

# keystone-manage's own main(), once per command in a forked child.
MANAGE = '''import json, os, sys
from keystone.cmd import cli
config = sys.argv[1]
for command in json.load(sys.stdin):
    pid = os.fork()
    if pid == 0:
        try:
            cli.main(['keystone-manage', '--config-file', config] + command)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit('keystone-manage %s failed' % command[0])
'''


class Keystone:
    """One Keystone server under `directory`."""

    def __init__(self, directory):
        self.directory = directory
        self.port = processes.free_port()
        self.url = 'http://127.0.0.1:%d/v3' % self.port
        self.config = directory / 'keystone.conf'
        self.service = None

    def _write_config(self):
        for sub in ('fernet-keys', 'credential-keys', 'wsgi'):
            (self.directory / sub).mkdir(exist_ok=True)
        processes.write_config(self.config, {
            'DEFAULT': {'log_file': self.directory / 'keystone.log'},
            'database': {'connection': 'sqlite:///%s' % (
                self.directory / 'keystone.db')},
            'token': {'provider': 'fernet', 'expiration': 3600},
            'fernet_tokens': {'key_repository':
                              self.directory / 'fernet-keys'},
            'fernet_receipts': {'key_repository':
                                self.directory / 'fernet-keys'},
            'credential': {'key_repository':
                           self.directory / 'credential-keys'},
            'cache': {'enabled': False},
        })
        (self.directory / 'wsgi' / 'ks_wsgi.py').write_text(WSGI_FILE)

    def _manage(self, *commands):
        """Run keystone-manage commands, in order, importing keystone once.

        Importing keystone costs seconds; each command runs in a child
        forked after the import, so it starts from a clean configuration
        as if keystone-manage had been run.
        """
        result = subprocess.run(
            [sys.executable, '-c', MANAGE, str(self.config)],
            input=json.dumps(commands), capture_output=True, text=True,
            timeout=300)
        assert result.returncode == 0, (
            'keystone-manage failed:\n%s' % result.stderr[-5000:])

    def start(self):
        """Set up the database and keys, then serve; returns when ready."""
        self._write_config()
        user = getpass.getuser()
        self._manage(
            ['db_sync'],
            ['fernet_setup', '--keystone-user', user,
             '--keystone-group', user],
            ['credential_setup', '--keystone-user', user,
             '--keystone-group', user],
            ['bootstrap', '--bootstrap-password', ADMIN_PASSWORD,
             '--bootstrap-username', 'admin',
             '--bootstrap-project-name', 'admin',
             '--bootstrap-role-name', 'admin',
             '--bootstrap-service-name', 'keystone',
             '--bootstrap-region-id', 'RegionOne',
             '--bootstrap-public-url', self.url,
             '--bootstrap-internal-url', self.url,
             '--bootstrap-admin-url', self.url])
        env = dict(os.environ, OS_KEYSTONE_CONFIG_FILES=str(self.config),
                   PYTHONWARNINGS='ignore')
        self.service = processes.Service(
            ['gunicorn', '--chdir', str(self.directory / 'wsgi'),
             '--bind', '127.0.0.1:%d' % self.port, '--workers', '1',
             '--threads', '1', '--timeout', '120', '--no-control-socket',
             'ks_wsgi:application'],
            env, self.directory / 'gunicorn.log')

        def ready():
            assert self.service.process.poll() is None, self.service.log()
            status, _ = processes.http('GET', self.url)
            return status == 200
        processes.wait_for(ready, timeout=90, interval=0.5,
                           what='Keystone at %s' % self.url)

    def stop(self):
        if self.service is not None:
            self.service.stop(timeout=20)

    def session(self, username, password, project_name=None,
                user_domain_name='Default', domain_name=None):
        auth = v3.Password(auth_url=self.url, username=username,
                           password=password,
                           user_domain_name=user_domain_name,
                           project_name=project_name,
                           project_domain_name='Default'
                           if project_name else None,
                           domain_name=domain_name)
        return ks_session.Session(auth=auth)

    def admin(self):
        """A keystoneclient of the bootstrap admin."""
        return ks_client.Client(session=self.session(
            'admin', ADMIN_PASSWORD, 'admin'))
