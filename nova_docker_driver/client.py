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

"""The Docker engine as the driver sees it: one client, named containers.

Every container this driver makes is called ``nova-<instance uuid>`` and
carries labels naming the instance and the compute host, so that the driver
lists only its own containers even on an engine shared with other users.
"""

from docker import errors as docker_errors
from oslo_log import log as logging

from magnum_lite.common import docker_client
from nova_docker_driver import conf as docker_conf

LOG = logging.getLogger(__name__)
CONF = docker_conf.CONF

LABEL_UUID = docker_client.label('nova', 'instance-uuid')
LABEL_NAME = docker_client.label('nova', 'instance-name')
LABEL_HOST = docker_client.label('nova', 'host')

NotFound = docker_errors.NotFound
APIError = docker_errors.APIError
DockerException = docker_errors.DockerException


def container_name(instance_uuid):
    return 'nova-%s' % instance_uuid


def make_client():
    """A Docker SDK client configured from the [docker] group.

    TLS is on with tls_verify or a client certificate. With tls_verify and
    no ca_file the engine is verified against the environment's CA bundle
    (REQUESTS_CA_BUNDLE) or the default CAs. As in earlier releases,
    ca_file is read only with tls_verify and key_file only with cert_file.
    """
    conf = CONF.docker
    tls = docker_client.tls_config(
        ca_cert=conf.ca_file if conf.tls_verify else None,
        client_cert=conf.cert_file,
        client_key=conf.key_file if conf.cert_file else None,
        verify=conf.tls_verify,
        always=bool(conf.tls_verify or conf.cert_file))
    return docker_client.client(base_url=conf.api_url,
                                version=conf.api_version,
                                timeout=conf.api_timeout, tls=tls)


class Engine(object):
    """Container look-ups shared by the driver, the VIF code and images."""

    def __init__(self, client=None):
        self._client = client

    @property
    def client(self):
        # Connect lazily: nova imports and builds the driver before
        # init_host, and a down engine must fail there with a clear error.
        if self._client is None:
            self._client = make_client()
        return self._client

    @property
    def api(self):
        return self.client.api

    def ping(self):
        return self.client.ping()

    def find(self, instance_uuid):
        """The container of an instance, or None."""
        try:
            return self.client.containers.get(container_name(instance_uuid))
        except NotFound:
            return None

    def own_containers(self):
        """Containers this compute host made, running or not."""
        return self.client.containers.list(
            all=True, sparse=True,
            filters={'label': ['%s=%s' % (LABEL_HOST, CONF.host)]})
