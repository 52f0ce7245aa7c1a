#!/bin/bash
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
#
# Neutron for the one-machine cloud: ML2 with the Open vSwitch mechanism
# driver over Open vSwitch's userspace datapath (the kernel here has no
# Open vSwitch module), and the OVS, DHCP, L3 and metadata agents.
#
#   neutron-api               neutron.wsgi.api under gunicorn, port 9696
#   neutron-rpc-server        the plugin's RPC workers (agents talk to it)
#   neutron-periodic-workers  agent liveness, DHCP/L3 rescheduling
#   neutron-openvswitch-agent br-int/br-tun/br-ex flows, security groups
#   neutron-dhcp-agent        dnsmasq per network in qdhcp-* namespaces
#   neutron-l3-agent          routers, SNAT, floating IPs (qrouter-*)
#   neutron-metadata-agent    proxies instances' metadata requests to
#                             Nova's metadata API at 127.0.0.1:8775
#
# Sourced by tools/cloud.sh after tools/cloud/lib/common.sh; the
# functions below are its interface (neutron_install, _configure,
# _register, _start, _stop, _status, _create_networks).
# shellcheck disable=SC2034  # some variables are read by other parts

if ! declare -F process_start >/dev/null; then
    # shellcheck source=tools/cloud/lib/common.sh
    source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
fi

NEUTRON_CONF_DIR=/etc/neutron
NEUTRON_CONF=$NEUTRON_CONF_DIR/neutron.conf
NEUTRON_ML2_CONF=$NEUTRON_CONF_DIR/plugins/ml2/ml2_conf.ini
NEUTRON_DATA_DIR=$DATA_DIR/neutron
NEUTRON_PORT=${NEUTRON_PORT:-9696}
NEUTRON_URL=http://$SERVICE_HOST:$NEUTRON_PORT
# keystone, or noauth to run Neutron on its own (no token checks, no
# notifications to Nova).
NEUTRON_AUTH_STRATEGY=${NEUTRON_AUTH_STRATEGY:-keystone}
# openvswitch needs conntrack in the datapath: the userspace datapath has
# its own (ovs-appctl dpif/show-dp-features br-int says "CT state: Yes"),
# so security groups are enforced by OpenFlow rules on br-int.
NEUTRON_FIREWALL_DRIVER=${NEUTRON_FIREWALL_DRIVER:-openvswitch}
NOVA_METADATA_HOST=${NOVA_METADATA_HOST:-127.0.0.1}
NOVA_METADATA_PORT=${NOVA_METADATA_PORT:-8775}

# DevStack's names and addresses.
PUBLIC_BRIDGE=${PUBLIC_BRIDGE:-br-ex}
PUBLIC_PHYSICAL_NETWORK=${PUBLIC_PHYSICAL_NETWORK:-public}
PUBLIC_NETWORK_NAME=${PUBLIC_NETWORK_NAME:-public}
PUBLIC_SUBNET_NAME=${PUBLIC_SUBNET_NAME:-public-subnet}
FLOATING_RANGE=${FLOATING_RANGE:-172.24.4.0/24}
PUBLIC_NETWORK_GATEWAY=${PUBLIC_NETWORK_GATEWAY:-172.24.4.1}
PRIVATE_NETWORK_NAME=${PRIVATE_NETWORK_NAME:-private}
PRIVATE_SUBNET_NAME=${PRIVATE_SUBNET_NAME:-private-subnet}
FIXED_RANGE=${FIXED_RANGE:-10.0.0.0/26}
NETWORK_GATEWAY=${NETWORK_GATEWAY:-10.0.0.1}
Q_ROUTER_NAME=${Q_ROUTER_NAME:-router1}
DEMO_PROJECT=${DEMO_PROJECT:-demo}

# The agents, and every Neutron process, in start order.
NEUTRON_AGENTS=(neutron-openvswitch-agent neutron-dhcp-agent neutron-l3-agent
                neutron-metadata-agent)
NEUTRON_PROCESSES=(neutron-rpc-server neutron-api neutron-periodic-workers
                   "${NEUTRON_AGENTS[@]}")

# neutron_metadata_secret: the secret the metadata agent signs instance
# ids with; Nova's [neutron] metadata_proxy_shared_secret must match it.
# NEUTRON_METADATA_SECRET wins; otherwise it is kept in the cloud's
# secrets file, where the Nova part reads it the same way.
neutron_metadata_secret() {
    if [ -n "${NEUTRON_METADATA_SECRET:-}" ]; then
        echo "$NEUTRON_METADATA_SECRET"
    else
        cloud_secret METADATA_PROXY_SHARED_SECRET
    fi
}

# neutron_install: the Debian tools the agents run (dnsmasq for DHCP and
# dhcp_release to end the leases of deleted ports, haproxy for the
# metadata proxy in namespaces, arping and conntrack for the L3 agent) and
# Neutron itself.
neutron_install() {
    local missing=()
    command -v ovs-vsctl >/dev/null || missing+=(openvswitch-switch)
    command -v dnsmasq >/dev/null || missing+=(dnsmasq-base)
    command -v dhcp_release >/dev/null || missing+=(dnsmasq-utils)
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v arping >/dev/null || missing+=(iputils-arping)
    command -v conntrack >/dev/null || missing+=(conntrack)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
    if [ ! -x "$VENV/bin/neutron-rpc-server" ]; then
        log "installing neutron into $VENV"
        "$VENV/bin/pip" install -q neutron PyMySQL "SQLAlchemy>=2.0,<2.1"
    fi
}

# _neutron_write FILE: stdin becomes FILE unless it already says the same
# (a second `up` leaves the files and their times alone).
_neutron_write() {
    local file=$1 tmp
    mkdir -p "$(dirname "$file")"
    tmp=$(mktemp)
    cat >"$tmp"
    if cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
    else
        mv "$tmp" "$file"
        chmod 640 "$file"
    fi
}

# _neutron_keystone_section GROUP USER: a keystoneauth password section.
_neutron_keystone_section() {
    cat <<EOF
[$1]
auth_type = password
auth_url = $KEYSTONE_URL
username = $2
password = ${SERVICE_PASSWORD:-secret}
user_domain_name = Default
project_name = service
project_domain_name = Default
region_name = $REGION_NAME
EOF
}

_neutron_conf() {
    local notify=True privsep section
    [ "$NEUTRON_AUTH_STRATEGY" = keystone ] || notify=False
    cat <<EOF
# Generated by tools/cloud.sh (tools/cloud/lib/neutron.sh).
[DEFAULT]
core_plugin = ml2
service_plugins = router
auth_strategy = $NEUTRON_AUTH_STRATEGY
transport_url = $TRANSPORT_URL
state_path = $NEUTRON_DATA_DIR
host = $(hostname)
allow_overlapping_ips = True
# Tell Nova when a port goes up or down (network-vif-plugged events).
notify_nova_on_port_status_changes = $notify
notify_nova_on_port_data_changes = $notify
# Two cores: one worker of each kind.
rpc_workers = 1
rpc_state_report_workers = 1
api_workers = 1
debug = False

[database]
connection = $(database_url neutron)

[oslo_concurrency]
lock_path = $NEUTRON_DATA_DIR/lock

[oslo_messaging_notifications]
driver = noop

[agent]
# The agents run as root; commands still go through rootwrap (one
# long-lived daemon) as DevStack does, privsep helpers start directly.
root_helper = $VENV/bin/neutron-rootwrap $NEUTRON_CONF_DIR/rootwrap.conf
root_helper_daemon = $VENV/bin/neutron-rootwrap-daemon $NEUTRON_CONF_DIR/rootwrap.conf
report_interval = 30

EOF
    # Every privsep context of Neutron; rootwrap's filter only knows the
    # default one, and as root no sudo/rootwrap is needed in front.
    privsep="$VENV/bin/privsep-helper --config-file $NEUTRON_CONF"
    for section in privsep privsep_dhcp_release privsep_ovs_vsctl \
            privsep_namespace privsep_conntrack privsep_link; do
        printf '[%s]\nhelper_command = %s\n\n' "$section" "$privsep"
    done
    if [ "$NEUTRON_AUTH_STRATEGY" = keystone ]; then
        cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_URL
auth_type = password
auth_url = $KEYSTONE_URL
username = neutron
password = ${SERVICE_PASSWORD:-secret}
user_domain_name = Default
project_name = service
project_domain_name = Default
service_token_roles_required = True

EOF
        _neutron_keystone_section nova nova
        echo
        _neutron_keystone_section placement placement
    fi
}

_neutron_ml2_conf() {
    cat <<EOF
# Generated by tools/cloud.sh (tools/cloud/lib/neutron.sh).
[ml2]
type_drivers = flat,vxlan
# Project networks are VXLAN segments: on one host they never leave br-int
# (no tunnel peers), which is all a single machine needs.
tenant_network_types = vxlan
mechanism_drivers = openvswitch
extension_drivers = port_security

[ml2_type_flat]
flat_networks = $PUBLIC_PHYSICAL_NETWORK

[ml2_type_vxlan]
vni_ranges = 1:1000

[securitygroup]
firewall_driver = $NEUTRON_FIREWALL_DRIVER
enable_security_group = True
EOF
}

_neutron_ovs_agent_conf() {
    cat <<EOF
# Generated by tools/cloud.sh (tools/cloud/lib/neutron.sh).
[ovs]
# The userspace datapath: every bridge the agent creates gets it too.
datapath_type = netdev
integration_bridge = br-int
tunnel_bridge = br-tun
local_ip = 127.0.0.1
bridge_mappings = $PUBLIC_PHYSICAL_NETWORK:$PUBLIC_BRIDGE

[agent]
tunnel_types = vxlan

[securitygroup]
firewall_driver = $NEUTRON_FIREWALL_DRIVER
enable_security_group = True
EOF
}

# The DHCP and L3 agents put their ports into namespaces through veth
# pairs (ovs_use_veth): an internal port of the userspace datapath is a
# tap device that ovs-vswitchd reads in its own namespace, so it must not
# move; a veth's bridge end stays on the host and only its peer moves.
_neutron_dhcp_agent_conf() {
    cat <<EOF
# Generated by tools/cloud.sh (tools/cloud/lib/neutron.sh).
[DEFAULT]
interface_driver = openvswitch
ovs_use_veth = True
dhcp_driver = neutron.agent.linux.dhcp.Dnsmasq
enable_isolated_metadata = True
dnsmasq_local_resolv = False

[ovs]
integration_bridge = br-int
EOF
}

_neutron_l3_agent_conf() {
    cat <<EOF
# Generated by tools/cloud.sh (tools/cloud/lib/neutron.sh).
[DEFAULT]
interface_driver = openvswitch
ovs_use_veth = True
agent_mode = legacy

[ovs]
integration_bridge = br-int
EOF
}

_neutron_metadata_agent_conf() {
    cat <<EOF
# Generated by tools/cloud.sh (tools/cloud/lib/neutron.sh).
[DEFAULT]
nova_metadata_host = $NOVA_METADATA_HOST
nova_metadata_port = $NOVA_METADATA_PORT
metadata_proxy_shared_secret = $(neutron_metadata_secret)
metadata_workers = 1
EOF
}

# _neutron_rootwrap_conf: the wheel's rootwrap.conf, looking for
# commands in the virtualenv too (privsep-helper, neutron-* helpers).
_neutron_rootwrap_conf() {
    sed -e "s|^filters_path=.*|filters_path=$NEUTRON_CONF_DIR/rootwrap.d|" \
        -e "s|^exec_dirs=.*|exec_dirs=$VENV/bin,/sbin,/usr/sbin,/bin,/usr/bin,/usr/local/bin,/usr/local/sbin|" \
        "$VENV/etc/neutron/rootwrap.conf"
}

# neutron_configure: /etc/neutron and the database (created and migrated
# when missing or behind).
neutron_configure() {
    mkdir -p "$NEUTRON_CONF_DIR/rootwrap.d" "$NEUTRON_DATA_DIR/lock" "$LOG_DIR" "$RUN_DIR"
    _neutron_write "$NEUTRON_CONF" < <(_neutron_conf)
    _neutron_write "$NEUTRON_ML2_CONF" < <(_neutron_ml2_conf)
    _neutron_write "$NEUTRON_CONF_DIR/plugins/ml2/openvswitch_agent.ini" \
        < <(_neutron_ovs_agent_conf)
    _neutron_write "$NEUTRON_CONF_DIR/dhcp_agent.ini" < <(_neutron_dhcp_agent_conf)
    _neutron_write "$NEUTRON_CONF_DIR/l3_agent.ini" < <(_neutron_l3_agent_conf)
    _neutron_write "$NEUTRON_CONF_DIR/metadata_agent.ini" < <(_neutron_metadata_agent_conf)
    _neutron_write "$NEUTRON_CONF_DIR/api-paste.ini" <"$VENV/etc/neutron/api-paste.ini"
    _neutron_write "$NEUTRON_CONF_DIR/rootwrap.conf" < <(_neutron_rootwrap_conf)
    _neutron_write "$NEUTRON_CONF_DIR/rootwrap.d/rootwrap.filters" \
        <"$VENV/etc/neutron/rootwrap.d/rootwrap.filters"
    database_create neutron >/dev/null
    # Migrate once per installed Neutron version (upgrade is idempotent
    # but takes a while to find out that there is nothing to do).
    local stamp=$NEUTRON_DATA_DIR/db-version version
    version=$("$VENV/bin/python" -c \
        'import importlib.metadata as m; print(m.version("neutron"))')
    if [ "$(cat "$stamp" 2>/dev/null)" != "$version" ]; then
        log "neutron: migrating the database"
        "$VENV/bin/neutron-db-manage" --config-file "$NEUTRON_CONF" \
            --config-file "$NEUTRON_ML2_CONF" upgrade heads \
            >>"$LOG_DIR/neutron-db-manage.log" 2>&1
        echo "$version" >"$stamp"
    fi
}

# _neutron_register_service NAME TYPE DESCRIPTION: create a Keystone service
# unless one of that name exists.
_neutron_register_service() {
    if ! openstack_admin service show "$1" >/dev/null 2>&1; then
        openstack_admin service create --name "$1" --description "$3" "$2" >/dev/null
    fi
}

# neutron_register: the neutron service user (admin in the service
# project) and the network service's endpoints in Keystone.
neutron_register() {
    [ "$NEUTRON_AUTH_STRATEGY" = keystone ] || return 0
    local iface
    if ! openstack_admin user show --domain Default neutron >/dev/null 2>&1; then
        log "keystone: creating user neutron"
        openstack_admin user create --domain Default \
            --password "${SERVICE_PASSWORD:-secret}" neutron >/dev/null
    fi
    openstack_admin role add --project service --user neutron admin
    openstack_admin role add --project service --user neutron service 2>/dev/null || true
    _neutron_register_service neutron network "Neutron Service"
    for iface in public internal admin; do
        if [ -z "$(openstack_admin endpoint list --service network \
                --interface "$iface" --region "$REGION_NAME" -f value -c ID)" ]; then
            openstack_admin endpoint create --region "$REGION_NAME" \
                network "$iface" "$NEUTRON_URL" >/dev/null
        fi
    done
}

# neutron_openvswitch: ovsdb-server and ovs-vswitchd running, with
# userspace TSO on. That setting makes ovs-vswitchd read and write veth
# devices with virtio-net headers, so it learns which packets still need
# their checksum and fills it in; without it, TCP from a namespace behind a
# veth pair (instances, the routers' metadata proxy) arrives with a bad
# checksum and is dropped (ICMP and DHCP still pass, which hides it).
neutron_openvswitch() {
    local ctl=/usr/share/openvswitch/scripts/ovs-ctl
    if ! ovs-vsctl --timeout 5 show >/dev/null 2>&1; then
        log "starting openvswitch"
        "$ctl" start --system-id=random --no-monitor >>"$LOG_DIR/openvswitch.log" 2>&1
    fi
    if [ "$(ovs-vsctl --timeout 5 get Open_vSwitch . \
            other_config:userspace-tso-enable 2>/dev/null)" != '"true"' ]; then
        log "openvswitch: enabling userspace TSO (restarts ovs-vswitchd)"
        ovs-vsctl set Open_vSwitch . other_config:userspace-tso-enable=true
        "$ctl" restart --no-ovsdb-server --system-id=random --no-monitor \
            >>"$LOG_DIR/openvswitch.log" 2>&1
    fi
}

# neutron_bridges: br-int (the agent would make it too) and br-ex, the
# public network's bridge, carrying the public network's gateway address
# so that this host reaches routers and floating IPs.
neutron_bridges() {
    local prefix=${FLOATING_RANGE#*/}
    ovs-vsctl --may-exist add-br br-int -- set bridge br-int datapath_type=netdev
    ovs-vsctl --may-exist add-br "$PUBLIC_BRIDGE" \
        -- set bridge "$PUBLIC_BRIDGE" datapath_type=netdev
    ip link set "$PUBLIC_BRIDGE" up
    if ! ip -4 addr show dev "$PUBLIC_BRIDGE" | grep -q " $PUBLIC_NETWORK_GATEWAY/"; then
        ip addr add "$PUBLIC_NETWORK_GATEWAY/$prefix" dev "$PUBLIC_BRIDGE"
    fi
}

_neutron_agent_start() {
    local name=$1
    shift
    process_start "$name" env PATH="$VENV/bin:$PATH" "$VENV/bin/$name" \
        --config-file "$NEUTRON_CONF" "$@"
}

# neutron_start: the server side first (it must answer before the agents
# report in), then the agents.
neutron_start() {
    neutron_openvswitch
    neutron_bridges
    _neutron_agent_start neutron-rpc-server --config-file "$NEUTRON_ML2_CONF"
    gunicorn_start neutron-api neutron.wsgi.api "$NEUTRON_PORT" \
        OS_NEUTRON_CONFIG_DIR="$NEUTRON_CONF_DIR"
    _neutron_agent_start neutron-periodic-workers --config-file "$NEUTRON_ML2_CONF"
    wait_for_url "$NEUTRON_URL/"
    _neutron_agent_start neutron-openvswitch-agent \
        --config-file "$NEUTRON_CONF_DIR/plugins/ml2/openvswitch_agent.ini"
    _neutron_agent_start neutron-dhcp-agent --config-file "$NEUTRON_CONF_DIR/dhcp_agent.ini"
    _neutron_agent_start neutron-l3-agent --config-file "$NEUTRON_CONF_DIR/l3_agent.ini"
    _neutron_agent_start neutron-metadata-agent \
        --config-file "$NEUTRON_CONF_DIR/metadata_agent.ini"
}

# _neutron_kill_children: dnsmasq and haproxy detach from the agents that
# start them; their pid files are under the state path.
_neutron_kill_children() {
    local pidfile pid
    for pidfile in "$NEUTRON_DATA_DIR"/dhcp/*/pid "$NEUTRON_DATA_DIR"/external/pids/*.pid*; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
}

# neutron_stop: every Neutron process and what the agents spawned. The
# namespaces, bridges and flows stay: the agents pick them up again.
neutron_stop() {
    local index
    for ((index = ${#NEUTRON_PROCESSES[@]} - 1; index >= 0; index--)); do
        process_stop "${NEUTRON_PROCESSES[$index]}"
    done
    _neutron_kill_children
}

# neutron_status: each process; the API whether it answers; the agents
# whether the server sees them alive.
neutron_status() {
    local name
    process_status neutron-api "$NEUTRON_URL/"
    process_status neutron-rpc-server
    process_status neutron-periodic-workers
    for name in "${NEUTRON_AGENTS[@]}"; do
        process_status "$name"
    done
}

# _neutron_os ARGS...: the CLI as admin, or without Keystone when Neutron
# runs with noauth.
_neutron_os() {
    if [ "$NEUTRON_AUTH_STRATEGY" = keystone ]; then
        openstack_admin "$@"
    else
        "$VENV/bin/openstack" --os-auth-type none --os-endpoint "$NEUTRON_URL" \
            --os-network-api-version 2 "$@"
    fi
}

# _neutron_id KIND NAME [ARGS...]: the id of a named resource, empty when
# there is none.
_neutron_id() {
    local kind=$1 name=$2
    shift 2
    _neutron_os "$kind" list "$@" --name "$name" -f value -c ID 2>/dev/null | head -1
}

# neutron_wait_agents [SECONDS]: until the OVS, DHCP, L3 and metadata
# agents of this host report alive.
neutron_wait_agents() {
    local timeout=${1:-120} alive
    for _ in $(seq 1 "$timeout"); do
        alive=$(_neutron_os network agent list -f value -c Alive 2>/dev/null |
            grep -ci true || true)
        [ "$alive" -ge 4 ] && return 0
        sleep 1
    done
    log "neutron: the agents did not all report in within ${timeout}s"
    _neutron_os network agent list >&2 || true
    return 1
}

# _neutron_sg_rule PROJECT_ID PROTO [PORT]: an ingress rule in the
# project's default security group, unless it is there already.
_neutron_sg_rule() {
    local project=$1 proto=$2 port=${3:-} sg args=()
    sg=$(_neutron_os security group list --project "$project" -f value -c ID -c Name |
        awk '$2 == "default" {print $1; exit}')
    [ -n "$sg" ] || return 1
    args=(--ingress --ethertype IPv4 --protocol "$proto" --remote-ip 0.0.0.0/0)
    [ -n "$port" ] && args+=(--dst-port "$port")
    # Rules from anywhere (not from the group's own members) that match.
    if _neutron_os security group rule list "$sg" --ingress --protocol "$proto" -f value \
            -c "IP Protocol" -c "IP Range" -c "Port Range" -c "Remote Security Group" |
            awk -v proto="$proto" -v ports="${port:+$port:$port}" '
                $1 == proto && $2 == "0.0.0.0/0" && $NF == "None" &&
                (ports == "" ? NF == 3 : $3 == ports) {found = 1}
                END {exit !found}'; then
        return 0
    fi
    _neutron_os security group rule create "${args[@]}" "$sg" >/dev/null
}

# neutron_create_networks: DevStack's layout. `public` (external, flat on
# br-ex, 172.24.4.0/24, gateway on br-ex itself), the demo project's
# `private` (10.0.0.0/26), `router1` between them, and ICMP and SSH
# allowed into demo's default security group.
neutron_create_networks() {
    local demo public private subnet router
    neutron_wait_agents 120
    if [ "$NEUTRON_AUTH_STRATEGY" = keystone ]; then
        demo=$(openstack_admin project show "$DEMO_PROJECT" -f value -c id)
    else
        demo=${DEMO_PROJECT_ID:-$DEMO_PROJECT}
    fi

    public=$(_neutron_id network "$PUBLIC_NETWORK_NAME")
    if [ -z "$public" ]; then
        log "neutron: creating network $PUBLIC_NETWORK_NAME"
        public=$(_neutron_os network create --external --share \
            --provider-network-type flat \
            --provider-physical-network "$PUBLIC_PHYSICAL_NETWORK" \
            -f value -c id "$PUBLIC_NETWORK_NAME")
    fi
    if [ -z "$(_neutron_id subnet "$PUBLIC_SUBNET_NAME")" ]; then
        _neutron_os subnet create --network "$public" --subnet-range "$FLOATING_RANGE" \
            --gateway "$PUBLIC_NETWORK_GATEWAY" --no-dhcp \
            "$PUBLIC_SUBNET_NAME" >/dev/null
    fi

    private=$(_neutron_id network "$PRIVATE_NETWORK_NAME" --project "$demo")
    if [ -z "$private" ]; then
        log "neutron: creating network $PRIVATE_NETWORK_NAME for $DEMO_PROJECT"
        private=$(_neutron_os network create --project "$demo" -f value -c id \
            "$PRIVATE_NETWORK_NAME")
    fi
    subnet=$(_neutron_id subnet "$PRIVATE_SUBNET_NAME" --project "$demo")
    if [ -z "$subnet" ]; then
        subnet=$(_neutron_os subnet create --project "$demo" --network "$private" \
            --subnet-range "$FIXED_RANGE" --gateway "$NETWORK_GATEWAY" \
            -f value -c id "$PRIVATE_SUBNET_NAME")
    fi

    router=$(_neutron_id router "$Q_ROUTER_NAME" --project "$demo")
    if [ -z "$router" ]; then
        log "neutron: creating $Q_ROUTER_NAME"
        router=$(_neutron_os router create --project "$demo" -f value -c id \
            "$Q_ROUTER_NAME")
    fi
    if [ -z "$(_neutron_os port list --router "$router" --fixed-ip "subnet=$subnet" \
            -f value -c ID)" ]; then
        _neutron_os router add subnet "$router" "$subnet"
    fi
    if [ "$(_neutron_os router show "$router" -f value -c external_gateway_info)" = None ]; then
        _neutron_os router set --external-gateway "$public" "$router"
    fi

    _neutron_sg_rule "$demo" icmp
    _neutron_sg_rule "$demo" tcp 22
}
