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
# Placement's WSGI application under gunicorn on :8778.

PLACEMENT_CONF_DIR=/etc/placement
PLACEMENT_CONF=$PLACEMENT_CONF_DIR/placement.conf
PLACEMENT_URL=http://$SERVICE_HOST:8778

placement_install() { :; }

placement_configure() {
    local conf=$PLACEMENT_CONF
    mkdir -p "$PLACEMENT_CONF_DIR" "$DATA_DIR/placement"
    iniset "$conf" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$conf" placement_database connection "$(database_url placement)"
    iniset "$conf" api auth_strategy keystone
    configure_keystone_authtoken_middleware "$conf" placement
    if [ ! -f "$DATA_DIR/placement/registered" ]; then
        register_service placement placement "Placement Service" "$PLACEMENT_URL"
        touch "$DATA_DIR/placement/registered"
    fi
}

placement_start() {
    if [ "$(database_create placement)" = new ]; then
        "$VENV/bin/placement-manage" --config-file "$PLACEMENT_CONF" db sync
    fi
    gunicorn_start placement-api placement.wsgi.api 8778 \
        OS_PLACEMENT_CONFIG_DIR="$PLACEMENT_CONF_DIR"
    wait_for_url "$PLACEMENT_URL"
}

placement_stop() { process_stop placement-api; }

placement_status() { process_status placement-api "$PLACEMENT_URL"; }
