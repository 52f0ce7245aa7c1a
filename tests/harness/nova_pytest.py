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

"""Make Nova's testtools-based test cases run under pytest.

Imported first by the conftest.py of every nova_docker_driver test folder
(pytest reads a folder's conftest before it imports the folder's tests)
and by the Nova benchmark.
"""

import os
import sys


def setup():
    # Nova must monkey patch before oslo, urllib3 or the Docker SDK are
    # imported, as nova-compute does.
    from nova import monkey_patch
    monkey_patch.patch()

    from nova import test as nova_test
    from nova.tests.fixtures import conf as conf_fixture

    # nova's TestCase deletes every public attribute in a cleanup,
    # including the bound test method pytest set on the instance; pytest
    # then fails every test when it deletes it again. Keep that one.
    clear_attrs = nova_test.TestCase._clear_attrs

    def _clear_attrs(self):
        keep = getattr(self, '_testMethodName', None)
        saved = self.__dict__.get(keep)
        clear_attrs(self)
        if saved is not None:
            self.__dict__[keep] = saved

    nova_test.TestCase._clear_attrs = _clear_attrs

    # pip puts api-paste.ini under <prefix>/etc/nova while the test
    # configuration looks for it next to the nova package.
    paste = os.path.join(sys.prefix, 'etc', 'nova', 'api-paste.ini')
    conf_setup = conf_fixture.ConfFixture.setUp

    def _conf_setup(self):
        conf_setup(self)
        if os.path.exists(paste):
            self.conf.set_default('api_paste_config', paste, group='wsgi')

    conf_fixture.ConfFixture.setUp = _conf_setup
