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

"""node-init of the node image: the user data forms it understands."""

import base64
from email.mime import multipart
from email.mime import text
import gzip
import importlib.util
import os

import fixtures
from oslotest import base as oslo_base

PATH = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'tools',
                    'images', 'node', 'node-init.py')
_spec = importlib.util.spec_from_file_location('node_init', PATH)
node_init = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(node_init)

SCRIPT = b'#!/bin/sh\necho hi\n'
CLOUD_CONFIG = b'''#cloud-config
write_files:
  - path: /etc/x.conf
    content: hello
runcmd:
  - [touch, /tmp/ran]
'''


class UserDataTest(oslo_base.BaseTestCase):

    def test_script_and_cloud_config(self):
        self.assertEqual([('script', SCRIPT)],
                         node_init.split_user_data(SCRIPT))
        self.assertEqual([('cloud-config', CLOUD_CONFIG)],
                         node_init.split_user_data(CLOUD_CONFIG))
        self.assertEqual([('script', SCRIPT)],
                         node_init.split_user_data(gzip.compress(SCRIPT)))

    def test_unknown_form_is_ignored(self):
        self.assertEqual([], node_init.split_user_data(b'just text'))
        self.assertEqual([], node_init.split_user_data(b''))

    def test_multipart_as_heat_builds_it(self):
        mime = multipart.MIMEMultipart()
        mime.attach(text.MIMEText(CLOUD_CONFIG.decode(), 'cloud-config'))
        mime.attach(text.MIMEText(SCRIPT.decode(), 'x-shellscript'))
        mime.attach(text.MIMEText('{}', 'x-cfninitdata'))
        parts = node_init.split_user_data(mime.as_bytes())
        self.assertEqual(['cloud-config', 'script'], [k for k, _ in parts])
        self.assertEqual(SCRIPT, parts[1][1])
        config = node_init.load_cloud_config(parts[0][1])
        self.assertEqual([['touch', '/tmp/ran']], config['runcmd'])

    def test_write_files(self):
        root = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(root, 'a', 'b.txt')
        node_init.write_files([{'write_files': [
            {'path': path, 'content': base64.b64encode(b'data').decode(),
             'encoding': 'b64', 'permissions': '0600'},
            {'path': path + '.later', 'content': 'x', 'defer': True},
        ]}], deferred=False)
        with open(path, 'rb') as f:
            self.assertEqual(b'data', f.read())
        self.assertEqual(0o600, os.stat(path).st_mode & 0o777)
        self.assertFalse(os.path.exists(path + '.later'))

    def test_commands(self):
        self.assertEqual(['/bin/sh', '-c', 'echo $HOME'],
                         node_init.command_argv('echo $HOME'))
        self.assertEqual(['touch', '1'], node_init.command_argv(
            ['touch', 1]))
