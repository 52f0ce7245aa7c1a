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
# Small stand-ins for the DevStack functions that devstack/lib/magnum_lite
# (and the cloud's own parts) call, with DevStack's names and arguments,
# so that the plugin's functions run outside stack.sh. Only what is used
# is here; each one behaves like DevStack's for the arguments used.
# shellcheck disable=SC2034  # DevStack variables read by the plugin

SERVICE_PASSWORD=${SERVICE_PASSWORD:-}
SERVICE_PROJECT_NAME=service
SERVICE_DOMAIN_NAME=Default
SERVICE_PROTOCOL=http
SERVICE_TIMEOUT=${SERVICE_TIMEOUT:-90}
KEYSTONE_SERVICE_URI=${KEYSTONE_URL:-http://127.0.0.1:5000}
KEYSTONE_AUTH_URI=$KEYSTONE_SERVICE_URI
ENABLE_DEBUG_LOG_LEVEL=${ENABLE_DEBUG_LOG_LEVEL:-False}
STACK_USER=root
PYTHON=${VENV:-/opt/stack/venv}/bin/python3
# The ini helpers run often: the system interpreter without site-packages
# starts in a few milliseconds.
INI_PYTHON=(python3 -S -E)
[ -x /usr/bin/python3 ] && INI_PYTHON=(/usr/bin/python3 -S -E)

# iniset [-sudo] FILE SECTION OPTION VALUE: set (or add) one option.
iniset() {
    [ "$1" = -sudo ] && shift
    local file=$1 section=$2 option=$3 value=$4
    mkdir -p "$(dirname "$file")"
    touch "$file"
    "${INI_PYTHON[@]}" - "$file" "$section" "$option" "$value" <<'EOF'
import re
import sys

path, section, option, value = sys.argv[1:]
with open(path) as f:
    lines = f.read().splitlines()
header = re.compile(r'^\s*\[(.+)\]\s*$')
key = re.compile(r'^\s*' + re.escape(option) + r'\s*=')
start = end = None
for i, line in enumerate(lines):
    m = header.match(line)
    if m:
        if start is not None and end is None:
            end = i
        if m.group(1) == section:
            start, end = i, None
if start is None:
    if lines and lines[-1].strip():
        lines.append('')
    lines += ['[%s]' % section, '%s = %s' % (option, value)]
else:
    end = len(lines) if end is None else end
    for i in range(start + 1, end):
        if key.match(lines[i]):
            lines[i] = '%s = %s' % (option, value)
            break
    else:
        last = end
        while last - 1 > start and not lines[last - 1].strip():
            last -= 1
        lines.insert(last, '%s = %s' % (option, value))
text = '\n'.join(lines) + '\n'
with open(path) as f:
    unchanged = f.read() == text
if not unchanged:
    with open(path, 'w') as f:
        f.write(text)
EOF
}

# iniget FILE SECTION OPTION: the value, or nothing.
iniget() {
    local file=$1 section=$2 option=$3
    [ -f "$file" ] || return 0
    "${INI_PYTHON[@]}" - "$file" "$section" "$option" <<'EOF'
import re
import sys

path, section, option = sys.argv[1:]
current = None
for line in open(path):
    m = re.match(r'^\s*\[(.+)\]\s*$', line)
    if m:
        current = m.group(1)
        continue
    m = re.match(r'^\s*' + re.escape(option) + r'\s*=\s*(.*?)\s*$', line)
    if m and current == section:
        print(m.group(1))
        break
EOF
}

# trueorfalse DEFAULT VARNAME: DevStack's boolean normalisation.
trueorfalse() {
    local default=$1 value=${!2:-}
    case "${value,,}" in
        1|yes|true|on) echo True ;;
        0|no|false|off) echo False ;;
        *) echo "$default" ;;
    esac
}

is_service_enabled() { return 0; }
enable_service() { :; }
# The services run as root: sudo runs the command itself.
sudo() { "$@"; }
add_user_to_group() { :; }
# This cloud serves APIs with gunicorn, not uWSGI (see common.sh).
write_uwsgi_config() { :; }
remove_uwsgi_config() { :; }
warn() { log "WARNING (line $1): ${*:2}"; }
die() { log "ERROR (line $1): ${*:2}"; exit 1; }

# get_python_exec_prefix: where the services' console scripts are.
get_python_exec_prefix() { echo "${VENV:-/opt/stack/venv}/bin"; }

get_transport_url() { echo "${TRANSPORT_URL:-rabbit://guest:guest@127.0.0.1:5672/}"; }
database_connection_url() { database_url "$1"; }
recreate_database() {
    database_drop "$1"
    database_create "$1" >/dev/null
}

# The Keystone helpers: idempotent, print the id of what they find or make.
_os() { openstack_admin "$@"; }

get_or_create_domain() {
    local name=$1 description=${2:-}
    _os domain show "$name" -f value -c id 2>/dev/null ||
        _os domain create "$name" --description "$description" -f value -c id
}

# get_or_create_user NAME PASSWORD DOMAIN: an existing user keeps its password.
get_or_create_user() {
    local name=$1 password=$2 domain=$3
    _os user create "$name" --password "$password" --domain "$domain" --or-show \
        -f value -c id
}

get_or_create_project() {
    local name=$1 domain=$2
    _os project create "$name" --domain "$domain" --or-show -f value -c id
}

get_or_create_role() {
    _os role create "$1" --or-show -f value -c id
}

# get_or_add_user_project_role ROLE USER PROJECT [USER_DOMAIN PROJECT_DOMAIN]
get_or_add_user_project_role() {
    local role=$1 user=$2 project=$3
    local user_domain=${4:-Default} project_domain=${5:-Default}
    _os role add "$role" --user "$user" --project "$project" \
        --user-domain "$user_domain" --project-domain "$project_domain" >/dev/null
}

# get_or_add_user_domain_role ROLE USER DOMAIN
get_or_add_user_domain_role() {
    _os role add "$1" --user "$2" --domain "$3" >/dev/null
}

# create_service_user NAME [ROLE]: a user in the service project, with
# ROLE and always the "service" role: services that require service
# tokens (service_token_roles_required) check for that one.
create_service_user() {
    local name=$1 role=${2:-service}
    get_or_create_user "$name" "$SERVICE_PASSWORD" "$SERVICE_DOMAIN_NAME" >/dev/null
    get_or_add_user_project_role "$role" "$name" "$SERVICE_PROJECT_NAME" \
        "$SERVICE_DOMAIN_NAME" "$SERVICE_DOMAIN_NAME"
    if [ "$role" != service ]; then
        get_or_add_user_project_role service "$name" "$SERVICE_PROJECT_NAME" \
            "$SERVICE_DOMAIN_NAME" "$SERVICE_DOMAIN_NAME"
    fi
}

# get_or_create_service NAME TYPE DESCRIPTION
get_or_create_service() {
    local name=$1 type=$2 description=$3 id
    id=$(_os service list -f value -c ID -c Name -c Type |
        awk -v n="$name" -v t="$type" '$2 == n && $3 == t {print $1; exit}')
    if [ -z "$id" ]; then
        id=$(_os service create "$type" --name "$name" \
            --description "$description" -f value -c id)
    fi
    echo "$id"
}

# get_or_create_endpoint SERVICE REGION PUBLIC [ADMIN [INTERNAL]]: one
# endpoint per interface, replaced when its URL changed.
get_or_create_endpoint() {
    local service=$1 region=$2 public=$3 admin=${4:-} internal=${5:-}
    local interface url existing
    for interface in public admin internal; do
        case $interface in
            public) url=$public ;;
            admin) url=$admin ;;
            internal) url=$internal ;;
        esac
        [ -n "$url" ] || continue
        existing=$(_os endpoint list --service "$service" --interface "$interface" \
            --region "$region" -f value -c ID -c URL)
        if [ -n "$existing" ] && [ "${existing#* }" = "$url" ]; then
            continue
        fi
        if [ -n "$existing" ]; then
            _os endpoint delete "${existing%% *}"
        fi
        _os endpoint create "$service" "$interface" "$url" --region "$region" >/dev/null
    done
}

# configure_keystone_authtoken_middleware CONF USER [SECTION]
configure_keystone_authtoken_middleware() {
    local conf=$1 user=$2 section=${3:-keystone_authtoken}
    iniset "$conf" "$section" auth_type password
    iniset "$conf" "$section" interface public
    iniset "$conf" "$section" auth_url "$KEYSTONE_SERVICE_URI"
    iniset "$conf" "$section" www_authenticate_uri "$KEYSTONE_SERVICE_URI"
    iniset "$conf" "$section" username "$user"
    iniset "$conf" "$section" password "$SERVICE_PASSWORD"
    iniset "$conf" "$section" user_domain_name "$SERVICE_DOMAIN_NAME"
    iniset "$conf" "$section" project_name "$SERVICE_PROJECT_NAME"
    iniset "$conf" "$section" project_domain_name "$SERVICE_DOMAIN_NAME"
    iniset "$conf" "$section" region_name "$REGION_NAME"
}

# configure_keystoneauth CONF SECTION USER: a service's password session
# towards another service (Nova's [placement], [neutron], ...).
configure_keystoneauth() {
    local conf=$1 section=$2 user=$3
    iniset "$conf" "$section" auth_type password
    iniset "$conf" "$section" auth_url "$KEYSTONE_SERVICE_URI"
    iniset "$conf" "$section" username "$user"
    iniset "$conf" "$section" password "$SERVICE_PASSWORD"
    iniset "$conf" "$section" user_domain_name "$SERVICE_DOMAIN_NAME"
    iniset "$conf" "$section" project_name "$SERVICE_PROJECT_NAME"
    iniset "$conf" "$section" project_domain_name "$SERVICE_DOMAIN_NAME"
    iniset "$conf" "$section" region_name "$REGION_NAME"
}
