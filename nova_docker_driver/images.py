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

"""Glance images as Docker images, and snapshots back to Glance.

A Glance image with ``container_format=docker`` holds a ``docker save``
tarball. It is loaded once per host and tagged ``nova-glance/<image id>``,
so the Glance name of the image does not matter, two Glance images that
share a name never collide, and later boots find it without a download.
"""

import os

from nova.compute import task_states
from nova import exception
from nova.image import glance
from oslo_concurrency import lockutils
from oslo_log import log as logging
from oslo_utils import fileutils
from oslo_utils import timeutils

from nova_docker_driver import client
from nova_docker_driver import conf as docker_conf

LOG = logging.getLogger(__name__)
CONF = docker_conf.CONF

REPOSITORY = 'nova-glance'
CONTAINER_FORMAT = 'docker'
_CHUNK = 1024 * 1024


def tag_for(image_id):
    return '%s/%s:latest' % (REPOSITORY, image_id)


def _tarball(image_id, suffix='.tar'):
    fileutils.ensure_tree(CONF.docker.image_cache_dir)
    return os.path.join(CONF.docker.image_cache_dir, image_id + suffix)


def _wrong_format(image_id, fmt):
    return ('image %s has container_format %s; the Docker driver boots '
            'only container_format=docker images (a "docker save" '
            'tarball)' % (image_id, fmt))


class ImageStore(object):
    """Fetches, caches and uploads images for one Docker engine."""

    def __init__(self, engine, image_api=None):
        self._engine = engine
        self._image_api = image_api or glance.API()

    def has(self, image_id):
        try:
            self._engine.client.images.get(tag_for(image_id))
            return True
        except client.NotFound:
            return False

    def ensure(self, context, instance, image_meta):
        """The local tag of the instance's image, loading it if needed."""
        image_id = instance.image_ref
        fmt = image_meta.container_format if image_meta.obj_attr_is_set(
            'container_format') else None
        if fmt != CONTAINER_FORMAT:
            raise exception.InstanceDeployFailure(
                reason=_wrong_format(image_id, fmt),
                instance_id=instance.uuid)
        self._load_once(context, image_id)
        return tag_for(image_id)

    def cache(self, context, image_id):
        """Load an image before any boot; True if it was not loaded yet."""
        fmt = self._image_api.get(context, image_id).get('container_format')
        if fmt != CONTAINER_FORMAT:
            raise exception.ImageUnacceptable(
                image_id=image_id, reason=_wrong_format(image_id, fmt))
        return self._load_once(context, image_id)

    def _load_once(self, context, image_id):
        with lockutils.lock('nova-docker-image-%s' % image_id):
            if self.has(image_id):
                return False
            self._load(context, image_id)
            return True

    def _load(self, context, image_id):
        path = _tarball(image_id)
        # A tarball an operator placed in the cache in advance is used as
        # it is and kept; one we download is removed after loading unless
        # asked to keep it.
        downloaded = not os.path.exists(path)
        if downloaded:
            partial = _tarball(image_id, '.tar.part')
            LOG.info('Downloading image %s from Glance', image_id)
            self._image_api.download(context, image_id, dest_path=partial)
            os.rename(partial, path)
        try:
            with open(path, 'rb') as data:
                loaded = self._engine.client.images.load(data)
        except Exception as exc:
            raise exception.ImageUnacceptable(
                image_id=image_id,
                reason='not a "docker save" tarball: %s' % exc)
        finally:
            if downloaded and not CONF.docker.keep_image_tarballs:
                fileutils.delete_if_exists(path)
        if not loaded:
            raise exception.ImageUnacceptable(
                image_id=image_id, reason='the tarball holds no image')
        if len(loaded) > 1:
            LOG.warning('Image %(id)s holds %(n)d Docker images; using the '
                        'first', {'id': image_id, 'n': len(loaded)})
        image = loaded[0]
        image.tag(REPOSITORY + '/' + image_id, 'latest')
        # Drop the names the tarball brought along: the Glance id is the
        # only name the driver uses, and a name left behind would be
        # moved by the next tarball that carries it.
        for name in image.tags:
            if name != tag_for(image_id):
                self._engine.client.images.remove(name)
        LOG.info('Loaded image %(id)s as %(tag)s',
                 {'id': image_id, 'tag': tag_for(image_id)})

    def snapshot(self, context, container, image_id, update_task_state):
        """Commit a container and upload it to Glance as image_id."""
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        snapshot = self._image_api.get(context, image_id)
        # The commit is tagged with the snapshot's own id, so booting the
        # snapshot on this host needs no download.
        image = container.commit(repository=REPOSITORY + '/' + image_id,
                                 tag='latest')
        path = _tarball(image_id, '.snapshot.tar')
        try:
            with open(path, 'wb') as out:
                # Saved by id, without our local name: whoever loads the
                # snapshot names it (this driver by the snapshot's id).
                for chunk in image.save(chunk_size=_CHUNK, named=False):
                    out.write(chunk)
            update_task_state(task_state=task_states.IMAGE_UPLOADING,
                              expected_state=task_states.IMAGE_PENDING_UPLOAD)
            metadata = {'name': snapshot['name'],
                        'container_format': CONTAINER_FORMAT,
                        'disk_format': 'raw'}
            with open(path, 'rb') as data:
                self._image_api.update(context, image_id, metadata, data,
                                       purge_props=False)
        finally:
            fileutils.delete_if_exists(path)
        LOG.info('Uploaded snapshot %s to Glance', image_id)

    def prune(self, keep_ids, min_age_seconds):
        """Remove loaded images no instance needs; returns their ids.

        :param keep_ids: Glance ids of the images of the instances on this
            host, soft-deleted ones included (they may be restored)
        :param min_age_seconds: keep images loaded more recently
        """
        removed = []
        now = timeutils.utcnow(with_timezone=True)
        for image in self._engine.client.images.list(
                filters={'reference': REPOSITORY + '/*'}):
            loaded = (image.attrs.get('Metadata') or {}).get('LastTagTime')
            for tag in image.tags:
                image_id = tag[len(REPOSITORY) + 1:].split(':')[0]
                if (not tag.startswith(REPOSITORY + '/') or
                        image_id in keep_ids or
                        _age(now, loaded) < min_age_seconds):
                    continue
                try:
                    self._engine.client.images.remove(tag)
                except client.APIError as exc:
                    # A container still uses it (the engine refuses with
                    # a conflict); it goes in a later pass.
                    LOG.debug('Keeping image %(id)s: %(err)s',
                              {'id': image_id, 'err': exc})
                    continue
                LOG.info('Removed unused image %s', image_id)
                removed.append(image_id)
        return removed


def _age(now, timestamp):
    """Seconds since an engine timestamp; 0 when it cannot be read."""
    try:
        return (now - timeutils.parse_isotime(timestamp)).total_seconds()
    except (TypeError, ValueError):
        return 0
