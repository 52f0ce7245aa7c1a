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

"""Options of the [drivers] group."""

from oslo_config import cfg

drivers_group = cfg.OptGroup('drivers', title='Cluster driver options')

drivers_opts = [
    cfg.ListOpt('disabled_drivers', default=[],
                help='Names of entry points in magnum_lite.drivers that '
                     'are not loaded.'),
    cfg.StrOpt('default_driver',
               help='Driver used when a cluster template names none and '
                    'no driver provides its (server_type, os_distro, coe).'),
]


def register_opts(conf):
    conf.register_group(drivers_group)
    conf.register_opts(drivers_opts, group=drivers_group)


def list_opts():
    return {drivers_group: drivers_opts}
