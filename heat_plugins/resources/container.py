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

"""DockerInc::Docker::Container: one Docker container per resource."""

import json
import time

from heat.common import exception
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import resource
from oslo_log import log as logging

from heat_plugins.resources import container_config as cc
from heat_plugins.resources import docker_client
from heat_plugins.resources import docker_resource as base

LOG = logging.getLogger(__name__)

# How many log lines a failure reason quotes.
LOG_TAIL_LINES = 20

# Seconds a container must have been running before it counts as started.
START_SETTLE = 1.0

# A container restarted this often while being created (restart policy
# always or unless-stopped never gives up) fails instead of looping until
# the stack times out.
CRASH_RESTARTS = 3

# Seconds a resumed container may take to report healthy again.
RESUME_HEALTH_WAIT = 120

# Resource data: the names of the volumes the container owns (JSON).
OWNED_VOLUMES = 'owned_volumes'

CAPABILITIES = [
    'SETPCAP', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PACCT', 'SYS_ADMIN',
    'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD',
    'AUDIT_WRITE', 'AUDIT_CONTROL', 'AUDIT_READ', 'MAC_OVERRIDE',
    'MAC_ADMIN', 'NET_ADMIN', 'SYSLOG', 'CHOWN', 'NET_RAW',
    'DAC_OVERRIDE', 'FOWNER', 'DAC_READ_SEARCH', 'FSETID', 'KILL',
    'SETGID', 'SETUID', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE',
    'NET_BROADCAST', 'IPC_LOCK', 'IPC_OWNER', 'SYS_CHROOT', 'SYS_PTRACE',
    'SYS_BOOT', 'LEASE', 'SETFCAP', 'WAKE_ALARM', 'BLOCK_SUSPEND',
    'BPF', 'PERFMON', 'CHECKPOINT_RESTORE', 'ALL',
]

S = properties.Schema


def _int(description, **kwargs):
    return S(S.INTEGER, description,
             constraints=[constraints.Range(min=0)], **kwargs)


class DockerContainer(base.DockerResource):
    """A Docker container, created, started and watched until running."""

    kind = 'container'

    PROPERTIES = base.CONNECTION_PROPERTIES + cc.PROPERTIES

    ATTRIBUTES = (
        INFO, NETWORK_INFO, NETWORK_IP, NETWORK_GATEWAY, NETWORK_TCP_PORTS,
        NETWORK_UDP_PORTS, LOGS, LOGS_HEAD, LOGS_TAIL, PUBLISHED_PORTS,
        NETWORKS_ATTR, NAME_ATTR, STATUS, HEALTH,
    ) = (
        'info', 'network_info', 'network_ip', 'network_gateway',
        'network_tcp_ports', 'network_udp_ports', 'logs', 'logs_head',
        'logs_tail', 'published_ports', 'networks', 'name', 'status',
        'health',
    )

    properties_schema = dict(base.connection_schema, **{
        cc.NAME: S(S.STRING, 'Container name (by default one made from '
                   'the stack and resource names). Renamed in place.',
                   update_allowed=True),
        cc.IMAGE: S(S.STRING, 'Image name; it must exist on the engine or '
                    'be pullable from its registry.', required=True),
        cc.CMD: S(S.LIST, 'Command to run (numbers become strings).',
                  default=[]),
        cc.HOSTNAME: S(S.STRING, 'Hostname of the container.', default=''),
        cc.USER: S(S.STRING, 'Username or UID to run as.', default=''),
        cc.ENV: S(S.LIST, 'Environment variables as NAME=value strings.'),
        cc.LABELS: S(S.MAP, 'Labels of the container.'),
        cc.TTY: S(S.BOOLEAN, 'Allocate a pseudo-tty.', default=False),
        cc.OPEN_STDIN: S(S.BOOLEAN, 'Keep stdin open.', default=False),
        cc.STDIN_ONCE: S(S.BOOLEAN, 'Close stdin after the first attached '
                         'client disconnects.', default=False),
        cc.PORT_SPECS: S(S.LIST, 'Ports to expose, e.g. 80 or "53/udp".'),
        cc.PORT_BINDINGS: S(
            S.MAP, 'Published ports: container port ("80", "53/udp") to a '
            'host port, "ip:port", "ip:" or null (a random port), or a list '
            'of those.'),
        cc.LINKS: S(S.MAP, 'Links to other containers: name to alias '
                    '(default bridge only).'),
        cc.NETWORKS: S(
            S.LIST, 'Docker networks to join, in order; the first replaces '
            'the default bridge.',
            schema=S(S.MAP, schema={
                cc.NET_NETWORK: S(S.STRING, 'Network name or id.',
                                  required=True),
                cc.NET_IPV4_ADDRESS: S(S.STRING, 'Static IPv4 address.'),
                cc.NET_ALIASES: S(S.LIST, 'DNS aliases on this network.'),
            })),
        cc.DNS: S(S.LIST, 'DNS servers.'),
        cc.VOLUMES: S(
            S.MAP, 'Mounts: host path or volume name to container path, '
            'optionally ending in ":ro".', default={}),
        cc.MOUNTS: S(
            S.LIST, 'Mounts of volumes (e.g. {get_resource: a_volume}) or '
            'host paths.',
            schema=S(S.MAP, schema={
                cc.MOUNT_SOURCE: S(S.STRING, 'Volume name or host path.',
                                   required=True),
                cc.MOUNT_TARGET: S(S.STRING, 'Path in the container.',
                                   required=True),
                cc.MOUNT_READ_ONLY: S(S.BOOLEAN, 'Mount read-only.',
                                      default=False),
                cc.MOUNT_OWNED: S(
                    S.BOOLEAN, 'The container owns this named volume: it '
                    'is made with the container (with the container\'s '
                    'labels) and removed with it, unless another container '
                    'still mounts it. A volume of that name made by '
                    'anything else fails the create.', default=False),
            })),
        cc.VOLUMES_FROM: S(S.LIST, 'Containers whose volumes to mount.',
                           default=[]),
        cc.PRIVILEGED: S(S.BOOLEAN, 'Enable extended privileges.',
                         default=False),
        cc.READ_ONLY: S(S.BOOLEAN, 'Mount the root filesystem read-only.',
                        default=False),
        cc.RESTART_POLICY: S(
            S.MAP, 'Restart policy; changed in place.', default={},
            update_allowed=True,
            schema={
                cc.RESTART_NAME: S(S.STRING, 'Policy.', default='no',
                                   constraints=[constraints.AllowedValues(
                                       ['no', 'on-failure', 'always',
                                        'unless-stopped'])]),
                cc.RESTART_MAX_RETRIES: _int('Retries for on-failure.',
                                             default=0),
            }),
        cc.MEMORY: _int('Memory limit in bytes; changed in place.',
                        update_allowed=True),
        cc.MEMORY_RESERVATION: _int('Memory soft limit in bytes; changed '
                                    'in place.', update_allowed=True),
        cc.MEMORY_SWAP: S(S.INTEGER, 'Memory plus swap limit in bytes (-1 '
                          'unlimited); changed in place.',
                          constraints=[constraints.Range(min=-1)],
                          update_allowed=True),
        cc.CPU_SHARES: _int('CPU shares (relative weight); changed in '
                            'place.', default=0, update_allowed=True),
        cc.CPU_SET: S(S.STRING, 'CPUs allowed, e.g. "0-1"; changed in '
                      'place.', update_allowed=True),
        cc.CPU_QUOTA: _int('CFS quota in microseconds per period; changed '
                           'in place.', update_allowed=True),
        cc.CPU_PERIOD: _int('CFS period in microseconds; changed in '
                            'place.', update_allowed=True),
        cc.CAP_ADD: S(S.LIST, 'Capabilities to add.', default=[],
                      schema=S(S.STRING, constraints=[
                          constraints.AllowedValues(CAPABILITIES)])),
        cc.CAP_DROP: S(S.LIST, 'Capabilities to drop.', default=[],
                       schema=S(S.STRING, constraints=[
                           constraints.AllowedValues(CAPABILITIES)])),
        cc.SECURITY_OPT: S(S.LIST, 'Security options, as docker run '
                           'takes them, e.g. "no-new-privileges" or '
                           '"systempaths=unconfined".'),
        cc.DEVICES: S(
            S.LIST, 'Host devices to add.', default=[],
            schema=S(S.MAP, schema={
                cc.DEV_PATH_ON_HOST: S(
                    S.STRING, 'Device path on the host.', required=True,
                    constraints=[constraints.Length(max=255),
                                 constraints.AllowedPattern(
                                     r'^/dev/[/_\-a-zA-Z0-9]+$')]),
                cc.DEV_PATH_IN_CONTAINER: S(
                    S.STRING, 'Device path in the container (default: the '
                    'host path).',
                    constraints=[constraints.Length(max=255),
                                 constraints.AllowedPattern(
                                     r'^/dev/[/_\-a-zA-Z0-9]+$')]),
                cc.DEV_PERMISSIONS: S(
                    S.STRING, 'Cgroup permissions.', default='rwm',
                    constraints=[constraints.AllowedValues(
                        ['r', 'w', 'm', 'rw', 'rm', 'wm', 'rwm'])]),
            })),
        cc.DEVICE_CGROUP_RULES: S(S.LIST, 'Device cgroup rules, e.g. '
                                  '"c 1:3 rwm".'),
        cc.HEALTHCHECK: S(
            S.MAP, 'Health check; when set, creation waits until healthy.',
            schema={
                cc.HC_TEST: S(S.ANY, 'Command list (CMD form) or a shell '
                              'string.', required=True),
                cc.HC_INTERVAL: S(S.NUMBER, 'Seconds between checks.'),
                cc.HC_TIMEOUT: S(S.NUMBER, 'Seconds before a check fails.'),
                cc.HC_RETRIES: _int('Failures before unhealthy.'),
                cc.HC_START_PERIOD: S(S.NUMBER, 'Seconds of grace at start.'),
            }),
        cc.LOG_DRIVER: S(S.STRING, 'Log driver, e.g. json-file or none.'),
        cc.LOG_OPTIONS: S(S.MAP, 'Log driver options.'),
        cc.STOP_TIMEOUT: _int('Seconds between SIGTERM and SIGKILL when the '
                              'container is stopped (Docker\'s default is '
                              '10).'),
    })

    attributes_schema = {
        INFO: attributes.Schema('Inspect data of the container.',
                                type=attributes.Schema.MAP,
                                cache_mode=attributes.Schema.CACHE_NONE),
        NETWORK_INFO: attributes.Schema(
            'NetworkSettings, with TcpPorts and UdpPorts added.',
            type=attributes.Schema.MAP),
        NETWORK_IP: attributes.Schema(
            'IP address on the default bridge, else on the first network.',
            type=attributes.Schema.STRING),
        NETWORK_GATEWAY: attributes.Schema(
            'Gateway on the default bridge, else on the first network.',
            type=attributes.Schema.STRING),
        NETWORK_TCP_PORTS: attributes.Schema(
            'Published TCP host ports, comma-separated.',
            type=attributes.Schema.STRING),
        NETWORK_UDP_PORTS: attributes.Schema(
            'Published UDP host ports, comma-separated.',
            type=attributes.Schema.STRING),
        LOGS: attributes.Schema('Container logs.',
                                type=attributes.Schema.STRING,
                                cache_mode=attributes.Schema.CACHE_NONE),
        LOGS_HEAD: attributes.Schema('First line of the logs.',
                                     type=attributes.Schema.STRING,
                                     cache_mode=attributes.Schema.CACHE_NONE),
        LOGS_TAIL: attributes.Schema('Last line of the logs.',
                                     type=attributes.Schema.STRING,
                                     cache_mode=attributes.Schema.CACHE_NONE),
        PUBLISHED_PORTS: attributes.Schema(
            'Published host ports per container port, e.g. '
            '{"80/tcp": [32768]}.', type=attributes.Schema.MAP),
        NETWORKS_ATTR: attributes.Schema(
            'Per network: ip_address, gateway, aliases, mac_address.',
            type=attributes.Schema.MAP),
        NAME_ATTR: attributes.Schema('Container name.',
                                     type=attributes.Schema.STRING),
        STATUS: attributes.Schema('Container status (running, paused...).',
                                  type=attributes.Schema.STRING,
                                  cache_mode=attributes.Schema.CACHE_NONE),
        HEALTH: attributes.Schema('Health status, when a check is set.',
                                  type=attributes.Schema.STRING,
                                  cache_mode=attributes.Schema.CACHE_NONE),
    }

    update_allowed_properties = ((cc.NAME,) + cc.UPDATABLE +
                                 base.TLS_PROPERTIES)

    # -- helpers -----------------------------------------------------------

    def inspect(self, client):
        return client.inspect_container(self.resource_id)

    def remove(self, client):
        # With a stop_timeout the template asked for a clean shutdown
        # (SIGTERM, then SIGKILL after that long); without one the container
        # is killed at once, like "docker rm -f".
        timeout = self.properties[cc.STOP_TIMEOUT]
        if timeout is not None:
            state = client.inspect_container(self.resource_id)['State']
            if state.get('Running') and not state.get('Paused'):
                client.stop(self.resource_id, timeout=timeout)
        # v=True: anonymous volumes go with the container; named volumes
        # and binds stay.
        client.remove_container(self.resource_id, v=True, force=True)

    def _logs_tail(self, client, lines=LOG_TAIL_LINES):
        try:
            logs = client.logs(self.resource_id, tail=lines)
        except Exception as exc:  # logs only decorate a failure message
            LOG.debug('no logs for %s: %s', self.describe(), exc)
            return ''
        return '\n'.join(cc.log_lines(logs))

    def _pull(self, client, image):
        """Pull an image the engine lacks, or fail saying it is missing."""
        LOG.info('image %s is not on the engine, pulling it', image)
        try:
            # The SDK splits tag or digest from the name (default latest).
            client.pull(image)
        except docker_client.docker_errors.APIError as exc:
            raise exception.Error(
                'image %s not found on the Docker engine and it could not '
                'be pulled: %s' % (image, docker_client.explanation(exc)))

    def _create_pulling(self, client, props, name):
        # Creating first and pulling only on "no such image" saves a call
        # per container in the common case of an image already there.
        try:
            return self._create(client, props, name)
        except docker_client.docker_errors.ImageNotFound:
            self._pull(client, props[cc.IMAGE])
        return self._create(client, props, name)

    def _create(self, client, props, name):
        """Create the container; return its id or fail with a clear reason."""
        host_config = client.create_host_config(
            **cc.host_config_kwargs(props))
        host_config.update(cc.host_config_fields(props))
        config = client.create_container_config(host_config=host_config,
                                                **cc.create_kwargs(props))
        # The SDK only sets StdinOnce for attached stdin; set it as asked.
        config['StdinOnce'] = bool(props.get(cc.STDIN_ONCE))
        nets = cc.endpoints(props.get(cc.NETWORKS))
        if nets:
            net, kwargs = nets[0]
            config['NetworkingConfig'] = client.create_networking_config(
                {net: client.create_endpoint_config(**kwargs)})
        try:
            return client.create_container_from_config(config, name)['Id']
        except docker_client.docker_errors.ImageNotFound:
            raise
        except docker_client.docker_errors.APIError as exc:
            reason = docker_client.explanation(exc)
            if exc.status_code == 409:
                raise exception.Error(
                    'container name %s is already in use on the Docker '
                    'engine: choose another name or remove that container '
                    '(%s)' % (name, reason))
            raise exception.Error('create container %s failed: %s'
                                  % (name, reason))

    def validate(self):
        super().validate()
        p = self.properties
        # Caught here, a bad port fails the stack before anything exists.
        try:
            cc.exposed_ports(p[cc.PORT_SPECS], p[cc.PORT_BINDINGS])
            cc.port_bindings(p[cc.PORT_BINDINGS])
        except ValueError as exc:
            raise exception.StackValidationFailed(
                message='%s/%s: %s' % (cc.PORT_SPECS, cc.PORT_BINDINGS, exc))
        try:
            cc.security_options(p[cc.SECURITY_OPT])
        except ValueError as exc:
            raise exception.StackValidationFailed(
                message='%s: %s' % (cc.SECURITY_OPT, exc))

    # -- lifecycle ---------------------------------------------------------

    def handle_create(self):
        client = self.docker()
        props = dict(self.properties)
        props[cc.LABELS] = self.stack_labels(props.get(cc.LABELS))
        name = self.docker_name(props.get(cc.NAME))
        owned = cc.owned_volumes(props.get(cc.MOUNTS))
        if owned:
            # Before any is made: delete removes what this names.
            self.data_set(OWNED_VOLUMES, json.dumps(owned))
        for volume in owned:
            self._create_owned_volume(client, volume, props[cc.LABELS])
        container_id = self.call('create container %s' % name,
                                 self._create_pulling, client, props, name)
        # Recorded before start, so a failed start is still cleaned up.
        self.resource_id_set(container_id)
        for net, kwargs in cc.endpoints(props.get(cc.NETWORKS))[1:]:
            self.call('connect container %s to network %s' % (name, net),
                      client.connect_container_to_network, container_id,
                      net, **kwargs)
        self.call('start container %s' % name, client.start, container_id)
        # What the checks learn: when the container last (re)started.
        return {'restarts': 0, 'since': time.monotonic()}

    def _owns(self, volume_info):
        """Whether this resource made the volume (see stack_labels)."""
        return self.made_here((volume_info or {}).get('Labels'))

    def _create_owned_volume(self, client, volume, labels):
        # In the container's own step: a volume resource of its own would
        # cost a scheduler step before the container could start. Docker
        # answers a create of an existing name with that volume: one of
        # ours is taken back (left by a failed attempt, or still mounted
        # by the container this one replaces), anyone else's refused.
        made = self.call('create volume %s' % volume, client.create_volume,
                         volume, labels=labels)
        if not self._owns(made):
            raise exception.Error(
                'volume name %s is already in use on the Docker engine: '
                'choose another name or remove that volume' % volume)

    def _remove_owned_volumes(self, client, volumes):
        for volume in volumes:
            info = self.call('inspect volume %s' % volume,
                             client.inspect_volume, volume, missing_ok=True)
            if not self._owns(info):
                continue
            try:
                with docker_client.translated('remove volume %s' % volume):
                    client.remove_volume(volume)
            except docker_client.DockerError as exc:
                if exc.status_code != 409:
                    raise exception.Error(str(exc))
                # Still mounted: by the replacement of this container,
                # which owns it from now on.
                LOG.info('volume %s stays: %s', volume, exc)

    def handle_delete(self):
        result = super().handle_delete()
        # Also after a create that failed before the container existed;
        # without owned volumes the engine is not even called.
        volumes = json.loads(self.data().get(OWNED_VOLUMES) or '[]')
        if volumes:
            self._remove_owned_volumes(self.docker(), volumes)
        return result

    def check_create_complete(self, progress):
        info = self.inspect_or_none()
        if info is None:
            raise exception.ResourceInError(
                resource_status='removed',
                status_reason='%s disappeared while starting'
                % self.describe())
        state = info['State']
        restarts = info.get('RestartCount') or 0
        if restarts >= CRASH_RESTARTS:
            raise exception.ResourceInError(
                resource_status='crashing',
                status_reason='%s keeps exiting (code %s, restarted %d '
                'times); last log lines:\n%s'
                % (self.describe(), state.get('ExitCode'), restarts,
                   self._logs_tail(self.docker())))
        if restarts != progress['restarts']:
            progress.update(restarts=restarts, since=time.monotonic())
        if state.get('Restarting'):
            return False
        if state.get('Running'):
            health = (state.get('Health') or {}).get('Status')
            if health == 'unhealthy':
                raise exception.ResourceInError(
                    resource_status='unhealthy',
                    status_reason=self._health_reason(state))
            # Running right after a start proves little: a bad command or
            # configuration makes a container exit a moment later.
            if time.monotonic() - progress['since'] < START_SETTLE:
                return False
            return health in (None, 'healthy')
        if state.get('ExitCode'):
            raise exception.ResourceInError(
                resource_status='exited',
                status_reason='%s exited with code %s; last log lines:\n%s'
                % (self.describe(), state['ExitCode'],
                   self._logs_tail(self.docker())))
        # A command that ran and finished cleanly is a completed container.
        return state.get('Status') == 'exited'

    def _health_reason(self, state):
        runs = (state.get('Health') or {}).get('Log') or []
        last = runs[-1].get('Output', '').strip() if runs else ''
        return '%s is unhealthy; last check output: %s' % (self.describe(),
                                                           last)

    def needs_replace_with_prop_diff(self, changed, after, before):
        return cc.needs_replacement(changed, before, after)

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        new_props = dict(json_snippet.properties(self.properties_schema,
                                                 self.context))
        changed = set(prop_diff) - set(base.TLS_PROPERTIES)
        if not changed:
            return
        client = self.docker(new_props)
        if cc.NAME in prop_diff:
            self.call('rename %s' % self.describe(), client.rename,
                      self.resource_id,
                      self.docker_name(new_props.get(cc.NAME)))
        if changed - {cc.NAME}:
            self.call('update %s' % self.describe(),
                      client.update_container, self.resource_id,
                      **cc.update_kwargs(new_props))

    def _step_aside(self):
        """Free the name, static addresses and fixed ports for another.

        Stopping releases addresses and ports; a container that has none
        keeps running until it is deleted.
        """
        info = self.inspect_or_none() if self.resource_id else None
        if info is None:
            return
        client = self.docker()
        name = info['Name'].lstrip('/')
        suffix = '-replaced-%s' % self.resource_id[:8]
        if not name.endswith(suffix):
            self.call('rename %s' % self.describe(), client.rename,
                      self.resource_id, name + suffix)
        if cc.holds_fixed_resources(self.properties):
            # Given explicitly, the SDK also waits that much longer for
            # the answer instead of timing out on a slow shutdown.
            timeout = self.properties[cc.STOP_TIMEOUT]
            kwargs = {} if timeout is None else {'timeout': timeout}
            self.call('stop %s' % self.describe(), client.stop,
                      self.resource_id, **kwargs)

    def _step_in(self):
        """Take the name back and run again (undoes _step_aside)."""
        info = self.inspect_or_none() if self.resource_id else None
        if info is None:
            return
        client = self.docker()
        name = self.docker_name(self.properties[cc.NAME])
        if info['Name'].lstrip('/') != name:
            self.call('rename %s' % self.describe(), client.rename,
                      self.resource_id, name)
        if not info['State'].get('Running'):
            self.call('start %s' % self.describe(), client.start,
                      self.resource_id)

    def prepare_for_replace(self):
        # Heat creates the replacement before deleting this container.
        self._step_aside()

    def restore_prev_rsrc(self, convergence=False):
        # A replacement is being rolled back: it gives way and the previous
        # container takes its name and addresses back. Heat calls this on
        # the previous resource with convergence, on the replacement
        # without.
        if convergence:
            previous = self
            replacement = None
            if self.replaced_by is not None:
                replacement = resource.Resource.load(
                    self.context, self.replaced_by,
                    self.stack.current_traversal, True,
                    self.stack.defn._resource_data)[0]
        else:
            previous = self.stack._backup_stack().resources.get(self.name)
            replacement = self
        if replacement is not None:
            replacement._step_aside()
        if previous is not None:
            previous._step_in()

    def handle_suspend(self):
        info = self.inspect_existing()
        # Only a running container can be frozen; a finished one stays so.
        if info['State'].get('Running') and not info['State'].get('Paused'):
            self.call('pause %s' % self.describe(), self.docker().pause,
                      self.resource_id)

    def handle_resume(self):
        info = self.inspect_existing()
        if info['State'].get('Paused'):
            self.call('unpause %s' % self.describe(), self.docker().unpause,
                      self.resource_id)
        return time.monotonic()

    def check_resume_complete(self, started):
        # Health checks fail while a container is paused; resumed means
        # healthy again, within a bound so a broken service still fails.
        info = self.inspect_existing()
        health = (info['State'].get('Health') or {}).get('Status')
        if health in (None, 'healthy'):
            return True
        if time.monotonic() - started > RESUME_HEALTH_WAIT:
            raise exception.ResourceInError(
                resource_status=health,
                status_reason=self._health_reason(info['State']))
        return False

    def handle_check(self):
        info = self.inspect_existing()
        state = info['State']
        checks = [{'attr': 'status', 'expected': 'running',
                   'current': state.get('Status')}]
        if (state.get('Health') or {}).get('Status'):
            checks.append({'attr': 'health', 'expected': 'healthy',
                           'current': state['Health']['Status']})
        self._verify_check_conditions(checks)

    # -- attributes --------------------------------------------------------

    def _first_network(self, settings):
        if settings.get('IPAddress'):
            return settings
        networks = settings.get('Networks') or {}
        for net, _ in cc.endpoints(self.properties[cc.NETWORKS]):
            for name, data in networks.items():
                if net in (name, data.get('NetworkID')):
                    return data
        return next(iter(networks.values()), {})

    def attribute_from(self, name, info):
        settings = info.get('NetworkSettings') or {}
        ports = settings.get('Ports')
        if name == self.INFO:
            return info
        if name == self.NETWORK_INFO:
            return dict(settings,
                        TcpPorts=cc.ports_by_protocol(ports, 'tcp'),
                        UdpPorts=cc.ports_by_protocol(ports, 'udp'))
        if name == self.NETWORK_IP:
            return self._first_network(settings).get('IPAddress')
        if name == self.NETWORK_GATEWAY:
            return self._first_network(settings).get('Gateway')
        if name == self.NETWORK_TCP_PORTS:
            return cc.ports_by_protocol(ports, 'tcp')
        if name == self.NETWORK_UDP_PORTS:
            return cc.ports_by_protocol(ports, 'udp')
        if name == self.PUBLISHED_PORTS:
            return cc.host_ports(ports)
        if name == self.NETWORKS_ATTR:
            return {net: {'ip_address': data.get('IPAddress'),
                          'gateway': data.get('Gateway'),
                          'aliases': data.get('Aliases') or [],
                          'mac_address': data.get('MacAddress')}
                    for net, data in (settings.get('Networks') or {}).items()}
        if name == self.NAME_ATTR:
            return info['Name'].lstrip('/')
        if name == self.STATUS:
            return info['State'].get('Status')
        if name == self.HEALTH:
            return (info['State'].get('Health') or {}).get('Status')
        if name in (self.LOGS, self.LOGS_HEAD, self.LOGS_TAIL):
            return self._logs(name)
        return None

    def _logs(self, name):
        logs = self.call('read logs of %s' % self.describe(),
                         self.docker().logs, self.resource_id)
        lines = cc.log_lines(logs)
        if name == self.LOGS:
            return '\n'.join(lines)
        if not lines:
            return ''
        return lines[0] if name == self.LOGS_HEAD else lines[-1]


def resource_mapping():
    return {'DockerInc::Docker::Container': DockerContainer}
