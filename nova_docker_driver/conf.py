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

"""Options of the Docker compute driver, in the ``[docker]`` group.

Nova registers its own options on the global CONF; ours live in one group
so that an operator can read them in one place of ``nova.conf``.
"""

from oslo_config import cfg

docker_group = cfg.OptGroup(
    'docker', title='Docker compute driver',
    help='How nova-compute reaches the Docker engine and how instances '
         'become containers.')

CPU_POLICIES = ('quota', 'shares', 'none')
MEMORY_POLICIES = ('hard', 'soft', 'none')

docker_opts = [
    cfg.StrOpt('api_url',
               default='unix:///var/run/docker.sock',
               help='Docker engine endpoint: unix:///path/docker.sock or '
                    'tcp://host:port (use the TLS options for tcp).'),
    cfg.StrOpt('api_version',
               default='auto',
               help='Docker API version to speak; "auto" negotiates it.'),
    cfg.IntOpt('api_timeout',
               default=120, min=1,
               help='Seconds to wait for one Docker API call. Loading and '
                    'saving large images need more than the default of '
                    'the SDK.'),
    cfg.BoolOpt('tls_verify',
                default=False,
                help='Talk TLS to the engine and verify its certificate '
                     'against ca_file.'),
    cfg.StrOpt('ca_file',
               help='CA certificate that signed the engine certificate.'),
    cfg.StrOpt('cert_file',
               help='Client certificate presented to the engine.'),
    cfg.StrOpt('key_file',
               help='Private key of the client certificate.'),
    cfg.BoolOpt('privileged',
                default=False,
                help='Run every container privileged. This gives the '
                     'instance full access to the host: only enable it on '
                     'hosts that run trusted images.'),
    cfg.BoolOpt('allow_nested_engine',
                default=False,
                help='Let instances whose flavor has the extra spec '
                     'docker:nested_engine=true run their own Docker '
                     'engine. Such a container gets CAP_SYS_ADMIN and '
                     'CAP_NET_ADMIN with no seccomp or AppArmor profile: '
                     'a root user inside can take over the host. Only '
                     'flavor extra specs (admin-only in Nova\'s default '
                     'policy) ask for it; enable it on hosts that only run '
                     'trusted images, such as the nodes of container '
                     'clusters. With False an instance of such a flavor '
                     'fails to build, with the reason as its fault.'),
    cfg.StrOpt('cpu_policy',
               default='quota',
               choices=[
                   ('quota', 'limit each container to as many CPUs as '
                             'the flavor has vCPUs (CFS quota)'),
                   ('shares', 'weight CPU time by vCPUs (1024 shares per '
                              'vCPU); containers may burst on an idle '
                              'host'),
                   ('none', 'no CPU limit'),
               ],
               help='How the flavor vCPUs limit a container.'),
    cfg.StrOpt('memory_policy',
               default='hard',
               choices=[
                   ('hard', 'the flavor memory is a hard limit; the '
                            'kernel OOM-kills above it'),
                   ('soft', 'the flavor memory is a reservation the '
                            'kernel reclaims to under pressure'),
                   ('none', 'no memory limit'),
               ],
               help='How the flavor memory limits a container.'),
    cfg.StrOpt('image_cache_dir',
               default='$state_path/docker/images',
               help='Where image tarballs downloaded from Glance and '
                    'snapshots on their way to Glance are kept. Tarballs '
                    'named <glance image id>.tar placed here in advance '
                    'are loaded without a download.'),
    cfg.BoolOpt('keep_image_tarballs',
                default=False,
                help='Keep downloaded image tarballs in image_cache_dir '
                     'after loading them into the engine.'),
    cfg.BoolOpt('init',
                default=True,
                help='Run the engine\'s small init (docker-init) as PID 1 '
                     'of each container, so that SIGTERM from a power off '
                     'reaches the image\'s process and zombies are reaped. '
                     'Without it, a shell as PID 1 ignores SIGTERM and '
                     'every clean shutdown waits for its full timeout.'),
    cfg.BoolOpt('interactive',
                default=True,
                help='Give each container a terminal and an open stdin, '
                     'as a VM console would, so images whose command is a '
                     'shell keep running instead of exiting at once.'),
    cfg.StrOpt('metadata_mount_point',
               default='/var/lib/openstack',
               help='Path inside the container where the instance '
                    'metadata is mounted read-only, laid out like a '
                    'config drive (openstack/latest/...).'),
    cfg.StrOpt('root_directory',
               default='/var/lib/docker',
               help='Docker data root; its file system is the disk that '
                    'is reported to Placement as DISK_GB. Falls back to '
                    'the instances path when it cannot be read.'),
    cfg.IntOpt('stop_timeout',
               default=10, min=0,
               help='Seconds a container gets between SIGTERM and SIGKILL '
                    'when Nova does not give a timeout itself (reboot, '
                    'destroy, soft delete).'),
    cfg.IntOpt('netns_wait_timeout',
               default=10, min=1,
               help='Seconds to wait for a started container to have a '
                    'process whose network namespace can receive its '
                    'ports.'),
]


def register_opts(conf):
    conf.register_group(docker_group)
    conf.register_opts(docker_opts, group=docker_group)


def list_opts():
    """Options for oslo-config-generator (entry point oslo.config.opts)."""
    return [(docker_group, docker_opts)]


register_opts(cfg.CONF)
CONF = cfg.CONF
