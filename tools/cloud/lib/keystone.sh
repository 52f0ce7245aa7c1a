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
# Keystone under gunicorn on :5000 with fernet tokens in MariaDB; the
# admin, demo and alt_demo accounts and /etc/openstack/clouds.yaml.

KEYSTONE_CONF=/etc/keystone/keystone.conf

keystone_install() { :; }

keystone_configure() {
    local conf=$KEYSTONE_CONF
    mkdir -p /etc/keystone "$DATA_DIR/keystone"
    iniset "$conf" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$conf" database connection "$(database_url keystone)"
    iniset "$conf" token provider fernet
    iniset "$conf" fernet_tokens key_repository /etc/keystone/fernet-keys
    iniset "$conf" fernet_receipts key_repository /etc/keystone/fernet-keys
    iniset "$conf" credential key_repository /etc/keystone/credential-keys
    iniset "$conf" cache enabled false
    iniset "$conf" oslo_messaging_notifications driver noop
}

keystone_manage() {
    "$VENV/bin/keystone-manage" --config-file "$KEYSTONE_CONF" "$@"
}

# keystone_init: schema, keys and the bootstrap admin, once.
keystone_init() {
    if [ "$(database_create keystone)" = new ] || [ ! -d /etc/keystone/fernet-keys ]; then
        log "initialising keystone"
        keystone_manage db_sync
        keystone_manage fernet_setup --keystone-user root --keystone-group root
        keystone_manage credential_setup --keystone-user root --keystone-group root
        keystone_manage bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
            --bootstrap-username admin --bootstrap-project-name admin \
            --bootstrap-role-name admin --bootstrap-service-name keystone \
            --bootstrap-region-id "$REGION_NAME" \
            --bootstrap-admin-url "$KEYSTONE_URL/v3" \
            --bootstrap-public-url "$KEYSTONE_URL/v3" \
            --bootstrap-internal-url "$KEYSTONE_URL/v3"
    fi
}

keystone_start() {
    keystone_init
    gunicorn_start keystone keystone.wsgi.api 5000 \
        OS_KEYSTONE_CONFIG_FILES="$KEYSTONE_CONF"
    wait_for_url "$KEYSTONE_URL/v3"
}

keystone_stop() { process_stop keystone; }

keystone_status() { process_status keystone "$KEYSTONE_URL/v3"; }

# keystone_clouds_yaml: the three clouds DevStack users know.
keystone_clouds_yaml() {
    local file=$CLOUDS_YAML
    cat >"$file.new" <<EOF
# Written by tools/cloud.sh.
clouds:
  devstack:
    auth:
      auth_url: $KEYSTONE_URL
      username: demo
      password: $ADMIN_PASSWORD
      project_name: demo
      user_domain_id: default
      project_domain_id: default
    region_name: $REGION_NAME
    identity_api_version: 3
  devstack-alt:
    auth:
      auth_url: $KEYSTONE_URL
      username: alt_demo
      password: $ADMIN_PASSWORD
      project_name: alt_demo
      user_domain_id: default
      project_domain_id: default
    region_name: $REGION_NAME
    identity_api_version: 3
  devstack-admin:
    auth:
      auth_url: $KEYSTONE_URL
      username: admin
      password: $ADMIN_PASSWORD
      project_name: admin
      user_domain_id: default
      project_domain_id: default
    region_name: $REGION_NAME
    identity_api_version: 3
EOF
    chmod 600 "$file.new"
    if cmp -s "$file.new" "$file"; then
        rm -f "$file.new"
    else
        mv "$file.new" "$file"
    fi
}

# keystone_accounts: the service project and DevStack's demo accounts.
keystone_accounts() {
    keystone_clouds_yaml
    [ -f "$DATA_DIR/keystone/accounts-done" ] && return 0
    log "creating projects, users and roles"
    get_or_create_project "$SERVICE_PROJECT_NAME" default >/dev/null
    local role
    for role in member reader service; do
        get_or_create_role "$role" >/dev/null
    done
    local who
    for who in demo alt_demo; do
        get_or_create_project "$who" default >/dev/null
        get_or_create_user "$who" "$ADMIN_PASSWORD" default >/dev/null
        get_or_add_user_project_role member "$who" "$who"
        get_or_add_user_project_role reader "$who" "$who"
    done
    # The admin can act in the demo projects, as in DevStack.
    get_or_add_user_project_role admin admin demo
    get_or_add_user_project_role admin admin alt_demo
    touch "$DATA_DIR/keystone/accounts-done"
}

# keystone_admin_env: OS_* of devstack-admin for the other parts.
keystone_admin_env() {
    export OS_CLOUD=devstack-admin
    export OS_AUTH_URL=$KEYSTONE_URL/v3
    export OS_USERNAME=admin
    export OS_PASSWORD=$ADMIN_PASSWORD
    export OS_PROJECT_NAME=admin
    export OS_USER_DOMAIN_ID=default
    export OS_PROJECT_DOMAIN_ID=default
    export OS_REGION_NAME=$REGION_NAME
    export OS_IDENTITY_API_VERSION=3
}

# register_service NAME TYPE DESCRIPTION URL: service user NAME (admin
# in the service project, as DevStack does) and its catalog entry.
register_service() {
    local name=$1 type=$2 description=$3 url=$4 service
    create_service_user "$name" admin
    service=$(get_or_create_service "$name" "$type" "$description")
    get_or_create_endpoint "$service" "$REGION_NAME" "$url" "$url" "$url"
}
