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

"""Instance metadata and user data, as files the container can read.

Containers have no config drive and often no route to the metadata
service, so the driver writes the same documents a config drive carries
(``openstack/latest/meta_data.json``, ``user_data``, ``network_data.json``)
into the instance directory and bind-mounts it read-only.
"""

import base64
import os
import shutil

from nova.virt import netutils
from oslo_serialization import jsonutils
from oslo_utils import fileutils

from nova_docker_driver import conf as docker_conf

CONF = docker_conf.CONF


def instance_dir(instance):
    return os.path.join(CONF.instances_path, instance.uuid)


def _suspended_marker(instance_uuid):
    # Docker has no suspended state: a suspended instance is a frozen
    # container plus this file, so get_info can tell it from a paused one.
    return os.path.join(CONF.instances_path, instance_uuid, 'suspended')


def mark_suspended(instance_uuid):
    path = _suspended_marker(instance_uuid)
    fileutils.ensure_tree(os.path.dirname(path))
    open(path, 'w').close()


def is_suspended(instance_uuid):
    return os.path.exists(_suspended_marker(instance_uuid))


def clear_suspended(instance_uuid):
    fileutils.delete_if_exists(_suspended_marker(instance_uuid))


def _meta_data(instance, injected_files):
    public_keys = {}
    if instance.get('key_data', None):
        public_keys[instance.get('key_name', None) or 'default'] = \
            instance.key_data
    files = []
    for index, (path, _contents) in enumerate(injected_files or []):
        files.append({'path': path,
                      'content_path': '/content/%04d' % index})
    return {
        'uuid': instance.uuid,
        'name': instance.get('display_name', None),
        'hostname': instance.get('hostname', None),
        'availability_zone': instance.get('availability_zone', None),
        'launch_index': instance.get('launch_index', None),
        'project_id': instance.get('project_id', None),
        'meta': dict(instance.get('metadata', None) or {}),
        'public_keys': public_keys,
        'files': files,
    }


def write(instance, network_info, injected_files):
    """Write the metadata tree; returns the host directory to mount."""
    root = os.path.join(instance_dir(instance), 'metadata')
    latest = os.path.join(root, 'openstack', 'latest')
    content = os.path.join(root, 'openstack', 'content')
    fileutils.ensure_tree(latest)
    fileutils.ensure_tree(content)
    documents = {
        'meta_data.json': jsonutils.dumps(
            _meta_data(instance, injected_files)).encode(),
        'network_data.json': jsonutils.dumps(
            netutils.get_network_metadata(network_info) or {}).encode(),
    }
    if instance.get('user_data', None):
        documents['user_data'] = base64.b64decode(instance.user_data)
    for name, data in documents.items():
        with open(os.path.join(latest, name), 'wb') as f:
            f.write(data)
    for index, (_path, contents) in enumerate(injected_files or []):
        if isinstance(contents, str):
            contents = contents.encode()
        with open(os.path.join(content, '%04d' % index), 'wb') as f:
            f.write(contents)
    return root


def remove(instance):
    shutil.rmtree(instance_dir(instance), ignore_errors=True)
