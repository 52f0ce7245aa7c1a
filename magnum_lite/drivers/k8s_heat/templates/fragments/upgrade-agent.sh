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
# upgrade-agent.sh: installed as /usr/local/sbin/magnum-lite-upgrade and
# run every minute by magnum-lite-upgrade.timer (install-upgrade-agent.sh).
#
# The wanted Kubernetes version is the server's Nova metadata
# (magnum_lite_version, with magnum_lite_versions the cluster's history),
# which a Heat stack update changes in place. When it is newer than what
# this node runs, the node upgrades: on a master, `kubeadm upgrade apply`
# if the cluster's kubeadm configuration is still older (the first master
# to get there), else `kubeadm upgrade node`; on a worker `kubeadm upgrade
# node`; then kubelet and kubectl of that version. The node then signals
# its Heat upgrade handle once for every version of the history it runs
# (the signal id is the version), SUCCESS, or FAILURE with the end of the
# log as the reason, which becomes the reason of the failed stack.
#
# Paths and endpoints can be overridden from the environment, for tests.
set -euo pipefail

CONFIG_DIR=${MAGNUM_LITE_CONFIG_DIR:-/etc/magnum-lite}
STATE_DIR=${MAGNUM_LITE_STATE_DIR:-/var/lib/magnum-lite}
BIN_DIR=${MAGNUM_LITE_BIN_DIR:-/usr/local/bin}
METADATA_URL=${MAGNUM_LITE_METADATA_URL:-http://169.254.169.254/openstack/latest/meta_data.json}
LOG_FILE=${MAGNUM_LITE_UPGRADE_LOG:-/var/log/magnum-lite-upgrade.log}
ADMIN_CONF=${MAGNUM_LITE_ADMIN_CONF:-/etc/kubernetes/admin.conf}
# After a failed attempt, wait this long before trying the same version.
RETRY_AFTER=${MAGNUM_LITE_RETRY_AFTER:-600}

# shellcheck source=/dev/null
source "${CONFIG_DIR}/node.env"
# shellcheck source=/dev/null
source "${CONFIG_DIR}/cluster.env"

say() {
    echo "magnum-lite upgrade [${NODE_NAME}] $*" >&2
}

# curl with the cloud's CA when the cluster was given one.
cloud_curl() {
    local args=(--silent --show-error --fail --retry 3 --retry-delay 5
                --connect-timeout 20)
    if [ -s "${CONFIG_DIR}/openstack-ca.pem" ]; then
        args+=(--cacert "${CONFIG_DIR}/openstack-ca.pem")
    fi
    curl "${args[@]}" "$@"
}

# version_le A B: A is B or older (v1.31.9 before v1.31.10).
version_le() {
    [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}

# Signal the upgrade handle with the stack user's credentials (HEAT_SIGNAL):
# a Keystone token for that user, then Heat's resource signal.
signal_upgrade() {
    local status=$1 version=$2 reason=$3 auth token body
    if [ -z "${UPGRADE_SIGNAL:-}" ]; then
        say "no upgrade handle to signal (${status} ${version})"
        return 0
    fi
    auth=$(jq -n --argjson s "$UPGRADE_SIGNAL" '{auth: {
        identity: {methods: ["password"], password: {user: {
            id: $s.user_id, password: $s.password}}},
        scope: {project: {id: $s.project_id}}}}')
    token=$(cloud_curl -D - -o /dev/null -X POST \
        -H 'Content-Type: application/json' --data-binary "$auth" \
        "$(jq -r '.auth_url | rtrimstr("/")' <<<"$UPGRADE_SIGNAL")/auth/tokens" \
        | tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
    body=$(jq -n --arg status "$status" --arg id "$version" \
        --arg reason "$reason" '{status: $status, id: $id, reason: $reason}')
    cloud_curl -X POST -H "X-Auth-Token: ${token}" \
        -H 'Content-Type: application/json' --data-binary "$body" \
        "$(jq -r '.alarm_url' <<<"$UPGRADE_SIGNAL")" >/dev/null
}

download() {
    local version=$1 binary=$2 arch
    case "$(uname -m)" in
        x86_64) arch=amd64 ;;
        aarch64) arch=arm64 ;;
        *) say "unsupported architecture $(uname -m)"; return 1 ;;
    esac
    curl -fsSL --retry 5 --retry-delay 15 -o "${BIN_DIR}/${binary}.new" \
        "${KUBE_BINARIES_URL}/${version}/bin/linux/${arch}/${binary}"
    chmod 0755 "${BIN_DIR}/${binary}.new"
    mv -f "${BIN_DIR}/${binary}.new" "${BIN_DIR}/${binary}"
}

# The kubernetesVersion of the cluster's kubeadm ClusterConfiguration.
cluster_version() {
    "${BIN_DIR}/kubectl" --kubeconfig "$ADMIN_CONF" -n kube-system \
        get configmap kubeadm-config \
        -o 'jsonpath={.data.ClusterConfiguration}' \
        | sed -n 's/^kubernetesVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p'
}

upgrade_to() {
    local version=$1 current
    say "upgrading from ${installed} to ${version}"
    download "$version" kubeadm
    if [ "$NODE_ROLE" = master ]; then
        current=$(cluster_version)
        if [ -n "$current" ] && ! version_le "$version" "$current"; then
            say "the control plane runs ${current}: kubeadm upgrade apply"
            "${BIN_DIR}/kubeadm" upgrade apply -y "$version"
        else
            "${BIN_DIR}/kubeadm" upgrade node
        fi
    else
        "${BIN_DIR}/kubeadm" upgrade node
    fi
    download "$version" kubelet
    download "$version" kubectl
    systemctl daemon-reload
    systemctl restart kubelet
    printf '%s\n' "$version" > "${STATE_DIR}/kube_tag"
}

mkdir -p "$STATE_DIR"
touch "${STATE_DIR}/upgrade-signalled"
installed=$(cat "${STATE_DIR}/kube_tag" 2>/dev/null || echo "$KUBE_TAG")

# The upgrade itself runs as a process of its own, so that errexit stops
# it at the first failing command.
if [ "${1:-}" = --upgrade ]; then
    upgrade_to "$2"
    exit 0
fi

if ! meta=$(curl -fsS --connect-timeout 10 "$METADATA_URL"); then
    say "the metadata service did not answer; trying again later"
    exit 0
fi
wanted=$(jq -r '.meta.magnum_lite_version // empty' <<<"$meta")
history=$(jq -r '.meta.magnum_lite_versions // empty' <<<"$meta")
if [ -z "$wanted" ]; then
    exit 0
fi

if ! version_le "$wanted" "$installed"; then
    failed=$(cat "${STATE_DIR}/upgrade-failed" 2>/dev/null || true)
    if [ "${failed% *}" = "$wanted" ] && \
            [ $(( $(date +%s) - ${failed#* } )) -lt "$RETRY_AFTER" ]; then
        exit 0
    fi
    if ! bash "$0" --upgrade "$wanted" 2>&1 | tee -a "$LOG_FILE" >&2; then
        reason=$(grep -v '^[[:space:]]*$' "$LOG_FILE" | tail -n 3 \
                 | tr '\n' ' ' | cut -c1-400)
        printf '%s %s\n' "$wanted" "$(date +%s)" > "${STATE_DIR}/upgrade-failed"
        signal_upgrade FAILURE "$wanted" \
            "${NODE_ROLE} ${NODE_NAME}: upgrade to ${wanted} failed: ${reason}"
        exit 1
    fi
    rm -f "${STATE_DIR}/upgrade-failed"
    installed=$wanted
    say "now running ${installed}"
fi

# One SUCCESS per version of the history this node runs, each once.
IFS=, read -r -a versions <<<"$history"
for version in "${versions[@]}"; do
    if version_le "$version" "$installed" && \
            ! grep -qxF "$version" "${STATE_DIR}/upgrade-signalled"; then
        signal_upgrade SUCCESS "$version" \
            "${NODE_ROLE} ${NODE_NAME} runs Kubernetes ${installed}"
        printf '%s\n' "$version" >> "${STATE_DIR}/upgrade-signalled"
    fi
done
