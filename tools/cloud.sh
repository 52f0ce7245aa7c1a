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
# A one-machine OpenStack in DevStack's layout: Keystone, Glance,
# Placement, Nova (with nova_docker_driver), Neutron (when
# tools/cloud/lib/neutron.sh is present), Heat and magnum-lite, from the
# released packages in /opt/stack/venv, over the machine's RabbitMQ and
# MariaDB. See doc/source/admin/cloud.rst.
#
#   tools/cloud.sh up       install, configure and start what is missing
#   tools/cloud.sh down     stop every service (data and config are kept)
#   tools/cloud.sh status   each service and whether it answers (exit
#                           status 1 when one does not)
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
    echo "$0: run as root (the services use Docker, Open vSwitch and MariaDB's root)" >&2
    exit 1
fi
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=tools/lib/services.sh
source tools/lib/services.sh
# shellcheck source=tools/cloud/lib/common.sh
source tools/cloud/lib/common.sh
# shellcheck source=tools/cloud/lib/devstack_compat.sh
source tools/cloud/lib/devstack_compat.sh
# shellcheck source=tools/cloud/lib/keystone.sh
source tools/cloud/lib/keystone.sh
# shellcheck source=tools/cloud/lib/glance.sh
source tools/cloud/lib/glance.sh
# shellcheck source=tools/cloud/lib/placement.sh
source tools/cloud/lib/placement.sh
# shellcheck source=tools/cloud/lib/nova.sh
source tools/cloud/lib/nova.sh
# shellcheck source=tools/cloud/lib/images.sh
source tools/cloud/lib/images.sh
# shellcheck source=tools/cloud/lib/heat.sh
source tools/cloud/lib/heat.sh
# shellcheck source=tools/cloud/lib/magnum_lite.sh
source tools/cloud/lib/magnum_lite.sh

# CLOUD_NEUTRON=0 leaves Neutron out even when its part is present.
have_neutron=0
if [ "${CLOUD_NEUTRON:-1}" != 0 ] && [ -f tools/cloud/lib/neutron.sh ]; then
    # shellcheck source=/dev/null
    source tools/cloud/lib/neutron.sh
    have_neutron=1
fi

# Run from / so that `python -m heat_plugins...` and the like find the
# installed packages rather than this working tree.
cd /

# The service parts in start order (Neutron sits between Placement and
# Nova when present; Nova reads its catalog entry at boot time).
parts() {
    echo keystone glance placement
    [ "$have_neutron" = 1 ] && echo neutron
    echo nova heat magnum_lite
}

# ensure_openvswitch: ovsdb-server and ovs-vswitchd in the userspace
# datapath (the kernel has no Open vSwitch module).
ensure_openvswitch() {
    if ! ovs-vsctl --timeout 5 show >/dev/null 2>&1; then
        log "starting openvswitch"
        /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random \
            --no-monitor >>"$LOG_DIR/openvswitch.log" 2>&1
    fi
}

# ensure_cloud_packages: the Debian packages the services need.
ensure_cloud_packages() {
    local missing=()
    command -v dockerd >/dev/null || missing+=(docker.io)
    [ -x /bin/busybox ] || missing+=(busybox-static)
    command -v ip >/dev/null || missing+=(iproute2)
    command -v iptables >/dev/null || missing+=(iptables)
    command -v nsenter >/dev/null || missing+=(util-linux)
    command -v ovs-vsctl >/dev/null || missing+=(openvswitch-switch)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

ensure_base() {
    cloud_dirs
    ensure_cloud_packages
    ensure_dockerd
    ensure_rabbitmq
    ensure_mariadb
    ensure_openvswitch
    venv_install
    SERVICE_PASSWORD=$(cloud_secret SERVICE_PASSWORD)
    # The users' password: $ADMIN_PASSWORD or "secret" at the first `up`.
    ADMIN_PASSWORD=$(cloud_secret ADMIN_PASSWORD "${ADMIN_PASSWORD:-secret}")
}

cmd_up() {
    ensure_base
    keystone_install
    keystone_configure
    keystone_start
    keystone_accounts
    keystone_admin_env
    local part
    for part in $(parts); do
        [ "$part" = keystone ] && continue
        "${part}_install"
        "${part}_configure"
        if [ "$part" = neutron ] && declare -F neutron_register >/dev/null &&
                [ ! -f "$DATA_DIR/neutron/registered" ]; then
            neutron_register
            mkdir -p "$DATA_DIR/neutron"
            touch "$DATA_DIR/neutron/registered"
        fi
        "${part}_start"
        # DevStack's networks, once (the checks alone take a while).
        if [ "$part" = neutron ] && [ ! -f "$DATA_DIR/neutron/networks-created" ]; then
            neutron_create_networks
            mkdir -p "$DATA_DIR/neutron"
            touch "$DATA_DIR/neutron/networks-created"
        fi
    done
    images_upload
    log "the cloud is up; try: openstack --os-cloud devstack server list"
}

cmd_down() {
    local part reversed=()
    for part in $(parts); do
        reversed=("$part" "${reversed[@]}")
    done
    for part in "${reversed[@]}"; do
        "${part}_stop"
    done
}

cmd_status() {
    local part
    echo "infrastructure:"
    printf '  %-24s %s\n' dockerd "$(docker info >/dev/null 2>&1 && echo running || echo stopped)"
    printf '  %-24s %s\n' rabbitmq \
        "$(rabbitmqctl -q status >/dev/null 2>&1 && echo running || echo stopped)"
    printf '  %-24s %s\n' mariadb \
        "$(mysqladmin -uroot status >/dev/null 2>&1 && echo running || echo stopped)"
    printf '  %-24s %s\n' openvswitch \
        "$(ovs-vsctl --timeout 5 show >/dev/null 2>&1 && echo running || echo stopped)"
    echo "services:"
    for part in $(parts); do
        "${part}_status"
    done
    return "$STATUS_FAILED"
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 up|down|status" >&2
        exit 2
        ;;
esac
