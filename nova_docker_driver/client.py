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

import docker
from docker import errors as docker_errors
from oslo_log import log as logging

from nova_docker_driver import conf as docker_conf

LOG = logging.getLogger(__name__)
CONF = docker_conf.CONF

LABEL_UUID = 'org.openstack.nova.instance-uuid'
LABEL_NAME = 'org.openstack.nova.instance-name'
LABEL_HOST = 'org.openstack.nova.host'

NotFound = docker_errors.NotFound
APIError = docker_errors.APIError
DockerException = docker_errors.DockerException


def container_name(instance_uuid):
    return 'nova-%s' % instance_uuid


def make_client():
    """A Docker SDK client configured from the [docker] group."""
    tls = False
    if CONF.docker.tls_verify or CONF.docker.cert_file:
        client_cert = None
        if CONF.docker.cert_file:
            client_cert = (CONF.docker.cert_file, CONF.docker.key_file)
        verify = False
        if CONF.docker.tls_verify:
            # Without a CA file the system's trusted CAs verify the engine.
            verify = CONF.docker.ca_file or True
        tls = docker.tls.TLSConfig(client_cert=client_cert,
                                   ca_cert=CONF.docker.ca_file,
                                   verify=verify)
    return docker.DockerClient(base_url=CONF.docker.api_url,
                               version=CONF.docker.api_version,
                               timeout=CONF.docker.api_timeout,
                               tls=tls)


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
