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

"""The cloud's services, asked for a user: Nova, Glance and Neutron.

A request authenticated by keystonemiddleware carries the user's token
and service catalog (RequestContext.auth_token, service_catalog). The
clients made here reach the services that catalog lists, through
keystoneauth1 sessions that send that token: the user sees what the user
may see, as in Magnum. Each service has its own options group
([nova_client], [glance_client], [neutron_client]).

Nova is asked through python-novaclient. Glance and Neutron are asked
with plain session GETs: the API reads three lists and one image, which
needs no client library.

Every answer is kept for the life of the object, so one request asks
each question once. A service the catalog does not list is reported by
has() rather than by an error: the caller decides what it means.
"""

import re

from keystoneauth1.access import service_catalog as ks_catalog
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import plugin as ks_plugin
from keystoneauth1 import session as ks_session
from oslo_log import log
from oslo_utils import uuidutils

from magnum_lite.common import exception
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = log.getLogger(__name__)

COMPUTE = 'compute'
IMAGE = 'image'
NETWORK = 'network'

# Service type -> (options group, name in messages).
SERVICES = {
    COMPUTE: ('nova_client', 'Nova'),
    IMAGE: ('glance_client', 'Glance'),
    NETWORK: ('neutron_client', 'Neutron'),
}

# A catalog URL may end with the API version; the paths below add it.
_VERSION_SUFFIX = re.compile(r'/v\d+(\.\d+)?/?$')


class ContextAuth(ks_plugin.BaseAuthPlugin):
    """The user's token, and endpoints from the user's catalog."""

    def __init__(self, token, catalog):
        super().__init__()
        self._token = token
        self._catalog = ks_catalog.ServiceCatalogV2(catalog or [])

    def get_token(self, session, **kwargs):
        return self._token

    def get_endpoint(self, session, service_type=None, interface=None,
                     region_name=None, endpoint_override=None, **kwargs):
        if endpoint_override:
            return endpoint_override
        return self._catalog.url_for(
            service_type=service_type, interface=interface or 'public',
            region_name=region_name)


def has_catalog(context):
    """Whether the request came with a catalog to ask (Keystone mode)."""
    return bool(context is not None and context.auth_token and
                getattr(context, 'service_catalog', None))


class OpenStackClients:
    """The services of one request's catalog, each question asked once."""

    def __init__(self, context):
        self._auth = ContextAuth(context.auth_token,
                                 context.service_catalog)
        self._sessions = {}
        self._answers = {}
        self._nova = None

    # -- plumbing ----------------------------------------------------------

    @staticmethod
    def _options(service_type):
        return CONF[SERVICES[service_type][0]]

    def _session(self, service_type):
        if service_type not in self._sessions:
            options = self._options(service_type)
            verify = (False if options.insecure
                      else options.ca_file or True)
            self._sessions[service_type] = ks_session.Session(
                auth=self._auth, verify=verify, timeout=options.timeout)
        return self._sessions[service_type]

    def _endpoint(self, service_type):
        options = self._options(service_type)
        return self._session(service_type).get_endpoint(
            service_type=service_type, interface=options.endpoint_type,
            region_name=options.region_name)

    def has(self, service_type):
        """Whether the catalog lists an endpoint of this service."""
        key = ('has', service_type)
        if key not in self._answers:
            try:
                self._answers[key] = bool(self._endpoint(service_type))
            except ks_exceptions.EndpointNotFound:
                self._answers[key] = False
        return self._answers[key]

    def _unavailable(self, service_type, what, reason):
        return exception.CloudServiceUnavailable(
            service=SERVICES[service_type][1], what=what, reason=reason)

    def _get(self, service_type, path, what, params=None):
        """(status, JSON document or None) of a GET on the service."""
        base = _VERSION_SUFFIX.sub('', self._endpoint(service_type))
        try:
            response = self._session(service_type).get(
                base.rstrip('/') + path, params=params, raise_exc=False,
                headers={'Accept': 'application/json'})
        except ks_exceptions.ClientException as exc:
            raise self._unavailable(service_type, what, exc)
        if response.status_code in (403, 404):
            return response.status_code, None
        if response.status_code >= 300:
            raise self._unavailable(
                service_type, what, 'HTTP %d' % response.status_code)
        try:
            return response.status_code, response.json()
        except ValueError:
            raise self._unavailable(service_type, what,
                                    'the answer is not JSON')

    def _cached(self, key, compute):
        if key not in self._answers:
            self._answers[key] = compute()
        return self._answers[key]

    # -- Nova --------------------------------------------------------------

    def nova(self):
        """A python-novaclient Client for the caller."""
        if self._nova is None:
            from novaclient import client as nova_client
            options = self._options(COMPUTE)
            self._nova = nova_client.Client(
                options.api_version, session=self._session(COMPUTE),
                endpoint_type=options.endpoint_type,
                region_name=options.region_name, service_type=COMPUTE)
        return self._nova

    def _nova_call(self, what, call):
        from novaclient import exceptions as nova_exceptions
        try:
            return call()
        except nova_exceptions.NotFound:
            return None
        except (nova_exceptions.ClientException,
                ks_exceptions.ClientException) as exc:
            raise self._unavailable(COMPUTE, what, exc)

    def flavors(self):
        """[(id, name)] of the flavors the caller may use."""
        def compute():
            found = self._nova_call('flavors', self.nova().flavors.list)
            return [(f.id, f.name) for f in found or ()]
        return self._cached('flavors', compute)

    def keypair_exists(self, name):
        def compute():
            return self._nova_call(
                'keypair %s' % name,
                lambda: self.nova().keypairs.get(name)) is not None
        return self._cached(('keypair', name), compute)

    # -- Glance ------------------------------------------------------------

    def images(self, ident):
        """The images ident names: by ID, else by name; 'forbidden'."""
        def compute():
            what = 'image %s' % ident
            if uuidutils.is_uuid_like(ident):
                status, image = self._get(IMAGE, '/v2/images/%s' % ident,
                                          what)
                if status == 403:
                    return 'forbidden'
                if image is not None:
                    return [image]
            status, found = self._get(IMAGE, '/v2/images', what,
                                      params={'name': ident})
            if status == 403:
                return 'forbidden'
            return (found or {}).get('images') or []
        return self._cached(('image', ident), compute)

    # -- Neutron -----------------------------------------------------------

    def networks(self, external=False):
        """[(id, name)] of the networks the caller sees (or external)."""
        def compute():
            params = {'router:external': 'True'} if external else None
            _status, found = self._get(
                NETWORK, '/v2.0/networks',
                'external networks' if external else 'networks', params)
            return [(n.get('id'), n.get('name'))
                    for n in (found or {}).get('networks') or ()]
        return self._cached(('networks', external), compute)

    def subnets(self):
        """[(id, name)] of the subnets the caller sees."""
        def compute():
            _status, found = self._get(NETWORK, '/v2.0/subnets', 'subnets')
            return [(s.get('id'), s.get('name'))
                    for s in (found or {}).get('subnets') or ()]
        return self._cached('subnets', compute)
