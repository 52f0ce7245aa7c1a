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

"""Finding the driver of a cluster type.

Drivers are entry points in the group `magnum_lite.drivers`, loaded once
per process with stevedore, without those named in [drivers]
disabled_drivers. Each is made with the ClusterServices
(magnum_lite.drivers.base) that the conductor passes to load_drivers;
made elsewhere (the API checks templates with them), a driver has none.
"""

import threading

from oslo_log import log as logging
from stevedore import extension

from magnum_lite.common import exception
from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)

NAMESPACE = 'magnum_lite.drivers'
ANY_OS = 'any'

_lock = threading.Lock()
_drivers = None
# The ClusterServices the drivers of _drivers were made with.
_services = None


class _Registry:
    def __init__(self, by_name):
        self.by_name = by_name
        self.by_type = {}
        for name in sorted(by_name):
            for server_type, os_distro, coe in by_name[name].provides:
                key = (server_type, os_distro, coe)
                if key in self.by_type:
                    LOG.warning('Drivers %s and %s both provide %s; using %s',
                                self.by_type[key][0], name, key,
                                self.by_type[key][0])
                    continue
                self.by_type[key] = (name, by_name[name])


def _load(services):
    disabled = set(CONF.drivers.disabled_drivers)
    failures = []

    def on_failure(_manager, entry_point, exc):
        failures.append('%s (%s)' % (entry_point.name, exc))

    manager = extension.ExtensionManager(
        NAMESPACE, invoke_on_load=True, invoke_kwds={'services': services},
        on_load_failure_callback=on_failure)
    # stevedore imports every entry point before this filter; a disabled
    # driver that fails to import is reported but does not stop start-up.
    failures = [f for f in failures if f.split(' ')[0] not in disabled]
    if failures:
        raise exception.ClusterDriverLoadFailed(reason='; '.join(failures))
    by_name = {ext.name: ext.obj for ext in manager
               if ext.name not in disabled}
    LOG.info('Cluster drivers loaded: %s', ', '.join(sorted(by_name)) or
             'none')
    registry = _Registry(by_name)
    default = CONF.drivers.default_driver
    if default and default not in by_name:
        raise exception.ClusterDriverLoadFailed(
            reason='[drivers] default_driver %s is not an enabled entry '
                   'point of %s (enabled: %s)' % (
                       default, NAMESPACE, ', '.join(sorted(by_name))))
    return registry


def _registry(services=None):
    """The drivers, made with `services` when given.

    Drivers made with other services (or none, e.g. by an API in the same
    process) are made again with these.
    """
    global _drivers, _services
    with _lock:
        if services is not None and services is not _services:
            _drivers, _services = None, services
        if _drivers is None:
            _drivers = _load(_services)
        return _drivers


def load_drivers(services=None):
    """Load every driver now (start-up) so a broken one fails early.

    `services` (a base.ClusterServices) is what the conductor lends every
    driver: the template and CAs of its clusters.
    """
    return dict(_registry(services).by_name)


def reset():
    """Forget the loaded drivers (tests, configuration reload)."""
    global _drivers, _services
    with _lock:
        _drivers = _services = None
        # stevedore keeps each namespace's entry points for the life of the
        # process; drop ours so newly installed drivers are seen.
        extension.ExtensionManager.ENTRY_POINT_CACHE.pop(NAMESPACE, None)


def get_driver(server_type, os_distro, coe, driver_name=None):
    """The driver for a cluster type, or for an explicit driver name."""
    registry = _registry()
    if driver_name:
        try:
            return registry.by_name[driver_name]
        except KeyError:
            raise exception.ClusterDriverNotSupported(driver_name=driver_name)
    for key in ((server_type, os_distro, coe), (server_type, ANY_OS, coe)):
        if key in registry.by_type:
            return registry.by_type[key][1]
    default = CONF.drivers.default_driver
    if default:
        return registry.by_name[default]
    raise exception.ClusterTypeNotSupported(server_type=server_type,
                                            os=os_distro, coe=coe)


def get_driver_name(server_type, os_distro, coe, driver_name=None):
    """The entry-point name get_driver would pick (stored on a cluster)."""
    driver = get_driver(server_type, os_distro, coe, driver_name)
    for name, candidate in _registry().by_name.items():
        if candidate is driver:
            return name
    return None


def get_driver_for_cluster(context, cluster, cluster_template=None):
    """The driver serving a cluster.

    A cluster created with an explicit driver keeps it (cluster.driver);
    otherwise its template's type decides, and `cluster_template` is
    required.
    """
    if getattr(cluster, 'driver', None):
        return get_driver(None, None, None, driver_name=cluster.driver)
    if cluster_template is None:
        # Drivers do not read the database: the caller has the template.
        raise ValueError('cluster %s records no driver: its template is '
                         'needed to find one' % cluster.uuid)
    return get_driver(cluster_template.server_type,
                      cluster_template.cluster_distro,
                      cluster_template.coe,
                      driver_name=cluster_template.driver)
