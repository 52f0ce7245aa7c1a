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
# Builds the node image for Nova instances of the Docker compute driver: a
# Debian (bookworm by default) root file system made by debootstrap from
# the machine's apt mirror, with docker.io and node/node-init.py as PID 1
# (the cloud-init part a container needs: metadata, user data, dockerd).
# The result is imported into the local Docker engine as
# magnum-lite/node:<key> and saved as <output dir>/node-image-<key>.tar, a
# tarball Glance takes as container_format docker. <key> is a digest of
# everything the image is made from, so a second run with the same inputs
# reuses the tarball and changes nothing. The Debian layer is kept apart
# (magnum-lite/node-base:<key>, node-base-<key>.tar, keyed by the package
# list and BASE_RECIPE), so a change of node-init rebuilds in seconds.
#
# Usage: build-node-image.sh [--output DIR] [--tarball-only] [--glance NAME]
#   --output DIR   where tarballs and the package cache live
#                  (default /var/cache/magnum-lite/node-image)
#   --tarball-only do not load a reused tarball into the local engine
#   --glance NAME  also upload the tarball to Glance as image NAME with
#                  os_distro=ubuntu (the Debian-family distribution the
#                  swarm_heat driver provides for), using `openstack`
#                  and the OS_* environment or OS_CLOUD.
# Environment: MIRROR (default: the first URI of the machine's Debian apt
# sources), SUITE (bookworm), EXTRA_PACKAGES (added to the package list).
# The last line of output is the tarball's path. Needs root (debootstrap).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
output=/var/cache/magnum-lite/node-image
glance_name=''
load=1
while [ $# -gt 0 ]; do
    case "$1" in
        --output) output=$2; shift 2 ;;
        --glance) glance_name=$2; shift 2 ;;
        --tarball-only) load=0; shift ;;
        -h|--help) sed -n '/^# Builds/,/^# The last line/p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

log() { echo "[$(date +%H:%M:%S)] build-node-image: $*" >&2; }

SUITE=${SUITE:-bookworm}
# The packages a Swarm node's bootstrap script uses, and python3-yaml for
# #cloud-config in node-init.
PACKAGES=(docker.io python3 python3-yaml iproute2 iptables procps kmod
          ca-certificates curl jq openssl)
read -ra extra <<< "${EXTRA_PACKAGES:-}"
PACKAGES+=("${extra[@]}")

default_mirror() {
    local uri
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources \
          2>/dev/null || true)
    if [ -z "$uri" ]; then
        uri=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' \
              /etc/apt/sources.list 2>/dev/null || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=${MIRROR:-$(default_mirror)}

# Change when build_rootfs makes a different Debian layer.
BASE_RECIPE=1

# The Debian layer depends on the packages and BASE_RECIPE only; the node
# layer on top of it (node-init, systemctl, this script) is quick to redo.
base_key() {
    echo "$BASE_RECIPE $SUITE $MIRROR ${PACKAGES[*]}" | sha256sum | cut -c1-16
}

image_key() {
    { echo "$1"; cat "$0" "$here/node/node-init.py" "$here/node/systemctl"; } \
        | sha256sum | cut -c1-16
}

base=$(base_key)
base_tag=magnum-lite/node-base:$base
base_tarball=$output/node-base-$base.tar
key=$(image_key "$base")
tag=magnum-lite/node:$key
tarball=$output/node-image-$key.tar

build_rootfs() {
    local root=$1 include
    command -v debootstrap >/dev/null || {
        log 'installing debootstrap'
        apt-get install -y -qq debootstrap >&2
    }
    include=$(IFS=,; echo "${PACKAGES[*]}")
    mkdir -p "$output/debs"
    log "debootstrap $SUITE from $MIRROR with $include"
    debootstrap --variant=minbase --include="$include" \
        --cache-dir="$output/debs" "$SUITE" "$root" "$MIRROR" \
        > "$output/debootstrap.log" 2>&1 || {
            tail -20 "$output/debootstrap.log" >&2
            return 1
        }
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
        "$root"/usr/share/doc/* "$root"/usr/share/man/* \
        "$root"/usr/share/info/* "$root"/var/log/*.log
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 \
        ! -name locale.alias -exec rm -rf {} +
    : > "$root/etc/hostname"
}

# The Debian layer, from its tarball or debootstrap.
ensure_base() {
    local work
    if docker image inspect "$base_tag" >/dev/null 2>&1; then
        return 0
    fi
    if [ -s "$base_tarball" ]; then
        docker load -i "$base_tarball" >/dev/null
        return 0
    fi
    work=$(mktemp -d "$output/build.XXXXXX")
    # shellcheck disable=SC2064
    trap "umount -R '$work/root/proc' 2>/dev/null || true; rm -rf '$work'" EXIT
    build_rootfs "$work/root"
    tar --numeric-owner -C "$work/root" -c . \
        | docker import - "$base_tag" >/dev/null
    docker save "$base_tag" > "$work/base.tar"
    mv "$work/base.tar" "$base_tarball"
    rm -rf "$work"
    trap - EXIT
}

build() {
    local work
    ensure_base
    work=$(mktemp -d "$output/build.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    install -m 0755 "$here/node/node-init.py" "$work/node-init"
    install -m 0755 "$here/node/systemctl" "$work/systemctl"
    docker build -q -t "$tag" -f - "$work" >/dev/null 2>"$work/build.log" \
        <<END || { cat "$work/build.log" >&2; return 1; }
FROM $base_tag
COPY node-init /usr/local/sbin/node-init
COPY systemctl /usr/local/bin/systemctl
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.openstack.magnum-lite.node-image=$key
ENTRYPOINT ["/usr/local/sbin/node-init"]
END
    docker save "$tag" > "$work/image.tar"
    mv "$work/image.tar" "$tarball"
    # Node layers of earlier inputs take seconds to make again.
    find "$output" -maxdepth 1 -name 'node-image-*.tar' \
        ! -name "node-image-$key.tar" -delete
    docker images magnum-lite/node --format '{{.Repository}}:{{.Tag}}' \
        | grep -vxF "$tag" | xargs -r docker rmi >/dev/null 2>&1 || true
}

# Idempotent: an image of that name made from the same inputs is kept.
upload() {
    local existing
    existing=$(openstack image list --name "$glance_name" \
        --property "magnum_lite_node_image=$key" -f value -c ID | head -1)
    if [ -n "$existing" ]; then
        log "Glance image $glance_name ($existing) is this image already"
        return 0
    fi
    log "uploading $tarball to Glance as $glance_name"
    openstack image create "$glance_name" --container-format docker \
        --disk-format raw --property os_distro=ubuntu \
        --property os_type=linux --property "magnum_lite_node_image=$key" \
        --file "$tarball" -f value -c id >&2
}

mkdir -p "$output"
if [ -s "$tarball" ]; then
    log "reusing $tarball"
    if [ "$load" = 1 ] && ! docker image inspect "$tag" >/dev/null 2>&1; then
        docker load -i "$tarball" >/dev/null
    fi
else
    start=$(date +%s)
    build
    log "built $tag in $(( $(date +%s) - start ))s: $(du -h "$tarball" | cut -f1)"
fi
if [ -n "$glance_name" ]; then
    upload
fi
echo "$tarball"
