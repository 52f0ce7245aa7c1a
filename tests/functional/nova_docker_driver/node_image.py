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

"""The node image of tools/images, built once and kept by content.

build-node-image.sh names its tarball after a digest of everything the
image is made from and reuses it, so only the first run on a machine (or
the first after the script, node-init or the package list changed) pays
for debootstrap.
"""

import os
import subprocess

from tests.harness import services

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SCRIPT = os.path.join(TOP, 'tools', 'images', 'build-node-image.sh')
CACHE = os.environ.get('NODE_IMAGE_CACHE',
                       '/var/cache/magnum-lite/node-image')
_tarball = None


def tarball():
    """Path of the node image tarball, built on first use."""
    global _tarball
    if _tarball is None:
        services.require_root()
        services.require_docker()
        result = subprocess.run([SCRIPT, '--output', CACHE, '--tarball-only'],
                                capture_output=True, text=True)
        if result.returncode:
            services.missing('the node image', 'build-node-image.sh failed '
                             '(no Debian mirror?): %s' %
                             result.stderr.strip()[-2000:])
        _tarball = result.stdout.strip().splitlines()[-1]
    return _tarball
