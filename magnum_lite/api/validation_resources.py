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

"""Checking the names a user gives: images, flavors, keypairs, networks.

As Magnum does, a template's image must exist and carry os_distro (which
names its distribution, and so its driver, when neither the template's
cluster_distro nor an os_distro label does), its flavors, external
network (external), fixed network and fixed subnet must exist; a
cluster's keypair and the flavors it gives must exist. Each miss is a 400
in Magnum's words (a keypair: 404, as in Magnum), before any row is
written.

Where the names live depends on the driver:
- a driver whose nodes are the cloud's (ClusterDriver.cloud_resources):
  Glance, Nova and Neutron, asked with the caller's token through the
  caller's catalog; only in Keystone mode, where keystonemiddleware
  vouches for both. A service the catalog does not list is not asked: its
  names are accepted unchecked (and logged), so a Keystone without Glance,
  Nova or Neutron still serves drivers that do not use them;
- any other driver checks them itself (validate_resources), e.g. against
  the all-in-one's Docker engine.
"""

from oslo_config import cfg
from oslo_log import log

from magnum_lite.api import drivers
from magnum_lite.common import clients
from magnum_lite.common import exception

CONF = cfg.CONF
LOG = log.getLogger(__name__)

TEMPLATE_FIELDS = ('image_id', 'flavor_id', 'master_flavor_id',
                   'external_network_id', 'fixed_network', 'fixed_subnet')
CLUSTER_FIELDS = ('keypair', 'flavor_id', 'master_flavor_id',
                  'fixed_network', 'fixed_subnet')


def named_distro(values):
    """The distribution the template names itself: field, else label."""
    return (values.get('cluster_distro') or
            (values.get('labels') or {}).get('os_distro'))


class Checker:
    """The checks of one request; every service question is asked once."""

    def __init__(self, context):
        self._clients = None
        if (CONF.api.auth_strategy == 'keystone' and
                clients.has_catalog(context)):
            self._clients = clients.OpenStackClients(context)
        self._skipped = set()

    # -- which service ---------------------------------------------------

    def _asks(self, service_type, field):
        """Whether `field` is checked against that service."""
        if self._clients is None:
            return False
        if self._clients.has(service_type):
            return True
        if service_type not in self._skipped:
            self._skipped.add(service_type)
            LOG.warning('The service catalog lists no %s service: %s is '
                        'accepted unchecked.', service_type, field)
        return False

    # -- the checks ------------------------------------------------------

    def image(self, ident):
        """The Glance image `ident` names (400/403/409), or None unasked."""
        if not ident or not self._asks(clients.IMAGE, 'image_id'):
            return None
        found = self._clients.images(ident)
        if found == 'forbidden':
            raise exception.ImageNotAuthorized(image_id=ident)
        if not found:
            raise exception.ImageNotFound(image_id=ident)
        if len(found) > 1:
            raise exception.Conflict(
                "Multiple images exist with same name '%s'. Please use the "
                "image ID instead." % ident)
        image = found[0]
        if not image.get('os_distro'):
            raise exception.OSDistroFieldNotFound(image_id=ident)
        return image

    def flavor(self, flavor):
        if flavor is None or not self._asks(clients.COMPUTE, 'flavor_id'):
            return
        if not any(flavor in pair for pair in self._clients.flavors()):
            raise exception.FlavorNotFound(flavor=flavor)

    def keypair(self, keypair):
        if keypair is None or not self._asks(clients.COMPUTE, 'keypair'):
            return
        if not self._clients.keypair_exists(keypair):
            raise exception.KeyPairNotFound(keypair=keypair)

    def _one_named(self, name, pairs, what, missing):
        count = sum(1 for pair in pairs if name in pair)
        if count == 0:
            raise missing
        if count > 1:
            raise exception.Conflict(
                "Multiple %ss exist with same name '%s'. Please use the "
                "%s ID instead." % (what, name, what))

    def external_network(self, network):
        if network is None or not self._asks(clients.NETWORK,
                                             'external_network_id'):
            return
        self._one_named(network, self._clients.networks(external=True),
                        'external network',
                        exception.ExternalNetworkNotFound(network=network))

    def fixed_network(self, network):
        if network is None or not self._asks(clients.NETWORK,
                                             'fixed_network'):
            return
        self._one_named(network, self._clients.networks(), 'network',
                        exception.FixedNetworkNotFound(network=network))

    def fixed_subnet(self, subnet):
        if subnet is None or not self._asks(clients.NETWORK, 'fixed_subnet'):
            return
        self._one_named(subnet, self._clients.subnets(), 'subnet',
                        exception.FixedSubnetNotFound(subnet=subnet))

    # -- templates and clusters ------------------------------------------

    def template_driver(self, values, distro_from_image=False):
        """Resolve cluster_distro into `values`; check it; its driver.

        The distribution is the one the template names, else its image's
        os_distro when the driver it would have without one keeps its
        nodes in the cloud (a driver of any distribution that builds its
        own nodes needs no image service). `distro_from_image`: the
        image changed, so a stored cluster_distro no longer counts when
        the image service can say the new one.
        """
        if distro_from_image and self._clients is not None and \
                self._clients.has(clients.IMAGE):
            values['cluster_distro'] = None
        distro = named_distro(values)
        if distro is None:
            try:
                driver = drivers.driver_for(dict(values, cluster_distro=None))
            except exception.NotSupported:
                driver = None
            if driver is None or driver.cloud_resources:
                image = self.image(values.get('image_id'))
                if image is not None:
                    distro = image['os_distro']
        values['cluster_distro'] = distro
        return drivers.check_template(values)

    def template(self, driver, values, fields=TEMPLATE_FIELDS):
        """Check the template's names of `fields` where they live."""
        fields = [f for f in TEMPLATE_FIELDS if f in fields]
        if not driver.cloud_resources:
            driver.validate_resources({f: values.get(f) for f in fields})
            return
        checks = {
            'image_id': self.image,
            'flavor_id': self.flavor,
            'master_flavor_id': self.flavor,
            'external_network_id': self.external_network,
            'fixed_network': self.fixed_network,
            'fixed_subnet': self.fixed_subnet,
        }
        for field in fields:
            checks[field](values.get(field))

    def cluster(self, driver, cluster, given):
        """Check a new cluster's keypair and the names its body gives."""
        if not driver.cloud_resources:
            return
        if given.get('flavor_id') is not None:
            self.flavor(given['flavor_id'])
        if given.get('master_flavor_id') is not None:
            self.flavor(given['master_flavor_id'])
        if given.get('fixed_network') is not None:
            self.fixed_network(given['fixed_network'])
        if given.get('fixed_subnet') is not None:
            self.fixed_subnet(given['fixed_subnet'])
        self.keypair(cluster.get('keypair'))
