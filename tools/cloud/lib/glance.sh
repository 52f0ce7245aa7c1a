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
# Glance API under gunicorn on :9292 with the file store in
# /opt/stack/data/glance; accepts the "docker" container format that
# nova_docker_driver boots.

GLANCE_CONF_DIR=/etc/glance
GLANCE_API_CONF=$GLANCE_CONF_DIR/glance-api.conf
GLANCE_URL=http://$SERVICE_HOST:9292

glance_install() { :; }

glance_configure() {
    local conf=$GLANCE_API_CONF data=$DATA_DIR/glance
    mkdir -p "$GLANCE_CONF_DIR" "$data/images" "$data/staging" "$data/tasks"
    copy_file "$VENV/etc/glance/glance-api-paste.ini" "$GLANCE_CONF_DIR"
    iniset "$conf" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$conf" DEFAULT bind_host "$SERVICE_HOST"
    iniset "$conf" DEFAULT worker_self_reference_url "$GLANCE_URL"
    iniset "$conf" DEFAULT enabled_backends fast:file
    iniset "$conf" DEFAULT transport_url "$TRANSPORT_URL"
    iniset "$conf" glance_store default_backend fast
    iniset "$conf" fast filesystem_store_datadir "$data/images/"
    iniset "$conf" os_glance_staging_store filesystem_store_datadir "$data/staging/"
    iniset "$conf" os_glance_tasks_store filesystem_store_datadir "$data/tasks/"
    iniset "$conf" database connection "$(database_url glance)"
    iniset "$conf" paste_deploy flavor keystone
    iniset "$conf" paste_deploy config_file "$GLANCE_CONF_DIR/glance-api-paste.ini"
    iniset "$conf" image_format container_formats ami,ari,aki,bare,ovf,ova,docker
    iniset "$conf" oslo_messaging_notifications driver noop
    configure_keystone_authtoken_middleware "$conf" glance
    if [ ! -f "$DATA_DIR/glance/registered" ]; then
        register_service glance image "Glance Image Service" "$GLANCE_URL"
        touch "$DATA_DIR/glance/registered"
    fi
}

glance_start() {
    if [ "$(database_create glance)" = new ]; then
        "$VENV/bin/glance-manage" --config-file "$GLANCE_API_CONF" db_sync
    fi
    gunicorn_start glance-api glance.wsgi.api 9292 OS_GLANCE_CONFIG_DIR="$GLANCE_CONF_DIR"
    wait_for_url "$GLANCE_URL"
}

glance_stop() { process_stop glance-api; }

glance_status() { process_status glance-api "$GLANCE_URL"; }
