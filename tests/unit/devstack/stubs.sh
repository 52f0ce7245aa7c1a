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

# DevStack's functions, stubbed for tests/unit/devstack/test_plugin.py.
# Each stub appends one line to $CALLS: its name and arguments separated
# by tabs. iniget answers from the iniset lines recorded so far, so a
# test can seed a configuration by writing iniset lines before a phase.

function _record {
    local IFS=$'\t'
    echo "$*" >> "$CALLS"
}

function iniset {
    _record iniset "$@"
}

function iniget {
    # The value of the last "iniset file section option value" line.
    awk -F'\t' -v f="$1" -v s="$2" -v o="$3" \
        '$1 == "iniset" && $2 == f && $3 == s && $4 == o {v = $5} END {print v}' \
        "$CALLS"
}

function trueorfalse {
    local default=$1
    local value=${!2:-$default}
    case "${value,,}" in
        1|yes|true|on) echo True ;;
        *) echo False ;;
    esac
}

function is_service_enabled {
    local service
    for service in "$@"; do
        [[ ",$ENABLED_SERVICES," == *",$service,"* ]] && return 0
    done
    return 1
}

function enable_service {
    _record enable_service "$@"
    local service
    for service in "$@"; do
        ENABLED_SERVICES+=",$service"
    done
}

function get_or_create_service {
    _record get_or_create_service "$@"
    echo service-id-of-"$1"
}

function get_or_create_domain {
    _record get_or_create_domain "$@"
    echo domain-id-of-"$1"
}

function get_or_create_user {
    _record get_or_create_user "$@"
    echo user-id-of-"$1"
}

function get_transport_url {
    echo rabbit://stackrabbit:secret@127.0.0.1:5672/
}

function database_connection_url {
    echo "mysql+pymysql://root:secret@127.0.0.1/$1?charset=utf8"
}

function get_python_exec_prefix {
    echo "$FAKE_BIN"
}

function which {
    echo "/usr/bin/$1"
}

# Stubs that only record.
for _stub in setup_develop get_or_create_endpoint create_service_user \
        get_or_add_user_project_role get_or_add_user_domain_role \
        configure_keystone_authtoken_middleware write_uwsgi_config \
        remove_uwsgi_config run_process stop_process recreate_database \
        wait_for_service add_user_to_group openstack sudo echo_summary \
        warn die; do
    eval "function $_stub { _record $_stub \"\$@\"; }"
done
unset _stub
