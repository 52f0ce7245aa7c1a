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

"""Container properties translated to docker SDK 7 arguments.

Pure functions over plain dicts (no Heat, no engine), so the translation is
tested by tables. Since docker SDK 2, resources, mounts, ports and policies
belong to the host config given to ``create_container``; ``start`` takes the
container id only.
"""

PROPERTIES = (
    NAME, IMAGE, CMD, HOSTNAME, USER, ENV, LABELS, TTY, OPEN_STDIN,
    STDIN_ONCE, PORT_SPECS, PORT_BINDINGS, LINKS, NETWORKS, DNS, VOLUMES,
    MOUNTS, VOLUMES_FROM, PRIVILEGED, READ_ONLY, RESTART_POLICY, MEMORY,
    MEMORY_RESERVATION, MEMORY_SWAP, CPU_SHARES, CPU_SET, CPU_QUOTA,
    CPU_PERIOD, CAP_ADD, CAP_DROP, SECURITY_OPT, DEVICES,
    DEVICE_CGROUP_RULES, HEALTHCHECK, LOG_DRIVER, LOG_OPTIONS, STOP_TIMEOUT,
) = (
    'name', 'image', 'cmd', 'hostname', 'user', 'env', 'labels', 'tty',
    'open_stdin', 'stdin_once', 'port_specs', 'port_bindings', 'links',
    'networks', 'dns', 'volumes', 'mounts', 'volumes_from', 'privileged',
    'read_only', 'restart_policy', 'memory', 'memory_reservation',
    'memory_swap',
    'cpu_shares', 'cpu_set', 'cpu_quota', 'cpu_period', 'cap_add',
    'cap_drop', 'security_opt', 'devices', 'device_cgroup_rules',
    'healthcheck', 'log_driver', 'log_options', 'stop_timeout',
)

NETWORK_KEYS = (NET_NETWORK, NET_IPV4_ADDRESS, NET_ALIASES) = (
    'network', 'ipv4_address', 'aliases')

MOUNT_KEYS = (MOUNT_SOURCE, MOUNT_TARGET, MOUNT_READ_ONLY, MOUNT_OWNED) = (
    'source', 'target', 'read_only', 'owned')

DEVICE_KEYS = (DEV_PATH_ON_HOST, DEV_PATH_IN_CONTAINER, DEV_PERMISSIONS) = (
    'path_on_host', 'path_in_container', 'permissions')

RESTART_KEYS = (RESTART_NAME, RESTART_MAX_RETRIES) = (
    'Name', 'MaximumRetryCount')

HEALTHCHECK_KEYS = (HC_TEST, HC_INTERVAL, HC_TIMEOUT, HC_RETRIES,
                    HC_START_PERIOD) = (
    'test', 'interval', 'timeout', 'retries', 'start_period')

# What Docker can change on a live container (``docker update``); every
# other property needs a new container.
UPDATABLE = (RESTART_POLICY, MEMORY, MEMORY_RESERVATION, MEMORY_SWAP,
             CPU_SHARES, CPU_SET, CPU_QUOTA, CPU_PERIOD)

# Limits Docker can set but cannot remove again without a new container.
REMOVABLE_ONLY_BY_REPLACEMENT = (MEMORY, MEMORY_RESERVATION, MEMORY_SWAP,
                                 CPU_SHARES, CPU_QUOTA, CPU_PERIOD, CPU_SET)

NANOSECONDS = 1000000000


def port_key(port):
    """'80' or 80 -> '80/tcp'; '53/udp' stays."""
    text = str(port).strip()
    return text if '/' in text else text + '/tcp'


def _port_number(text):
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise ValueError('%r is not a port number' % (text,))
    if not 0 < number < 65536:
        raise ValueError('port %d is out of range 1-65535' % number)
    return number


def _sdk_port(key):
    """'80/tcp' -> 80 and '53/udp' -> (53, 'udp'), the SDK's port forms."""
    number, proto = key.split('/', 1)
    if proto not in ('tcp', 'udp', 'sctp'):
        raise ValueError('%r is not a protocol (tcp, udp, sctp)' % proto)
    number = _port_number(number)
    return number if proto == 'tcp' else (number, proto)


def exposed_ports(port_specs, port_bindings):
    """Ports to expose: the declared ones plus every bound one, in order."""
    keys = []
    for port in list(port_specs or []) + list(port_bindings or {}):
        key = port_key(port)
        if key not in keys:
            keys.append(key)
    return [_sdk_port(k) for k in keys]


def _host_binding(value):
    """One host side of a binding, in the SDK's form.

    None, '' or 0 -> None (a random host port); 8080 or '8080' -> 8080;
    '127.0.0.1:8080' -> ('127.0.0.1', 8080); '127.0.0.1:' -> ('127.0.0.1',)
    (a random port on that address).
    """
    if value in (None, '', 0):
        return None
    if isinstance(value, int):
        return _port_number(value)
    text = str(value).strip()
    if ':' in text:
        ip, _, port = text.rpartition(':')
        return (ip, _port_number(port)) if port else (ip,)
    return _port_number(text)


def port_bindings(bindings):
    """{'80': 8080, '53/udp': ['1053', '127.0.0.1:2053']} -> SDK bindings."""
    result = {}
    for port, value in (bindings or {}).items():
        sdk_key = _sdk_port(port_key(port))
        if isinstance(value, list):
            result[sdk_key] = [_host_binding(v) for v in value]
        else:
            result[sdk_key] = _host_binding(value)
    return result


def binds(volumes, mounts=None):
    """Mount properties -> (binds, container paths).

    ``volumes`` maps a host path or volume name to a container path with an
    optional ':ro'/':rw' mode ({'/srv/data': '/data', 'cache': '/c:ro'}).
    ``mounts`` lists {source, target, read_only}; it exists because a map
    key cannot be {get_resource: a_volume} in a template. The paths are
    declared as container volumes too, as ``docker run -v`` does.
    """
    pairs = []
    for source, target in (volumes or {}).items():
        path, _, mode = str(target).partition(':')
        pairs.append((source, path, mode or 'rw'))
    for mount in mounts or []:
        pairs.append((mount[MOUNT_SOURCE], mount[MOUNT_TARGET],
                      'ro' if mount.get(MOUNT_READ_ONLY) else 'rw'))
    return (['%s:%s:%s' % pair for pair in pairs],
            [path for _, path, _ in pairs])


def owned_volumes(mounts):
    """Names of the volumes a container makes and removes itself."""
    return [mount[MOUNT_SOURCE] for mount in mounts or []
            if mount.get(MOUNT_OWNED)]


def devices(devices_prop):
    """[{path_on_host, path_in_container, permissions}] -> 'h:c:perm'."""
    result = []
    for dev in devices_prop or []:
        host = dev[DEV_PATH_ON_HOST]
        inside = dev.get(DEV_PATH_IN_CONTAINER) or host
        result.append('%s:%s:%s' % (host, inside,
                                    dev.get(DEV_PERMISSIONS) or 'rwm'))
    return result


def restart_policy(policy):
    """{'Name': 'on-failure', 'MaximumRetryCount': 3} with defaults.

    Docker refuses a retry count with any policy but on-failure, so it is
    dropped (to 0) when a template switches to another policy.
    """
    if not policy:
        return None
    name = policy.get(RESTART_NAME) or 'no'
    retries = int(policy.get(RESTART_MAX_RETRIES) or 0)
    return {RESTART_NAME: name,
            RESTART_MAX_RETRIES: retries if name == 'on-failure' else 0}


def _ns(seconds):
    return None if seconds is None else int(float(seconds) * NANOSECONDS)


def healthcheck(check):
    """Durations in seconds (as templates write them) -> the SDK's ns."""
    if not check:
        return None
    test = check.get(HC_TEST)
    if isinstance(test, str):
        test = ['CMD-SHELL', test]
    elif test:
        test = [str(t) for t in test]
        if test[0] not in ('CMD', 'CMD-SHELL', 'NONE'):
            test = ['CMD'] + test
    result = {'test': test,
              'interval': _ns(check.get(HC_INTERVAL)),
              'timeout': _ns(check.get(HC_TIMEOUT)),
              'retries': check.get(HC_RETRIES),
              'start_period': _ns(check.get(HC_START_PERIOD))}
    return {k: v for k, v in result.items() if v is not None}


def swap_for(memory, memory_swap):
    """The swap limit to send with a memory limit.

    Docker refuses a memory limit above the current memory+swap limit, and
    defaults memory+swap to twice the memory at create, so an update sends
    both, keeping that default when the template gives no swap.
    """
    if memory_swap:
        return memory_swap
    return 2 * memory if memory else None


def endpoints(networks):
    """[{network, ipv4_address, aliases}] -> [(network, endpoint kwargs)]."""
    result = []
    for net in networks or []:
        kwargs = {}
        if net.get(NET_IPV4_ADDRESS):
            kwargs['ipv4_address'] = net[NET_IPV4_ADDRESS]
        if net.get(NET_ALIASES):
            kwargs['aliases'] = list(net[NET_ALIASES])
        result.append((net[NET_NETWORK], kwargs))
    return result


# `docker run --security-opt systempaths=unconfined`: no /proc or /sys
# path masked or read-only, as docker-in-docker needs. The engine API
# refuses it as a security option; the CLI sends it as empty path lists,
# and so do we.
SYSTEMPATHS_UNCONFINED = 'systempaths=unconfined'
_UNCONFINED_PATHS = {'MaskedPaths': [], 'ReadonlyPaths': []}


def security_options(values):
    """(security_opt for the SDK, host config fields) of the property.

    Raises ValueError for a systempaths setting other than unconfined,
    which Docker would refuse only once the stack is being made.
    """
    options = []
    fields = {}
    for value in values or []:
        text = str(value).strip()
        if text == SYSTEMPATHS_UNCONFINED:
            fields.update(_UNCONFINED_PATHS)
        elif text.partition('=')[0].strip() == 'systempaths':
            raise ValueError('%r: systempaths takes only "unconfined"'
                             % (value,))
        else:
            options.append(value)
    return options, fields


def host_config_fields(props):
    """Host config fields the SDK's ``create_host_config`` cannot set."""
    return security_options(props.get(SECURITY_OPT))[1]


def _set(target, key, value):
    # Leave unset values out so Docker's own defaults apply.
    if value not in (None, '', [], {}):
        target[key] = value


def create_kwargs(props):
    """Arguments of ``create_container_config`` (everything but host)."""
    _, targets = binds(props.get(VOLUMES), props.get(MOUNTS))
    kwargs = {'image': props[IMAGE],
              'command': [str(c) for c in props.get(CMD) or []] or None,
              'tty': bool(props.get(TTY)),
              'stdin_open': bool(props.get(OPEN_STDIN))}
    _set(kwargs, 'hostname', props.get(HOSTNAME))
    _set(kwargs, 'user', props.get(USER))
    _set(kwargs, 'environment', [str(e) for e in props.get(ENV) or []])
    _set(kwargs, 'labels', props.get(LABELS))
    _set(kwargs, 'ports', exposed_ports(props.get(PORT_SPECS),
                                        props.get(PORT_BINDINGS)))
    _set(kwargs, 'volumes', targets)
    _set(kwargs, 'healthcheck', healthcheck(props.get(HEALTHCHECK)))
    if props.get(STOP_TIMEOUT) is not None:
        kwargs['stop_timeout'] = props[STOP_TIMEOUT]
    return kwargs


def host_config_kwargs(props):
    """Arguments of ``create_host_config``."""
    bind_list, _ = binds(props.get(VOLUMES), props.get(MOUNTS))
    kwargs = {'privileged': bool(props.get(PRIVILEGED)),
              'read_only': bool(props.get(READ_ONLY))}
    _set(kwargs, 'binds', bind_list)
    _set(kwargs, 'port_bindings', port_bindings(props.get(PORT_BINDINGS)))
    _set(kwargs, 'links', props.get(LINKS))
    _set(kwargs, 'dns', props.get(DNS))
    _set(kwargs, 'volumes_from', props.get(VOLUMES_FROM))
    _set(kwargs, 'restart_policy', restart_policy(props.get(RESTART_POLICY)))
    _set(kwargs, 'mem_limit', props.get(MEMORY))
    _set(kwargs, 'mem_reservation', props.get(MEMORY_RESERVATION))
    _set(kwargs, 'memswap_limit', props.get(MEMORY_SWAP))
    _set(kwargs, 'cpu_shares', props.get(CPU_SHARES))
    _set(kwargs, 'cpuset_cpus', props.get(CPU_SET))
    _set(kwargs, 'cpu_quota', props.get(CPU_QUOTA))
    _set(kwargs, 'cpu_period', props.get(CPU_PERIOD))
    _set(kwargs, 'cap_add', props.get(CAP_ADD))
    _set(kwargs, 'cap_drop', props.get(CAP_DROP))
    _set(kwargs, 'security_opt',
         security_options(props.get(SECURITY_OPT))[0])
    # A privileged container sees every device already; Docker rejects
    # explicit devices next to it on some versions.
    if not props.get(PRIVILEGED):
        _set(kwargs, 'devices', devices(props.get(DEVICES)))
    _set(kwargs, 'device_cgroup_rules', props.get(DEVICE_CGROUP_RULES))
    if props.get(LOG_DRIVER):
        kwargs['log_config'] = {'type': props[LOG_DRIVER],
                                'config': dict(props.get(LOG_OPTIONS) or {})}
    nets = endpoints(props.get(NETWORKS))
    if nets:
        # The first network replaces the default bridge; the others are
        # connected before start (API 1.41 takes one endpoint at create).
        kwargs['network_mode'] = nets[0][0]
    return kwargs


def update_kwargs(new_props):
    """Arguments of ``update_container`` for the in-place properties.

    Everything updatable is sent, not only what changed: Docker checks the
    limits against each other, so a consistent set avoids refusals such as
    a memory limit above the old swap limit.
    """
    kwargs = {}
    _set(kwargs, 'restart_policy',
         restart_policy(new_props.get(RESTART_POLICY)) or {RESTART_NAME: 'no'})
    memory = new_props.get(MEMORY)
    _set(kwargs, 'mem_limit', memory)
    _set(kwargs, 'memswap_limit',
         swap_for(memory, new_props.get(MEMORY_SWAP)))
    _set(kwargs, 'mem_reservation', new_props.get(MEMORY_RESERVATION))
    _set(kwargs, 'cpu_shares', new_props.get(CPU_SHARES))
    _set(kwargs, 'cpuset_cpus', new_props.get(CPU_SET))
    _set(kwargs, 'cpu_quota', new_props.get(CPU_QUOTA))
    _set(kwargs, 'cpu_period', new_props.get(CPU_PERIOD))
    return kwargs


def needs_replacement(changed, before, after):
    """True when an in-place change would remove a limit Docker keeps."""
    return any(before.get(k) and not after.get(k)
               for k in changed if k in REMOVABLE_ONLY_BY_REPLACEMENT)


def holds_fixed_resources(props):
    """True when the container has static IPs or fixed host ports.

    Its replacement cannot start while it holds them.
    """
    if any(kwargs.get('ipv4_address')
           for _, kwargs in endpoints(props.get(NETWORKS))):
        return True
    for value in port_bindings(props.get(PORT_BINDINGS)).values():
        for binding in value if isinstance(value, list) else [value]:
            if isinstance(binding, int) or (
                    isinstance(binding, tuple) and len(binding) == 2):
                return True
    return False


def host_ports(ports):
    """NetworkSettings.Ports -> {'80/tcp': [32768]} (published ports only).

    IPv4 and IPv6 bindings of one port usually share the host port, which
    is then listed once; in binding order, so an IPv4 port comes first.
    """
    result = {}
    for key, bindings in (ports or {}).items():
        found = []
        for binding in bindings or []:
            port = binding.get('HostPort')
            if port and int(port) not in found:
                found.append(int(port))
        if found:
            result[key] = found
    return result


def ports_by_protocol(ports, protocol):
    """Comma-separated published host ports of one protocol."""
    published = host_ports(ports)
    return ','.join(str(p) for key in sorted(published)
                    if key.endswith('/' + protocol)
                    for p in published[key])


def log_lines(logs):
    """Container logs (bytes) -> text lines without the trailing blank."""
    if isinstance(logs, bytes):
        logs = logs.decode('utf-8', 'replace')
    return (logs or '').splitlines()
