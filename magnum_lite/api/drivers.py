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

"""Asking the cluster drivers whether they can serve a template.

A template must map to a driver through (server_type, cluster_distro, coe)
or its explicit `driver` (400 ClusterTypeNotSupported or
ClusterDriverNotSupported otherwise), and its labels must pass the
driver's schema (400 InvalidLabels).
"""

from magnum_lite.common import exception


def _loader():
    from magnum_lite.drivers import loader
    return loader


def driver_for(template):
    """The driver object serving a template (a dict or a row)."""
    get = (template.get if isinstance(template, dict)
           else lambda k: getattr(template, k, None))
    return _loader().get_driver(get('server_type'), get('cluster_distro'),
                                get('coe'), driver_name=get('driver') or None)


def driver_name_for(template):
    get = (template.get if isinstance(template, dict)
           else lambda k: getattr(template, k, None))
    return _loader().get_driver_name(
        get('server_type'), get('cluster_distro'), get('coe'),
        driver_name=get('driver') or None)


def check_template(values):
    driver = driver_for(values)
    check_labels(driver, values.get('labels'))
    return driver


def check_labels(driver, labels):
    validate = getattr(driver, 'validate_labels', None)
    if validate is not None:
        validate(labels or {})


def check_supports_federation(driver):
    if not getattr(driver, 'supports_federation', False):
        raise exception.NotSupported(operation='Federation by this driver')
