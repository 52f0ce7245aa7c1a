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
# Helpers shared by tools/run-tests.sh and tools/aio.sh: each one makes a
# dependency present and running, and is a no-op when it already is.

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_system_packages() {
    local missing=()
    command -v dockerd >/dev/null || missing+=(docker.io)
    [ -x /bin/busybox ] || missing+=(busybox-static)
    command -v shellcheck >/dev/null || missing+=(shellcheck)
    command -v ip >/dev/null || missing+=(iproute2)
    command -v iptables >/dev/null || missing+=(iptables)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v chromedriver >/dev/null || missing+=(chromium chromium-driver)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

ensure_dockerd() {
    if docker info >/dev/null 2>&1; then
        return 0
    fi
    log "starting dockerd"
    mkdir -p /var/log
    nohup dockerd >/var/log/dockerd.log 2>&1 &
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && return 0
        sleep 1
    done
    log "dockerd did not start; see /var/log/dockerd.log"
    return 1
}

ensure_rabbitmq() {
    if ! rabbitmqctl -q status >/dev/null 2>&1; then
        log "starting rabbitmq"
        rabbitmq-server -detached || true
        for _ in $(seq 1 60); do
            rabbitmqctl -q status >/dev/null 2>&1 && return 0
            sleep 1
        done
        log "rabbitmq did not start"
        return 1
    fi
}

ensure_mariadb() {
    if ! mysqladmin -uroot status >/dev/null 2>&1; then
        log "starting mariadb"
        start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
        for _ in $(seq 1 60); do
            mysqladmin -uroot status >/dev/null 2>&1 && return 0
            sleep 1
        done
        log "mariadb did not start"
        return 1
    fi
}

ensure_postgresql() {
    if ! pg_isready -q -h 127.0.0.1 >/dev/null 2>&1; then
        log "starting postgresql"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
        for _ in $(seq 1 60); do
            pg_isready -q -h 127.0.0.1 && return 0
            sleep 1
        done
        log "postgresql did not start"
        return 1
    fi
}

# The project's virtualenv in .venv, refreshed when a requirements file
# is newer than the stamp left by the last install.
ensure_venv() {
    local stamp=.venv/.installed
    if [ ! -x .venv/bin/python ]; then
        log "creating .venv"
        python3 -m venv .venv
        .venv/bin/pip install -q -U pip wheel setuptools
    fi
    if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || \
            [ test-requirements.txt -nt "$stamp" ] || [ setup.cfg -nt "$stamp" ]; then
        log "installing Python requirements"
        .venv/bin/pip install -q -r requirements.txt -r test-requirements.txt
        .venv/bin/pip install -q --no-deps -e .
        touch "$stamp"
    fi
}

# The users' command-line environment in .venv-cli, as a user installs
# it: python-openstackclient and this package (for python-magnumclient
# and our `coe container` commands), without the services' dependencies:
# Heat pulls in client plugins whose commands break the openstack CLI.
ensure_cli_venv() {
    local stamp=.venv-cli/.installed
    if [ ! -x .venv-cli/bin/openstack ] || [ ! -f "$stamp" ] || \
            [ requirements.txt -nt "$stamp" ] || [ setup.cfg -nt "$stamp" ]; then
        log "installing the openstack CLI in .venv-cli"
        [ -x .venv-cli/bin/python ] || python3 -m venv .venv-cli
        .venv-cli/bin/pip install -q --disable-pip-version-check \
            python-openstackclient .
        touch "$stamp"
    fi
}

# busybox:latest on the host engine, made offline from Debian's
# busybox-static when the engine lacks it (no registry is needed).
ensure_busybox_image() {
    if docker image inspect busybox:latest >/dev/null 2>&1; then
        return 0
    fi
    log "importing busybox:latest from /bin/busybox"
    local root
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/tmp" "$root/var/www"
    cp /bin/busybox "$root/bin/busybox"
    local applet
    for applet in $("$root/bin/busybox" --list); do
        [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    tar -C "$root" -c . | docker import \
        --change 'CMD ["sh"]' --change 'ENV PATH=/bin' - busybox:latest \
        >/dev/null
    rm -rf "$root"
}
