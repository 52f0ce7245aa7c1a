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

"""DockerInc::Docker::Volume: a named Docker volume.

The resource id is the volume name; containers mount it through their
``volumes`` property ({get_resource: vol}: /path).
"""

from heat.common import exception
from heat.engine import attributes
from heat.engine import properties

from heat_plugins.resources import docker_resource as base

S = properties.Schema

PROPERTIES = (NAME, DRIVER, DRIVER_OPTS, LABELS) = (
    'name', 'driver', 'driver_opts', 'labels')


class DockerVolume(base.DockerResource):
    """A Docker volume; Docker cannot change one, so changes replace it."""

    kind = 'volume'

    PROPERTIES = base.CONNECTION_PROPERTIES + PROPERTIES

    ATTRIBUTES = (INFO, NAME_ATTR, MOUNTPOINT) = ('info', 'name', 'mountpoint')

    properties_schema = dict(base.connection_schema, **{
        NAME: S(S.STRING, 'Volume name (by default one made from the stack '
                'and resource names).'),
        DRIVER: S(S.STRING, 'Volume driver.', default='local'),
        DRIVER_OPTS: S(S.MAP, 'Driver options.'),
        LABELS: S(S.MAP, 'Labels of the volume.'),
    })

    attributes_schema = {
        INFO: attributes.Schema('Inspect data of the volume.',
                                type=attributes.Schema.MAP,
                                cache_mode=attributes.Schema.CACHE_NONE),
        NAME_ATTR: attributes.Schema('Volume name.',
                                     type=attributes.Schema.STRING),
        MOUNTPOINT: attributes.Schema('Where the engine keeps the data.',
                                      type=attributes.Schema.STRING),
    }

    def inspect(self, client):
        return client.inspect_volume(self.resource_id)

    def remove(self, client):
        client.remove_volume(self.resource_id)

    def handle_create(self):
        p = self.properties
        name = self.docker_name(p[NAME])
        client = self.docker()
        # Creating an existing volume succeeds in Docker and returns it; the
        # stack would then own (and delete) someone else's data.
        existing = self.call('inspect volume %s' % name,
                             client.inspect_volume, name, missing_ok=True)
        if existing is not None:
            raise exception.Error(
                'volume name %s is already in use on the Docker engine: '
                'choose another name' % name)
        created = self.call('create volume %s' % name, client.create_volume,
                            name, driver=p[DRIVER], driver_opts=p[DRIVER_OPTS],
                            labels=self.stack_labels(p[LABELS]))
        self.resource_id_set(created['Name'])
        return created['Name']

    def attribute_from(self, name, info):
        if name == self.INFO:
            return info
        if name == self.NAME_ATTR:
            return info['Name']
        if name == self.MOUNTPOINT:
            return info.get('Mountpoint')
        return None


def resource_mapping():
    return {'DockerInc::Docker::Volume': DockerVolume}
