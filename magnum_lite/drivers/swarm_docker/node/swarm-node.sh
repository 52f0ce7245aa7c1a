#!/bin/sh
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
# Bootstrap of one swarm_docker node (busybox sh, run by docker-init).
#
# Starts the node's own dockerd with a TLS API on 2376, then either makes
# the swarm (SWARM_BOOTSTRAP=init, the first manager) or joins it through
# the first manager's TLS API (SWARM_BOOTSTRAP=join). /run/swarm-node.ready
# marks a node that is in the swarm: the container's health check, and so
# the Heat resource, waits for it.
#
# Environment (set by the Heat template):
#   SWARM_NODE_NAME     node name (also the hostname)
#   SWARM_NODE_IP       fixed address on the cluster network ('' = eth0's)
#   SWARM_ROLE          manager | worker
#   SWARM_BOOTSTRAP     init | join
#   SWARM_MANAGER       address of the first manager (join)
#   SWARM_JOIN_TIMEOUT  seconds a join may wait for the first manager
#   SWARM_TLS_CA, SWARM_TLS_CERT, SWARM_TLS_KEY   PEM texts
set -eu
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

TLS_DIR=/etc/docker/tls
READY=/run/swarm-node.ready

log() { echo "swarm-node ${SWARM_NODE_NAME:-?}: $*" >&2; }
die() { log "$*"; exit 1; }

# Without --privileged (the host may lack a capability it needs), /sys,
# the cgroup mounts and /proc/sys come read-only; dockerd needs them
# writable (cgroups, ip_forward). A bind remount changes only this mount's
# flag, never the host's superblock.
make_mounts_writable() {
  awk '$2 == "/sys" || $2 ~ /^\/sys\/fs\/cgroup/ || $2 == "/proc/sys" {
         split($4, o, ","); if (o[1] == "ro") print $2 }' /proc/self/mounts |
  while read -r mp; do
    mount -o remount,bind,rw "$mp" || log "could not remount $mp rw"
  done
  mountpoint -q /tmp || mount -t tmpfs -o mode=1777 tmpfs /tmp || true
  mkdir -p /var/lib/docker /run
  # A restarted node keeps /run of its last life in the image layer.
  rm -f /run/docker.pid /run/docker/containerd/containerd.pid "$READY"
}

write_tls() {
  mkdir -p "$TLS_DIR"
  umask 077
  printf '%s\n' "${SWARM_TLS_CA:?no CA certificate}" > "$TLS_DIR/ca.pem"
  printf '%s\n' "${SWARM_TLS_CERT:?no node certificate}" > "$TLS_DIR/cert.pem"
  printf '%s\n' "${SWARM_TLS_KEY:?no node key}" > "$TLS_DIR/key.pem"
  umask 022
}

node_ip() {
  if [ -n "${SWARM_NODE_IP:-}" ]; then
    echo "$SWARM_NODE_IP"
  else
    ip -4 addr show dev eth0 |
      awk '$1 == "inet" { split($2, a, "/"); print a[1]; exit }'
  fi
}

start_dockerd() {
  # TLS on: dockerd 20.10 skips its 15 s start-up delay for open APIs.
  dockerd -H unix:///var/run/docker.sock -H tcp://0.0.0.0:2376 \
    --tlsverify --tlscacert "$TLS_DIR/ca.pem" \
    --tlscert "$TLS_DIR/cert.pem" --tlskey "$TLS_DIR/key.pem" &
  DOCKERD_PID=$!
  trap 'kill -TERM "$DOCKERD_PID" 2>/dev/null' TERM INT
  i=0
  until docker version >/dev/null 2>&1; do
    kill -0 "$DOCKERD_PID" 2>/dev/null || die "dockerd exited during start"
    i=$((i + 1))
    [ "$i" -lt 600 ] || die "dockerd did not answer within 60 s"
    sleep 0.1
  done
}

swarm_state() {
  docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true
}

# The first manager's API, as this node's own certificate (it carries
# clientAuth) authenticates it.
manager_docker() {
  docker --tlsverify --tlscacert "$TLS_DIR/ca.pem" \
    --tlscert "$TLS_DIR/cert.pem" --tlskey "$TLS_DIR/key.pem" \
    -H "tcp://$SWARM_MANAGER:2376" "$@"
}

join_swarm() {
  : "${SWARM_MANAGER:?no manager address to join}"
  deadline=$(( $(date +%s) + ${SWARM_JOIN_TIMEOUT:-300} ))
  token=''
  # The first manager may still be starting: ask until it gives a token.
  while [ -z "$token" ]; do
    token=$(manager_docker swarm join-token -q "$SWARM_ROLE" 2>/dev/null) ||
      token=''
    if [ -z "$token" ]; then
      [ "$(date +%s)" -lt "$deadline" ] ||
        die "no join token from manager $SWARM_MANAGER:2376"
      sleep 0.2
    fi
  done
  docker swarm join --token "$token" --advertise-addr "$(node_ip)" \
    "$SWARM_MANAGER:2377" >/dev/null ||
    die "could not join the swarm of $SWARM_MANAGER"
}

make_mounts_writable
write_tls
start_dockerd
# A restarted node (its /var/lib/docker is a volume) is still in the swarm.
if [ "$(swarm_state)" != active ]; then
  case "${SWARM_BOOTSTRAP:-}" in
    init)
      docker swarm init --advertise-addr "$(node_ip)" \
        --listen-addr 0.0.0.0:2377 >/dev/null || die "swarm init failed"
      ;;
    join)
      join_swarm
      ;;
    *)
      die "SWARM_BOOTSTRAP must be init or join, not '${SWARM_BOOTSTRAP:-}'"
      ;;
  esac
fi
log "in the swarm as $SWARM_ROLE"
touch "$READY"
# Stay as long as the engine does; a TERM is passed on to it.
set +e
wait "$DOCKERD_PID"
status=$?
# wait returns early when a trapped signal arrives; wait for the end.
while kill -0 "$DOCKERD_PID" 2>/dev/null; do
  wait "$DOCKERD_PID"
  status=$?
done
exit "$status"
