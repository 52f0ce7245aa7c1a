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
# Checks the cloud's networking without Nova: two ports on the demo
# project's `private` network, each plugged into its own network namespace
# the way os-vif plugs an instance (a veth whose host end is tap<port id>
# on br-int, with the port's external ids), then:
#   - both ports go ACTIVE (the OVS agent bound them),
#   - each namespace gets its port's address by DHCP (dnsmasq),
#   - the two ping each other and the router's address,
#   - the router's metadata proxy answers HTTP (200 needs Nova's metadata
#     API and an instance Nova knows; any answer proves the path),
#   - the host pings a floating IP of the first and reaches TCP port 22
#     on it (security group rule, DNAT in the router).
# Everything it creates is removed at the end, also on failure.
#
#   tools/cloud/lib/neutron_smoke.sh      (as root, with the cloud up)
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
# shellcheck source=tools/lib/services.sh
source tools/lib/services.sh
# shellcheck source=tools/cloud/lib/common.sh
source tools/cloud/lib/common.sh
# shellcheck source=tools/cloud/lib/neutron.sh
source tools/cloud/lib/neutron.sh

SMOKE=neutron-smoke
SMOKE_DIR=$(mktemp -d)
ports=()
namespaces=()
fip=

# Debian's minimal images have no ping; busybox's does the same here.
ping() {
    busybox ping "$@"
}

fail() {
    log "FAIL: $*"
    exit 1
}

cleanup() {
    local index port
    set +e
    [ -n "$fip" ] && _neutron_os floating ip delete "$fip" >/dev/null 2>&1
    for index in "${!ports[@]}"; do
        port=${ports[$index]}
        ovs-vsctl --if-exists del-port br-int "$(tap_name "$port")"
        ip link del "$(tap_name "$port")" 2>/dev/null
        _neutron_os port delete "$port" >/dev/null 2>&1
    done
    for index in "${!namespaces[@]}"; do
        ip netns pids "${namespaces[$index]}" 2>/dev/null | xargs -r kill 2>/dev/null
        ip netns del "${namespaces[$index]}" 2>/dev/null
    done
    rm -rf "$SMOKE_DIR"
}
trap cleanup EXIT

# Nova names an instance's host device tap<first 11 characters of the
# port id>, which is also what the OVS agent expects.
tap_name() {
    echo "tap${1:0:11}"
}

port_field() {
    _neutron_os port show "$1" -f value -c "$2"
}

# plug PORT NS: the veth pair, its namespace end renamed eth0 with the
# port's MAC, its host end on br-int with the external ids the agent
# looks for (what os-vif's ovs plugin sets).
plug() {
    local port=$1 ns=$2 tap mac device
    tap=$(tap_name "$port")
    mac=$(port_field "$port" mac_address)
    device=$(port_field "$port" device_id)
    ip netns add "$ns"
    namespaces+=("$ns")
    ip link add "$tap" type veth peer name "${tap/tap/nsp}"
    ip link set "${tap/tap/nsp}" netns "$ns"
    ip netns exec "$ns" ip link set "${tap/tap/nsp}" name eth0
    ip netns exec "$ns" ip link set eth0 address "$mac" up
    ip netns exec "$ns" ip link set lo up
    ip link set "$tap" up
    ovs-vsctl -- --may-exist add-port br-int "$tap" \
        -- set Interface "$tap" external-ids:iface-id="$port" \
        external-ids:iface-status=active external-ids:attached-mac="$mac" \
        external-ids:vm-uuid="$device"
}

wait_active() {
    local port=$1 status=
    for _ in $(seq 1 90); do
        status=$(port_field "$port" status)
        [ "$status" = ACTIVE ] && return 0
        sleep 1
    done
    fail "port $port is $status, not ACTIVE"
}

# dhcp NS: ask for a lease with busybox's udhcpc; its script records the
# offer and configures the address and the default route.
dhcp() {
    local ns=$1 script=$SMOKE_DIR/udhcpc.script
    cat >"$script" <<'EOF'
#!/bin/sh
case "$1" in
    bound|renew)
        echo "$ip" >"$LEASE_FILE"
        ip addr flush dev "$interface"
        ip addr add "$ip/$mask" dev "$interface"
        [ -n "$router" ] && ip route replace default via "${router%% *}"
        ;;
esac
exit 0
EOF
    chmod +x "$script"
    LEASE_FILE=$SMOKE_DIR/$ns.lease ip netns exec "$ns" busybox udhcpc -i eth0 -n -q \
        -t 10 -T 2 -s "$script" >"$SMOKE_DIR/$ns.udhcpc.log" 2>&1 ||
        fail "no DHCP lease in $ns: $(cat "$SMOKE_DIR/$ns.udhcpc.log")"
    cat "$SMOKE_DIR/$ns.lease"
}

main() {
    local demo private subnet port ip index ns addresses=() router_ip public code
    if [ "$NEUTRON_AUTH_STRATEGY" = keystone ]; then
        demo=$(openstack_admin project show "$DEMO_PROJECT" -f value -c id)
    else
        demo=${DEMO_PROJECT_ID:-$DEMO_PROJECT}
    fi
    private=$(_neutron_id network "$PRIVATE_NETWORK_NAME" --project "$demo")
    subnet=$(_neutron_id subnet "$PRIVATE_SUBNET_NAME" --project "$demo")
    public=$(_neutron_id network "$PUBLIC_NETWORK_NAME")
    if [ -z "$private" ] || [ -z "$public" ]; then
        fail "run neutron_create_networks first"
    fi
    router_ip=$(_neutron_os subnet show "$subnet" -f value -c gateway_ip)

    for index in 1 2; do
        port=$(_neutron_os port create --project "$demo" --network "$private" \
            --device-owner compute:nova --device "$(cat /proc/sys/kernel/random/uuid)" \
            --host "$(hostname)" -f value -c id "$SMOKE-$index")
        ports+=("$port")
        plug "$port" "$SMOKE-$index"
    done
    for index in 0 1; do
        wait_active "${ports[$index]}"
        log "port ${ports[$index]} is ACTIVE"
    done
    for index in 0 1; do
        ns=$SMOKE-$((index + 1))
        ip=$(dhcp "$ns")
        [ "$ip" = "$(port_field "${ports[$index]}" fixed_ips |
            sed -n "s/.*'ip_address': '\([^']*\)'.*/\1/p")" ] ||
            fail "$ns got $ip by DHCP, not its port's address"
        addresses+=("$ip")
        log "$ns got $ip by DHCP"
    done

    ip netns exec "$SMOKE-1" busybox ping -c 2 -W 2 "${addresses[1]}" >/dev/null ||
        fail "$SMOKE-1 does not reach ${addresses[1]}"
    log "$SMOKE-1 pings $SMOKE-2 (${addresses[1]})"
    for index in 1 2; do
        ip netns exec "$SMOKE-$index" busybox ping -c 2 -W 2 "$router_ip" >/dev/null ||
            fail "$SMOKE-$index does not reach the router at $router_ip"
    done
    log "both namespaces ping the router at $router_ip"

    # The router's metadata proxy (haproxy in its namespace, then the
    # metadata agent, then Nova's metadata API): any HTTP answer shows the
    # TCP path works; it is 200 only when Nova knows the instance.
    code=$(ip netns exec "$SMOKE-1" curl -s -o /dev/null -m 20 -w '%{http_code}' \
        http://169.254.169.254/openstack || true)
    if [ -z "$code" ] || [ "$code" = 000 ]; then
        fail "no answer from the metadata proxy at 169.254.169.254"
    fi
    log "the metadata proxy answers $SMOKE-1 (HTTP $code)"

    fip=$(_neutron_os floating ip create --project "$demo" --port "${ports[0]}" \
        -f value -c floating_ip_address "$public")
    log "floating IP $fip for ${addresses[0]}"
    for _ in $(seq 1 30); do
        ping -c 1 -W 1 "$fip" >/dev/null && break
    done
    ping -c 2 -W 2 "$fip" >/dev/null || fail "the host does not reach $fip"
    log "the host pings $fip"

    mkdir -p "$SMOKE_DIR/www"
    echo "$SMOKE" >"$SMOKE_DIR/www/index.html"
    ip netns exec "$SMOKE-1" busybox httpd -p 22 -h "$SMOKE_DIR/www"
    [ "$(curl -s -m 10 "http://$fip:22/")" = "$SMOKE" ] ||
        fail "no TCP answer from $fip:22"
    log "the host reaches TCP port 22 on $fip"
    log "PASS"
}

main "$@"
