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

"""magnum-lite configuration: one module per option group."""

from oslo_config import cfg

from magnum_lite.conf import aio
from magnum_lite.conf import api
from magnum_lite.conf import certificates
from magnum_lite.conf import cluster
from magnum_lite.conf import conductor
from magnum_lite.conf import database
from magnum_lite.conf import default
from magnum_lite.conf import docker
from magnum_lite.conf import drivers
from magnum_lite.conf import glance_client
from magnum_lite.conf import heat_client
from magnum_lite.conf import keystone_auth
from magnum_lite.conf import neutron_client
from magnum_lite.conf import nova_client
from magnum_lite.conf import quotas
from magnum_lite.conf import trust
from magnum_lite.conf import x509

CONF = cfg.CONF

for _module in (default, aio, api, certificates, cluster, conductor, database,
                docker, drivers, glance_client, heat_client, keystone_auth,
                neutron_client, nova_client, quotas, trust, x509):
    _module.register_opts(CONF)
