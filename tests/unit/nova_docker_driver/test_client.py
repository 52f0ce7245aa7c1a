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

"""The engine client built from the [docker] group, and the labels.

The API version is fixed so that building a client never asks an engine;
TLS is checked on the client's own session, through the merge of
environment settings every request goes through.
"""

import os

import fixtures
from oslo_config import fixture as config_fixture
from oslotest import base as oslo_base

from magnum_lite.common import docker_client
from nova_docker_driver import client
from nova_docker_driver import conf as docker_conf

PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'
SITE_BUNDLE = '/etc/ssl/certs/site-bundle.pem'


class MakeClientTest(oslo_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(docker_conf.CONF))
        self.conf.config(group='docker', api_url='tcp://127.0.0.1:9',
                         api_version='1.41', api_timeout=77)
        for variable in docker_client.CA_BUNDLE_VARIABLES + (
                'HTTPS_PROXY', 'https_proxy'):
            self.useFixture(fixtures.EnvironmentVariable(variable))
        directory = self.useFixture(fixtures.TempDir()).path
        self.files = {}
        for name, text in (('ca', PEM), ('cert', PEM), ('key', KEY)):
            self.files[name] = os.path.join(directory, name + '.pem')
            with open(self.files[name], 'w') as pem_file:
                pem_file.write(text)

    def _verify(self, api):
        """The CA check a request of this client would make."""
        return api.merge_environment_settings(
            api.base_url, {}, None, None, None)['verify']

    def test_without_tls(self):
        api = client.make_client().api
        self.assertIsInstance(api, docker_client.APIClient)
        self.assertEqual('http://127.0.0.1:9', api.base_url)
        self.assertEqual(77, api.timeout)
        self.assertIsNone(api.cert)

    def test_key_without_certificate_or_verify_means_no_tls(self):
        # As before: key_file alone neither turns TLS on nor fails.
        self.conf.config(group='docker', key_file=self.files['key'])
        api = client.make_client().api
        self.assertEqual('http://127.0.0.1:9', api.base_url)
        self.assertIsNone(api.cert)

    def test_verified_with_the_ca_file_and_a_client_certificate(self):
        self.conf.config(group='docker', tls_verify=True,
                         ca_file=self.files['ca'],
                         cert_file=self.files['cert'],
                         key_file=self.files['key'])
        api = client.make_client().api
        self.assertEqual('https://127.0.0.1:9', api.base_url)
        self.assertEqual((self.files['cert'], self.files['key']), api.cert)
        self.assertEqual(self.files['ca'], self._verify(api))

    def test_the_ca_file_beats_requests_ca_bundle(self):
        self.useFixture(fixtures.EnvironmentVariable('REQUESTS_CA_BUNDLE',
                                                     SITE_BUNDLE))
        self.conf.config(group='docker', tls_verify=True,
                         ca_file=self.files['ca'])
        self.assertEqual(self.files['ca'],
                         self._verify(client.make_client().api))

    def test_without_ca_file_the_environment_bundle_verifies(self):
        self.useFixture(fixtures.EnvironmentVariable('REQUESTS_CA_BUNDLE',
                                                     SITE_BUNDLE))
        self.conf.config(group='docker', tls_verify=True)
        api = client.make_client().api
        self.assertEqual('https://127.0.0.1:9', api.base_url)
        self.assertEqual(SITE_BUNDLE, self._verify(api))

    def test_without_ca_file_or_environment_the_default_cas_verify(self):
        self.conf.config(group='docker', tls_verify=True)
        self.assertIs(True, self._verify(client.make_client().api))

    def test_client_certificate_without_verify(self):
        # ca_file is not even read when the engine is not verified.
        self.conf.config(group='docker', cert_file=self.files['cert'],
                         key_file=self.files['key'],
                         ca_file='/nonexistent/ca.pem')
        api = client.make_client().api
        self.assertEqual('https://127.0.0.1:9', api.base_url)
        self.assertEqual((self.files['cert'], self.files['key']), api.cert)
        self.assertIs(False, self._verify(api))

    def test_proxies_do_not_apply_to_a_tls_engine(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'HTTPS_PROXY', 'http://proxy.example:3128'))
        self.conf.config(group='docker', tls_verify=True,
                         ca_file=self.files['ca'])
        api = client.make_client().api
        self.assertEqual({}, api.merge_environment_settings(
            api.base_url, {}, None, None, None)['proxies'])

    def test_certificate_without_key_is_refused(self):
        self.conf.config(group='docker', cert_file=self.files['cert'])
        self.assertRaises(docker_client.TLSMaterialError,
                          client.make_client)


class LabelTest(oslo_base.BaseTestCase):

    def test_labels_keep_their_names(self):
        # Containers of running instances carry these: they never change.
        self.assertEqual('org.openstack.nova.instance-uuid',
                         client.LABEL_UUID)
        self.assertEqual('org.openstack.nova.instance-name',
                         client.LABEL_NAME)
        self.assertEqual('org.openstack.nova.host', client.LABEL_HOST)
