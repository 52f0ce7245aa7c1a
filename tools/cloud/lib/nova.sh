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
# Nova: the compute API (:8774) and metadata API (:8775) under gunicorn,
# conductor, scheduler and nova-compute with nova_docker_driver, one cell
# (cell1 in database "nova", cell0 in "nova_cell0"), and DevStack's
# flavors.

# shellcheck disable=SC2154  # top: the repository, set by common.sh
NOVA_CONF_DIR=/etc/nova
NOVA_CONF=$NOVA_CONF_DIR/nova.conf
NOVA_URL=http://$SERVICE_HOST:8774/v2.1
NOVA_METADATA_URL=http://$SERVICE_HOST:8775
NOVA_PROCESSES=(nova-api nova-metadata nova-conductor nova-scheduler nova-compute)

# nova_install: the nova/virt/docker shim that lets Nova load the driver
# (Nova only imports drivers from its own nova.virt package).
nova_install() {
    local virt
    virt=$("$VENV/bin/python" -c 'import nova.virt, os; print(os.path.dirname(nova.virt.__file__))')
    if [ ! -f "$virt/docker/__init__.py" ]; then
        log "installing the nova.virt.docker shim"
        "$VENV/bin/nova-docker-install"
    fi
}

nova_configure() {
    local conf=$NOVA_CONF data=$DATA_DIR/nova section
    mkdir -p "$NOVA_CONF_DIR/rootwrap.d" "$data/instances" "$data/docker-images" \
        "$data/lock"
    copy_file "$VENV/etc/nova/api-paste.ini" "$NOVA_CONF_DIR"
    [ -f "$NOVA_CONF_DIR/rootwrap.conf" ] ||
        cp "$VENV/etc/nova/rootwrap.conf" "$NOVA_CONF_DIR/rootwrap.conf"
    copy_file "$VENV"/etc/nova/rootwrap.d/*.filters \
        "$top/etc/nova_docker_driver/rootwrap.d/nova-docker.filters" \
        "$NOVA_CONF_DIR/rootwrap.d"
    iniset "$NOVA_CONF_DIR/rootwrap.conf" DEFAULT filters_path "$NOVA_CONF_DIR/rootwrap.d"
    iniset "$NOVA_CONF_DIR/rootwrap.conf" DEFAULT exec_dirs \
        "$VENV/bin,/sbin,/usr/sbin,/bin,/usr/bin,/usr/local/bin,/usr/local/sbin"

    iniset "$conf" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$conf" DEFAULT transport_url "$TRANSPORT_URL"
    iniset "$conf" DEFAULT my_ip "$SERVICE_HOST"
    iniset "$conf" DEFAULT state_path "$data"
    iniset "$conf" DEFAULT instances_path "$data/instances"
    iniset "$conf" DEFAULT rootwrap_config "$NOVA_CONF_DIR/rootwrap.conf"
    # Containers share the host's disk: reserve none of it per instance.
    iniset "$conf" DEFAULT initial_disk_allocation_ratio 10.0
    iniset "$conf" DEFAULT shutdown_timeout 10
    iniset "$conf" wsgi api_paste_config "$NOVA_CONF_DIR/api-paste.ini"
    iniset "$conf" api auth_strategy keystone
    iniset "$conf" api_database connection "$(database_url nova_api)"
    iniset "$conf" database connection "$(database_url nova)"
    iniset "$conf" oslo_concurrency lock_path "$data/lock"
    iniset "$conf" oslo_messaging_notifications driver noop
    iniset "$conf" conductor workers 1
    iniset "$conf" scheduler workers 1
    iniset "$conf" scheduler discover_hosts_in_cells_interval 60
    iniset "$conf" vnc enabled False
    # compute_driver, [docker] api_url and Glance's container formats, as
    # the DevStack plugin sets them (devstack/lib/magnum_lite).
    NOVA_CPU_CONF=$conf GLANCE_API_CONF=$GLANCE_API_CONF configure_nova_docker_driver
    iniset "$conf" docker image_cache_dir "$data/docker-images"
    configure_keystone_authtoken_middleware "$conf" nova
    configure_keystoneauth "$conf" service_user nova
    iniset "$conf" service_user send_service_user_token True
    configure_keystoneauth "$conf" placement placement
    iniset "$conf" placement valid_interfaces public
    iniset "$conf" glance valid_interfaces public
    iniset "$conf" glance region_name "$REGION_NAME"
    configure_keystoneauth "$conf" neutron neutron
    iniset "$conf" neutron valid_interfaces public
    iniset "$conf" neutron service_metadata_proxy True
    iniset "$conf" neutron metadata_proxy_shared_secret \
        "${NEUTRON_METADATA_SECRET:-$(cloud_secret METADATA_PROXY_SHARED_SECRET)}"
    # The services run as root here and there is no sudo: the privileged
    # helpers start directly instead of through sudo and nova-rootwrap.
    for section in nova_sys_admin nova_docker_privileged vif_plug_ovs_privileged \
            vif_plug_linux_bridge_privileged; do
        iniset "$conf" "$section" helper_command \
            "$VENV/bin/privsep-helper --config-file $conf"
    done

    if [ ! -f "$data/registered" ]; then
        register_service nova compute "Nova Compute Service" \
            "$NOVA_URL"
        touch "$data/registered"
    fi
}

nova_manage() { "$VENV/bin/nova-manage" --config-file "$NOVA_CONF" "$@"; }

# nova_init: schemas and the cells, once.
nova_init() {
    local db
    for db in nova_api nova nova_cell0; do
        database_create "$db" >/dev/null
    done
    [ -f "$DATA_DIR/nova/cells-done" ] && return 0
    log "setting up nova's databases and cells"
    nova_manage api_db sync
    nova_manage cell_v2 map_cell0 --database_connection "$(database_url nova_cell0)"
    if ! nova_manage cell_v2 list_cells | grep -q ' cell1 '; then
        nova_manage cell_v2 create_cell --name cell1 --verbose
    fi
    nova_manage db sync
    touch "$DATA_DIR/nova/cells-done"
}

nova_start() {
    local started=$PROCESS_STARTED
    nova_init
    gunicorn_start nova-api nova.wsgi.osapi_compute 8774 OS_NOVA_CONFIG_DIR="$NOVA_CONF_DIR"
    gunicorn_start nova-metadata nova.wsgi.metadata 8775 OS_NOVA_CONFIG_DIR="$NOVA_CONF_DIR"
    process_start nova-conductor "$VENV/bin/nova-conductor" --config-file "$NOVA_CONF"
    process_start nova-scheduler "$VENV/bin/nova-scheduler" --config-file "$NOVA_CONF"
    process_start nova-compute "$VENV/bin/nova-compute" --config-file "$NOVA_CONF"
    wait_for_url "$NOVA_URL"
    wait_for_url "$NOVA_METADATA_URL"
    if [ "$PROCESS_STARTED" != "$started" ]; then
        nova_discover_hosts
    fi
    nova_flavors
}

# nova_discover_hosts: map the compute service into cell1 once it has
# registered (the scheduler also does this every minute).
nova_discover_hosts() {
    for _ in $(seq 1 60); do
        if openstack_admin compute service list --service nova-compute -f value \
                -c State 2>/dev/null | grep -q up; then
            nova_manage cell_v2 discover_hosts --verbose >/dev/null
            return 0
        fi
        sleep 2
    done
    log "nova-compute did not report up; see $LOG_DIR/nova-compute.log"
    return 1
}

# nova_flavors: DevStack's m1.* and ds* flavors.
nova_flavors() {
    [ -f "$DATA_DIR/nova/flavors-done" ] && return 0
    log "creating flavors"
    local name id ram disk vcpus existing
    existing=$(openstack_admin flavor list --all -f value -c Name)
    while read -r name id ram disk vcpus; do
        grep -qx "$name" <<<"$existing" && continue
        openstack_admin flavor create "$name" --id "$id" --ram "$ram" \
            --disk "$disk" --vcpus "$vcpus" >/dev/null
    done <<EOF
m1.tiny 1 512 1 1
m1.small 2 2048 20 1
m1.medium 3 4096 40 2
m1.large 4 8192 80 4
m1.xlarge 5 16384 160 8
ds512M c1 512 5 1
ds1G d2 1024 10 1
ds2G d3 2048 10 2
ds4G d4 4096 20 4
EOF
    touch "$DATA_DIR/nova/flavors-done"
}

nova_stop() {
    local i
    for ((i = ${#NOVA_PROCESSES[@]} - 1; i >= 0; i--)); do
        process_stop "${NOVA_PROCESSES[$i]}"
    done
}

nova_status() {
    process_status nova-api "$NOVA_URL"
    process_status nova-metadata "$NOVA_METADATA_URL"
    process_status nova-conductor
    process_status nova-scheduler
    process_status nova-compute
}
