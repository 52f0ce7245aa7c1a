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
# lib.sh: helpers every bootstrap script uses. The values it reads
# (NODE_*, WAIT_*, OPENSTACK_CA, VERIFY_CA, HTTP(S)_PROXY, NO_PROXY) are
# written by node-params.sh and the drivers' cluster-params.sh before it.
set -euo pipefail

STEP='starting'
# The end of the output of the last command run by `logged`, which a
# failure report quotes: the tool's own words beat its command line.
LAST_OUTPUT=''

log() {
    echo "magnum-lite bootstrap [${NODE_NAME}] $*" >&2
}

# Name what the script is doing, so a failure says where it stopped.
step() {
    STEP="$*"
    LAST_OUTPUT=''
    log "step: ${STEP}"
}

json_string() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\n'/ }
    s=${s//$'\r'/ }
    s=${s//$'\t'/ }
    printf '"%s"' "$s"
}

curl_openstack() {
    local args=(--silent --show-error --fail --retry 5 --retry-delay 5
                --connect-timeout 20)
    if [ "${VERIFY_CA:-true}" = false ]; then
        args+=(--insecure)
    elif [ -n "${OPENSTACK_CA:-}" ]; then
        args+=(--cacert /etc/magnum-lite/openstack-ca.pem)
    fi
    curl "${args[@]}" "$@"
}

# Report to the node's Heat wait condition: SUCCESS, or FAILURE with a
# reason Heat shows as the wait condition's status reason.
signal() {
    local status=$1 reason=$2
    local body
    body="{\"status\": \"${status}\", \"reason\": $(json_string "$reason"), \"id\": \"${NODE_NAME}\"}"
    curl_openstack -X POST -H "X-Auth-Token: ${WAIT_TOKEN}" \
        -H 'Content-Type: application/json' -H 'Accept: application/json' \
        --data-binary "$body" "$WAIT_ENDPOINT" >/dev/null
}

on_error() {
    local code=$1 line=$2 command=$3
    trap - ERR
    log "failed (exit ${code}) at line ${line} while ${STEP}: ${command}"
    signal FAILURE "${NODE_ROLE} ${NODE_NAME}: ${STEP} failed (exit ${code}): ${LAST_OUTPUT:-$command}" || true
    exit "$code"
}
# errtrace: a failure inside a function reports too, not only at top level.
set -o errtrace
trap 'on_error $? $LINENO "$BASH_COMMAND"' ERR

fail() {
    trap - ERR
    log "failed while ${STEP}: $*"
    signal FAILURE "${NODE_ROLE} ${NODE_NAME}: ${STEP}: $*" || true
    exit 1
}

# logged COMMAND...: run it, keeping the end of its output for a report.
logged() {
    local out=/var/log/magnum-lite-bootstrap-step.log code=0
    "$@" >"$out" 2>&1 || code=$?
    cat "$out" >&2
    LAST_OUTPUT=$(grep -v '^[[:space:]]*$' "$out" | tail -n 3 | tr '\n' ' ' | cut -c1-400)
    return "$code"
}

# retry ATTEMPTS DELAY COMMAND...: for downloads and package mirrors.
retry() {
    local attempts=$1 delay=$2 n=1
    shift 2
    until "$@"; do
        if [ "$n" -ge "$attempts" ]; then
            return 1
        fi
        n=$((n + 1))
        sleep "$delay"
    done
}

# wait_until SECONDS WHAT COMMAND...: poll until COMMAND succeeds.
wait_until() {
    local seconds=$1 what=$2 deadline
    shift 2
    deadline=$(( $(date +%s) + seconds ))
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            fail "gave up after ${seconds}s waiting for ${what}"
        fi
        sleep 10
    done
}

setup_openstack_ca() {
    if [ -n "${OPENSTACK_CA:-}" ]; then
        printf '%s\n' "$OPENSTACK_CA" > /etc/magnum-lite/openstack-ca.pem
    fi
}

# Proxies for the whole node, including systemd services.
setup_proxy() {
    if [ -z "${HTTP_PROXY:-}${HTTPS_PROXY:-}" ]; then
        return 0
    fi
    mkdir -p /etc/systemd/system.conf.d
    {
        echo '[Manager]'
        echo "DefaultEnvironment=\"HTTP_PROXY=${HTTP_PROXY}\" \"HTTPS_PROXY=${HTTPS_PROXY}\" \"NO_PROXY=${NO_PROXY}\""
    } > /etc/systemd/system.conf.d/50-magnum-lite-proxy.conf
    export HTTP_PROXY HTTPS_PROXY NO_PROXY
    export http_proxy=$HTTP_PROXY https_proxy=$HTTPS_PROXY no_proxy=$NO_PROXY
    systemctl daemon-reexec
}

# The Cinder volume for the container runtime, formatted on first boot
# and mounted on DIR while SERVICE (which may already run) is stopped.
# Nova names the disk after the volume ID.
mount_runtime_volume() {
    local dir=$1 service=$2 device
    if [ -z "${DOCKER_VOLUME_ID}" ]; then
        return 0
    fi
    systemctl stop "$service" 2>/dev/null || true
    device=/dev/disk/by-id/virtio-${DOCKER_VOLUME_ID:0:20}
    wait_until 600 "volume ${DOCKER_VOLUME_ID} to be attached" test -b "$device"
    if ! blkid "$device" >/dev/null 2>&1; then
        mkfs.xfs -q "$device"
    fi
    mkdir -p "$dir"
    echo "${device} ${dir} xfs defaults,nofail 0 2" >> /etc/fstab
    mount "$dir"
}

# This node's address on the cluster network (the source of the default
# route), for certificates and advertise addresses.
private_address() {
    ip -4 -o route get 1.1.1.1 | sed -n 's/.* src \([0-9.]*\).*/\1/p'
}

setup_openstack_ca
setup_proxy
