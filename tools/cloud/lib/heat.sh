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
# Heat: the native API (:8004) and the CloudFormation API (:8000, where
# software deployments signal) under gunicorn, and heat-engine, over
# RabbitMQ. Trusts and the "heat" stack user domain as DevStack sets
# them; the engine loads magnum-lite's DockerInc::Docker::* resources.

HEAT_CONF_DIR=/etc/heat
HEAT_CONF=$HEAT_CONF_DIR/heat.conf
HEAT_URL=http://$SERVICE_HOST:8004
HEAT_CFN_URL=http://$SERVICE_HOST:8000
HEAT_STACK_DOMAIN=heat
HEAT_STACK_DOMAIN_ADMIN=heat_domain_admin

heat_install() { :; }

heat_configure() {
    local conf=$HEAT_CONF
    mkdir -p "$HEAT_CONF_DIR" "$DATA_DIR/heat"
    mkdir -p "$HEAT_CONF_DIR/environment.d" "$HEAT_CONF_DIR/templates"
    copy_file "$VENV/etc/heat/api-paste.ini" "$HEAT_CONF_DIR"
    copy_file "$VENV"/etc/heat/environment.d/* "$HEAT_CONF_DIR/environment.d"
    copy_file "$VENV"/etc/heat/templates/* "$HEAT_CONF_DIR/templates"
    iniset "$conf" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$conf" DEFAULT transport_url "$TRANSPORT_URL"
    iniset "$conf" DEFAULT region_name_for_services "$REGION_NAME"
    iniset "$conf" DEFAULT num_engine_workers 1
    iniset "$conf" DEFAULT heat_metadata_server_url "$HEAT_CFN_URL"
    iniset "$conf" DEFAULT heat_waitcondition_server_url "$HEAT_CFN_URL/v1/waitcondition"
    iniset "$conf" DEFAULT deferred_auth_method trusts
    iniset "$conf" DEFAULT stack_user_domain_name "$HEAT_STACK_DOMAIN"
    iniset "$conf" DEFAULT stack_domain_admin "$HEAT_STACK_DOMAIN_ADMIN"
    iniset "$conf" DEFAULT stack_domain_admin_password "$SERVICE_PASSWORD"
    iniset "$conf" database connection "$(database_url heat)"
    iniset "$conf" paste_deploy api_paste_config "$HEAT_CONF_DIR/api-paste.ini"
    iniset "$conf" oslo_messaging_notifications driver noop
    iniset "$conf" heat_api workers 1
    iniset "$conf" heat_api_cfn workers 1
    configure_keystone_authtoken_middleware "$conf" heat
    configure_keystoneauth "$conf" trustee heat
    iniset "$conf" clients_keystone auth_uri "$KEYSTONE_URL"
    iniset "$conf" ec2authtoken auth_uri "$KEYSTONE_URL/v3"
    # magnum-lite's resource plugins, from the directory the installed
    # package reports (devstack/lib/magnum_lite's own function, which
    # adds it to the list).
    iniset "$conf" DEFAULT plugin_dirs ""
    configure_heat_plugins

    if [ ! -f "$DATA_DIR/heat/registered" ]; then
        heat_register
        touch "$DATA_DIR/heat/registered"
    fi
}

# heat_register: catalog entries, the stack owner/user roles and the
# domain holding the users Heat creates for stack resources.
heat_register() {
    register_service heat orchestration "Heat Orchestration Service" \
        "$HEAT_URL/v1/\$(project_id)s"
    local service
    service=$(get_or_create_service heat-cfn cloudformation \
        "Heat CloudFormation Service")
    get_or_create_endpoint "$service" "$REGION_NAME" "$HEAT_CFN_URL/v1" \
        "$HEAT_CFN_URL/v1" "$HEAT_CFN_URL/v1"
    get_or_create_role heat_stack_owner >/dev/null
    get_or_create_role heat_stack_user >/dev/null
    local who
    for who in demo alt_demo; do
        get_or_add_user_project_role heat_stack_owner "$who" "$who"
    done
    get_or_add_user_project_role heat_stack_owner admin admin
    local domain admin
    domain=$(get_or_create_domain "$HEAT_STACK_DOMAIN" "Owns users and projects created by heat")
    admin=$(get_or_create_user "$HEAT_STACK_DOMAIN_ADMIN" "$SERVICE_PASSWORD" "$domain")
    get_or_add_user_domain_role admin "$admin" "$domain"
}

heat_start() {
    if [ "$(database_create heat)" = new ]; then
        "$VENV/bin/heat-manage" --config-file "$HEAT_CONF" db_sync
    fi
    gunicorn_start heat-api heat.wsgi.api 8004
    gunicorn_start heat-api-cfn heat.wsgi.cfn 8000
    process_start heat-engine "$VENV/bin/heat-engine" --config-file "$HEAT_CONF"
    wait_for_url "$HEAT_URL"
    wait_for_url "$HEAT_CFN_URL"
}

heat_stop() {
    process_stop heat-engine
    process_stop heat-api-cfn
    process_stop heat-api
}

heat_status() {
    process_status heat-api "$HEAT_URL"
    process_status heat-api-cfn "$HEAT_CFN_URL"
    process_status heat-engine
}
