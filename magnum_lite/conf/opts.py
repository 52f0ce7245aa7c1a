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

"""Option listing for oslo-config-generator."""

import collections
import importlib

from oslo_db import options as db_options


# One module per option group, named after it; [database] is oslo.db's,
# listed under its own namespace.
_MODULES = ('default', 'aio', 'api', 'certificates', 'cluster', 'conductor',
            'docker', 'drivers', 'glance_client', 'heat_client',
            'keystone_auth', 'neutron_client', 'nova_client', 'quotas',
            'trust', 'x509')


def list_opts():
    grouped = collections.defaultdict(list)
    for name in _MODULES:
        module = importlib.import_module('magnum_lite.conf.' + name)
        for group, opts in module.list_opts().items():
            grouped[group].extend(opts)
    return [(group, opts) for group, opts in grouped.items()]


def set_defaults(conf=None):
    """Defaults of library options that differ from the libraries' own.

    The [database] connection default (SQLite in the state directory) is
    set once the configuration files are read, since state_path may be
    among them (magnum_lite.cmd.finish_defaults).
    """
    from magnum_lite import conf as ml_conf
    conf = conf or ml_conf.CONF
    db_options.set_defaults(conf)
