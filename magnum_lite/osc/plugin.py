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

"""The OpenStackClient plugin of magnum-lite's container commands.

python-magnumclient no longer has container commands; this plugin adds
`openstack coe container ...` beside its `coe cluster ...` ones. The
client is made from the OSC client manager's keystoneauth1 session, so
every way of authenticating OSC knows works, including
`--os-auth-type none --os-endpoint <API URL>/v1`.
"""

import logging

from osc_lib import utils

LOG = logging.getLogger(__name__)

API_NAME = 'container_infra_containers'
API_VERSION_OPTION = 'os_container_infra_containers_api_version'
DEFAULT_API_VERSION = '1'
API_VERSIONS = {'1': 'magnum_lite.client.containers.ContainersClient'}


def make_client(instance):
    """The ContainersClient of an OSC client manager."""
    client_class = utils.get_client_class(
        API_NAME, instance._api_version[API_NAME].split('.')[0],
        API_VERSIONS)
    LOG.debug('Instantiating the containers client: %s', client_class)
    return client_class(session=instance.session,
                        interface=instance.interface,
                        region_name=instance.region_name)


def build_option_parser(parser):
    parser.add_argument(
        '--os-container-infra-containers-api-version',
        metavar='<version>',
        default=utils.env('OS_CONTAINER_INFRA_CONTAINERS_API_VERSION',
                          default=DEFAULT_API_VERSION),
        help='Major version of the containers API, default=%s (Env: '
             'OS_CONTAINER_INFRA_CONTAINERS_API_VERSION); requests use '
             'microversion 1.15.' % DEFAULT_API_VERSION)
    return parser
