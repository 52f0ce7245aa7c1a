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

"""Horizon (PyPI horizon) with magnum-ui and our plugin, for the tests.

The settings are Horizon's own, overridden the way an operator does it:
a `local.local_settings` module found on PYTHONPATH. Instead of copying
the enabled files into Horizon's install (which a test must not touch),
the local settings append magnum-ui's and our enabled folders to the
folder Horizon reads them from, before Horizon reads it. Django's
runserver serves the pages and the static files (--insecure), one
process, no reloader.
"""

import os

from tests.harness import entrypoints
from tests.harness import processes

LOCAL_SETTINGS = '''import os

import magnum_ui.enabled
from openstack_dashboard.local import enabled as local_enabled

import magnum_lite.horizon.enabled

# What an operator does by copying the enabled files into
# openstack_dashboard/local/enabled/.
local_enabled.__path__.extend([magnum_ui.enabled.__path__[0],
                               magnum_lite.horizon.enabled.__path__[0]])

DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
SECRET_KEY = 'horizon-test-only-secret'
OPENSTACK_KEYSTONE_URL = %(keystone_url)r
OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'
OPENSTACK_API_VERSIONS = {'identity': 3}
LOGIN_REDIRECT_URL = '/project/cluster_templates/'
STATIC_ROOT = %(static_root)r
COMPRESS_ROOT = STATIC_ROOT
SESSION_TIMEOUT = 3600
# Sessions in files: no memcached here, and Horizon's cache sessions in
# a local-memory cache were lost between the login and the next page.
SESSION_ENGINE = 'django.contrib.sessions.backends.file'
SESSION_FILE_PATH = %(sessions)r
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['console'], 'level': 'INFO'},
}
'''


class Horizon:
    """One Horizon under `directory`, against the Keystone at `url`.

    `python` is the interpreter of the venv Horizon is installed in.
    """

    def __init__(self, directory, keystone_url, python):
        self.directory = directory
        self.python = python
        self.keystone_url = keystone_url
        self.port = processes.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.service = None

    def _write_settings(self):
        package = self.directory / 'settings' / 'local'
        package.mkdir(parents=True, exist_ok=True)
        (package / '__init__.py').write_text('')
        (package / 'local_settings.py').write_text(LOCAL_SETTINGS % {
            'keystone_url': self.keystone_url,
            'static_root': str(self.directory / 'static'),
            'sessions': str(self.directory / 'sessions')})
        (self.directory / 'sessions').mkdir(exist_ok=True)

    def environment(self):
        """Writes the settings; the environment a Horizon process needs."""
        self._write_settings()
        return dict(os.environ, DJANGO_SETTINGS_MODULE=(
            'openstack_dashboard.settings'), PYTHONWARNINGS='ignore',
            PYTHONPATH=os.pathsep.join([
                str(self.directory / 'settings'), entrypoints.REPO_ROOT]))

    def start(self):
        """Start Horizon; wait_until_ready() waits for it to serve."""
        self.service = processes.Service(
            [self.python, '-m', 'django', 'runserver', '--insecure',
             '--noreload', '127.0.0.1:%d' % self.port],
            self.environment(), self.directory / 'horizon.log')

    def wait_until_ready(self):
        def ready():
            assert self.service.process.poll() is None, self.service.log()
            status, _ = processes.http('GET', self.url + '/auth/login/')
            return status == 200
        processes.wait_for(ready, timeout=120, interval=0.5,
                           what='Horizon at %s' % self.url)

    def stop(self):
        if self.service is not None:
            self.service.stop(timeout=20)
