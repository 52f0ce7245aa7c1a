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

"""Instances that run their own Docker engine (the nested engine flavor).

A flavor with the extra spec ``docker:nested_engine=true`` asks for a
container in which dockerd can run: the container gets the grants below,
which an ordinary instance never has, and a volume of its own for
``/var/lib/docker``. ``--privileged`` would be simpler but asks for every
capability of the host, which fails where the host's bounding set lacks one
(CAP_SYS_RESOURCE in some VMs) and gives more than dockerd needs.

Each grant is needed (README.rst, "Nested Docker engines", says why):
they are what is left of the usual docker-in-docker set (all
capabilities, no seccomp, AppArmor or masked paths, every device) after
removing one grant at a time while the nested engine still started and
ran containers, also on a Swarm overlay network.
"""

from nova import exception
from oslo_log import log as logging
from oslo_utils import strutils

from magnum_lite.common import docker_client
from nova_docker_driver import client
from nova_docker_driver import conf as docker_conf

LOG = logging.getLogger(__name__)
CONF = docker_conf.CONF

EXTRA_SPEC = 'docker:nested_engine'
ENGINE_DIR = '/var/lib/docker'
LABEL_VOLUME = docker_client.label('nova', 'nested-engine-volume')

# What dockerd inside the instance needs beyond Docker's default set.
CAP_ADD = ('SYS_ADMIN', 'NET_ADMIN')
SECURITY_OPT = ('seccomp=unconfined', 'apparmor=unconfined')
# Namespaced: forwarding in the instance's own network namespace only, so
# that the nested containers reach out through the instance's ports.
SYSCTLS = {'net.ipv4.ip_forward': '1'}


def requested(flavor):
    """Whether the flavor asks for a nested engine.

    :raises: InvalidInput when the extra spec is not a boolean.
    """
    value = (flavor.get('extra_specs', None) or {}).get(EXTRA_SPEC)
    if value is None:
        return False
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidInput(
            reason='flavor extra spec %s=%s is not a boolean' % (
                EXTRA_SPEC, value))


def check_allowed(instance):
    """Whether the instance gets a nested engine; refuses forbidden ones.

    InvalidInput aborts the build with this reason as the server's fault,
    without trying other hosts.
    """
    if not requested(instance.flavor):
        return False
    if not CONF.docker.allow_nested_engine:
        raise exception.InvalidInput(
            reason='the flavor asks for a nested Docker engine (%s) and '
                   'this compute host forbids it ([docker] '
                   'allow_nested_engine = False)' % EXTRA_SPEC)
    return True


def volume_name(instance_uuid):
    return '%s-docker' % client.container_name(instance_uuid)


def create_kwargs(instance):
    """Container settings added for a nested engine instance."""
    return {
        'cap_add': list(CAP_ADD),
        'security_opt': list(SECURITY_OPT),
        'sysctls': dict(SYSCTLS),
        'volumes': {volume_name(instance.uuid): {'bind': ENGINE_DIR,
                                                 'mode': 'rw'}},
    }


def create_volume(engine, instance):
    """The instance's engine volume (kept across reboots, not snapshots)."""
    return engine.client.volumes.create(
        name=volume_name(instance.uuid),
        labels={client.LABEL_UUID: instance.uuid, LABEL_VOLUME: 'true',
                client.LABEL_HOST: CONF.host})


def remove_volume(engine, instance_uuid):
    try:
        engine.client.volumes.get(volume_name(instance_uuid)).remove(
            force=True)
    except client.NotFound:
        pass
    except client.APIError:
        LOG.warning('Could not remove the Docker volume %s',
                    volume_name(instance_uuid), exc_info=True)
