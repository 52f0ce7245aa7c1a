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

"""Make the driver loadable as ``nova.virt.docker``.

Nova loads compute drivers only from its own ``nova.virt`` package
(``compute_driver = <name>.<Class>`` imports ``nova.virt.<name>``), so an
out-of-tree driver needs a small package there. ``nova-docker-install``
writes that package, which only re-exports this project's driver, into the
Nova installation that the running Python imports; run it again after
upgrading Nova, and ``nova-docker-install --uninstall`` to remove it.
"""

import argparse
import os
import shutil
import sys

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

SHIM_NAME = 'docker'
MARKER = '# Installed by nova-docker-install.'
SHIM = MARKER + '''
# Re-exports nova_docker_driver so that Nova can load it with
#     [DEFAULT] compute_driver = docker.DockerDriver
from nova_docker_driver.driver import DockerDriver  # noqa: F401

__all__ = ['DockerDriver']
'''


def nova_virt_dir():
    import nova.virt
    return os.path.dirname(nova.virt.__file__)


def shim_dir(virt_dir=None):
    return os.path.join(virt_dir or nova_virt_dir(), SHIM_NAME)


def install(virt_dir=None):
    """Write nova/virt/docker/__init__.py; returns its path."""
    target = shim_dir(virt_dir)
    init = os.path.join(target, '__init__.py')
    if os.path.exists(init) and not _ours(init):
        raise RuntimeError('%s exists and was not written by '
                           'nova-docker-install; not touching it' % init)
    os.makedirs(target, exist_ok=True)
    with open(init, 'w') as f:
        f.write(SHIM)
    return init


def uninstall(virt_dir=None):
    """Remove the package written by install(); True if there was one."""
    target = shim_dir(virt_dir)
    init = os.path.join(target, '__init__.py')
    if not os.path.exists(init):
        return False
    if not _ours(init):
        raise RuntimeError('%s was not written by nova-docker-install; not '
                           'removing it' % init)
    shutil.rmtree(target)
    return True


def _ours(path):
    with open(path) as f:
        return f.readline().rstrip('\n') == MARKER


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='nova-docker-install',
        description='Install (or remove) the nova.virt.docker package that '
                    'lets nova-compute load the Docker driver with '
                    'compute_driver = docker.DockerDriver.')
    parser.add_argument('--uninstall', action='store_true',
                        help='remove the package instead')
    parser.add_argument('--nova-virt-dir',
                        help='the nova/virt directory to write to (default: '
                             'the one this Python imports)')
    args = parser.parse_args(argv)
    logging.register_options(logging.cfg.CONF)
    logging.setup(logging.cfg.CONF, 'nova-docker-install')
    try:
        if args.uninstall:
            removed = uninstall(args.nova_virt_dir)
            LOG.info('Removed %s' if removed else 'Nothing to remove at %s',
                     shim_dir(args.nova_virt_dir))
        else:
            LOG.info('Installed %s; set [DEFAULT] compute_driver = '
                     'docker.DockerDriver', install(args.nova_virt_dir))
    except (OSError, RuntimeError) as exc:
        LOG.error('%s', exc)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
