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

"""Images for a swarm_docker cluster, copied from the host engine.

No registry is reachable from the nodes: an image a container needs is
saved from the host engine and loaded into each node that lacks it, as
``docker save IMAGE | docker exec -i NODE docker load`` would, through
the host engine's exec API.
"""

import socket
import struct

from docker import errors as docker_errors
from oslo_log import log as logging

from magnum_lite.common import docker_client
from magnum_lite.common import exception
from magnum_lite.drivers.swarm_docker import engine

LOG = logging.getLogger(__name__)

_HEADER = struct.Struct('>BxxxL')


class ImageCopyFailed(exception.MagnumLiteException):
    message = 'Copying image %(image)s into node %(node)s failed: %(reason)s'


def _node_exec(client, container_id, command, stdin_chunks=None):
    """Run `command` in a node; returns (exit code, output text)."""
    exec_id = client.exec_create(container_id, command,
                                 stdin=stdin_chunks is not None,
                                 stdout=True, stderr=True)['Id']
    response = client.exec_start(exec_id, socket=True)
    raw = getattr(response, '_sock', response)
    try:
        if stdin_chunks is not None:
            for chunk in stdin_chunks:
                raw.sendall(chunk)
            # End of the archive: `docker load` reads until EOF.
            raw.shutdown(socket.SHUT_WR)
        output = _read_frames(raw)
    finally:
        raw.close()
    return client.exec_inspect(exec_id)['ExitCode'], output


def _read_frames(raw):
    """The stdout and stderr frames of a non-tty exec, as text."""
    data = b''
    while True:
        chunk = raw.recv(65536)
        if not chunk:
            break
        data += chunk
    output = []
    while len(data) >= _HEADER.size:
        _stream, size = _HEADER.unpack_from(data)
        output.append(data[_HEADER.size:_HEADER.size + size])
        data = data[_HEADER.size + size:]
    return b''.join(output).decode('utf-8', 'replace')


def node_has_image(client, container_id, image):
    code, _ = _node_exec(client, container_id,
                         ['docker', 'image', 'inspect', '-f', '{{.Id}}',
                          image])
    return code == 0


def copy_image(client, cluster_uuid, image, nodes=None):
    """Load `image` from the host engine into every node that lacks it.

    `client` is a low-level client of the host engine; `nodes` limits the
    copy to those node hostnames. Returns the hostnames that got it.
    """
    try:
        client.inspect_image(image)
    except docker_errors.ImageNotFound:
        raise exception.InvalidParameterValue(
            err='image %s is not on the host Docker engine' % image)
    copied = []
    for container in engine.node_containers(client, cluster_uuid):
        hostname = docker_client.read_label(container.get('Labels'),
                                            engine.NODE_LABEL)
        if container.get('State') != 'running' or (
                nodes is not None and hostname not in nodes):
            continue
        if node_has_image(client, container['Id'], image):
            continue
        code, output = _node_exec(client, container['Id'],
                                  ['docker', 'load', '-q'],
                                  stdin_chunks=client.get_image(image))
        if code != 0:
            raise ImageCopyFailed(image=image, node=hostname,
                                  reason=output.strip() or 'exit %s' % code)
        LOG.info('Cluster %s: image %s copied into node %s', cluster_uuid,
                 image, hostname)
        copied.append(hostname)
    return copied
