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

"""WSGI application of the Magnum API for the benchmark.

Served by gunicorn from the Magnum virtualenv as ``magnum_wsgi:application``
with $MAGNUM_BENCH_CONFIG naming the configuration file. It loads Magnum's
own paste pipeline (the one run.py writes: the packaged pipeline without
``authtoken``) exactly like ``magnum.wsgi.api`` does, except that the
command line of the WSGI server is not handed to oslo.config.

There is no Glance, Nova or Neutron here, so the lookups Magnum makes on
POST /v1/clustertemplates answer from memory (see _stub_openstack), and a
no-op cluster driver (BenchDriver, registered under the entry point name
``bench`` by run.py) provides (vm, ubuntu, kubernetes): Magnum 23 ships no
in-tree driver.
"""

import os

from magnum.api import app as api_app
from magnum.api import attr_validator
from magnum.common import clients
from magnum.common import service
from magnum.drivers.common import driver


class _Image(dict):
    """An image as openstacksdk returns it: attributes and items."""

    def __init__(self):
        super().__init__(id='fedora-coreos-40', name='fedora-coreos-40',
                         os_distro='ubuntu', properties={})

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)


class _Glance:
    def find_image(self, name_or_id, ignore_missing=True):
        return _Image()


def _stub_openstack():
    def noop(*args, **kwargs):
        return None

    def validate_image(cli, image):
        return _Image()

    clients.OpenStackClients.glance = lambda self: _Glance()
    attr_validator.validate_image = validate_image
    for name in ('validate_flavor', 'validate_keypair',
                 'validate_external_network', 'validate_fixed_network',
                 'validate_fixed_subnet', 'validate_flavor_root_volume_size'):
        setattr(attr_validator, name, noop)
    for attr in list(attr_validator.validators):
        if attr == 'image_id':
            attr_validator.validators[attr] = validate_image
        elif attr != 'labels':
            attr_validator.validators[attr] = noop


class BenchDriver(driver.Driver):
    """A cluster driver for (vm, ubuntu, kubernetes) that does nothing.

    The benchmarked requests never reach a driver's methods.
    """

    @property
    def provides(self):
        return [{'server_type': 'vm', 'os': 'ubuntu', 'coe': 'kubernetes'}]


BenchDriver.__abstractmethods__ = frozenset()


def _load():
    service.prepare_service(['magnum-api', '--config-file',
                             os.environ['MAGNUM_BENCH_CONFIG']])
    _stub_openstack()
    return api_app.load_app()


application = _load()
