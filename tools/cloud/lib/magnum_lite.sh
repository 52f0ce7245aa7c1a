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
# magnum-lite: its API under gunicorn on :9511 and the conductor, in
# keystone mode, configured by the DevStack plugin's own functions
# (devstack/settings and devstack/lib/magnum_lite) over the stand-ins of
# devstack_compat.sh.

# shellcheck disable=SC2154  # top: the repository, set by common.sh
MAGNUM_LITE_PORT=9511
MAGNUM_LITE_URL=http://$SERVICE_HOST:$MAGNUM_LITE_PORT

# The plugin's functions; its settings are read later, once the service
# password is known (magnum_lite_settings).
# shellcheck source=devstack/lib/magnum_lite
source "$top/devstack/lib/magnum_lite"

# magnum_lite_settings: devstack/settings with this cloud's layout.
magnum_lite_settings() {
    [ -n "${MAGNUM_LITE_CONF:-}" ] && return 0
    DEST=$STACK_DIR
    MAGNUM_LITE_DIR=$top
    # shellcheck source=devstack/settings
    source "$top/devstack/settings"
    # No Apache in front: the API has a port of its own and no URL prefix.
    MAGNUM_LITE_API_URL_PATH=
    # Nova and Glance get the driver's settings from nova_configure.
    VIRT_DRIVER=none
}

magnum_lite_install() { :; }

magnum_lite_configure() {
    magnum_lite_settings
    configure_magnum_lite
    if [ ! -f "$MAGNUM_LITE_STATE_PATH/registered" ]; then
        magnum_lite_register
        touch "$MAGNUM_LITE_STATE_PATH/registered"
    fi
}

# magnum_lite_register: the plugin's service user and trustee domain,
# and the catalog entry python-magnumclient looks for (service "magnum",
# type container-infra, the API's own port).
magnum_lite_register() {
    create_service_user "$MAGNUM_LITE_SERVICE_USER" admin
    local service
    service=$(get_or_create_service magnum container-infra \
        "Container Infrastructure Management Service (magnum-lite)")
    get_or_create_endpoint "$service" "$REGION_NAME" "$MAGNUM_LITE_URL/v1" \
        "$MAGNUM_LITE_URL/v1" "$MAGNUM_LITE_URL/v1"
    if [ "$MAGNUM_LITE_TRUST_ENABLED" = True ]; then
        create_magnum_lite_trustee_domain
    fi
}

magnum_lite_start() {
    magnum_lite_settings
    if ! process_running magnum-lite-api; then
        database_create "$MAGNUM_LITE_DB_NAME" >/dev/null
        "$VENV/bin/magnum-lite-db-manage" --config-file "$MAGNUM_LITE_CONF" upgrade
    fi
    gunicorn_start magnum-lite-api magnum_lite.api.wsgi "$MAGNUM_LITE_PORT" \
        MAGNUM_LITE_CONFIG_FILE="$MAGNUM_LITE_CONF"
    process_start magnum-lite-conductor "$VENV/bin/magnum-lite-conductor" \
        --config-file "$MAGNUM_LITE_CONF"
    wait_for_url "$MAGNUM_LITE_URL"
}

magnum_lite_stop() {
    process_stop magnum-lite-conductor
    process_stop magnum-lite-api
}

magnum_lite_status() {
    process_status magnum-lite-api "$MAGNUM_LITE_URL/v1"
    process_status magnum-lite-conductor
}
