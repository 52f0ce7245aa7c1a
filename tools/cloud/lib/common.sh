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
# The layout of the one-machine cloud (DevStack's) and the helpers every
# service part uses: the virtualenv, databases, ini files, background
# processes with pid files, and waiting for them to answer.
# shellcheck disable=SC2034  # the variables are read by the other parts

# The repository (tools/cloud.sh sets it too).
top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
STACK_DIR=${STACK_DIR:-/opt/stack}
VENV=${VENV:-$STACK_DIR/venv}
DATA_DIR=$STACK_DIR/data
LOG_DIR=$STACK_DIR/logs
RUN_DIR=$STACK_DIR/run
SERVICE_HOST=${SERVICE_HOST:-127.0.0.1}
REGION_NAME=${REGION_NAME:-RegionOne}
TRANSPORT_URL=${TRANSPORT_URL:-rabbit://guest:guest@127.0.0.1:5672/}
DATABASE_HOST=${DATABASE_HOST:-127.0.0.1}
DATABASE_USER=${DATABASE_USER:-root}
DATABASE_PASSWORD=${DATABASE_PASSWORD:-}
SERVICE_TIMEOUT=${SERVICE_TIMEOUT:-90}
KEYSTONE_URL=http://$SERVICE_HOST:5000
CLOUDS_YAML=/etc/openstack/clouds.yaml
# Service users and the trustee/stack domain admins share one password,
# kept in a root-only file so that a second `up` reuses it.
SECRETS_FILE=/etc/openstack/cloud-secrets

# The packages an operator installs; SQLAlchemy stays below 2.1 because
# Nova's database layer does not support it yet.
CLOUD_PIP_PACKAGES=(
    keystone glance openstack-placement nova==34.0.0 openstack-heat
    python-openstackclient python-magnumclient python-heatclient
    python-glanceclient osc-placement gunicorn PyMySQL
    "SQLAlchemy>=2.0,<2.1"
)

# cloud_dirs: the DevStack-like directory layout.
cloud_dirs() {
    mkdir -p "$DATA_DIR" "$LOG_DIR" "$RUN_DIR" /etc/openstack
}

# cloud_secret NAME [FIRST]: a password stable across runs: FIRST, or a
# generated one, the first time.
cloud_secret() {
    local name=$1 first=${2:-} value
    touch "$SECRETS_FILE"
    chmod 600 "$SECRETS_FILE"
    value=$(sed -n "s/^$name=//p" "$SECRETS_FILE")
    if [ -z "$value" ]; then
        value=${first:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}
        echo "$name=$value" >>"$SECRETS_FILE"
    fi
    echo "$value"
}

# venv_install: /opt/stack/venv with the released services and this
# repository (reinstalled only when one of its files changed).
venv_install() {
    local stamp=$VENV/.cloud-packages main_stamp=$VENV/.cloud-magnum-lite
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV"
        python3 -m venv "$VENV"
    fi
    if [ ! -f "$stamp" ]; then
        log "installing the OpenStack services into $VENV"
        "$VENV/bin/pip" install -q "${CLOUD_PIP_PACKAGES[@]}" >>"$LOG_DIR/pip.log" 2>&1 ||
            { log "pip failed; see $LOG_DIR/pip.log"; return 1; }
        touch "$stamp"
    fi
    if [ ! -f "$main_stamp" ] || [ -n "$(find "$top/setup.cfg" "$top/magnum_lite" \
            "$top/nova_docker_driver" "$top/heat_plugins" -newer "$main_stamp" \
            -name '*.py' -o -newer "$main_stamp" -name setup.cfg | head -1)" ]; then
        log "installing magnum-lite from $top into $VENV"
        # A regular (not editable) install, as an operator's; its
        # dependencies come from requirements.txt, test-requirements.txt
        # never.
        if ! (cd /tmp && "$VENV/bin/pip" install -q --no-deps --force-reinstall "$top" &&
                "$VENV/bin/pip" install -q -r "$top/requirements.txt") >>"$LOG_DIR/pip.log" 2>&1
        then
            log "pip failed; see $LOG_DIR/pip.log"
            return 1
        fi
        touch "$main_stamp"
    fi
}

# copy_file SRC... DEST_DIR: copy the files whose content differs, so
# that a second `up` leaves the configuration alone.
copy_file() {
    local dest=${*: -1} src
    for src in "${@:1:$#-1}"; do
        cmp -s "$src" "$dest/$(basename "$src")" || cp "$src" "$dest/"
    done
}

# database_url NAME: the SQLAlchemy URL of a MariaDB database.
database_url() {
    echo "mysql+pymysql://$DATABASE_USER:$DATABASE_PASSWORD@$DATABASE_HOST/$1?charset=utf8"
}

# database_create NAME: create it when missing; prints "new" when it did.
database_create() {
    local name=$1
    if mysql -u"$DATABASE_USER" -e "USE \`$name\`" 2>/dev/null; then
        return 0
    fi
    mysql -u"$DATABASE_USER" -e \
        "CREATE DATABASE \`$name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
    echo new
}

# database_drop NAME...
database_drop() {
    local name
    for name in "$@"; do
        mysql -u"$DATABASE_USER" -e "DROP DATABASE IF EXISTS \`$name\`"
    done
}

# process_running NAME: its pid file names a live process.
process_running() {
    local pidfile=$RUN_DIR/$1.pid pid
    [ -f "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# process_start NAME COMMAND...: run in its own session in the
# background, output in $LOG_DIR/NAME.log, pid in $RUN_DIR/NAME.pid.
# A process already running is left alone; PROCESS_STARTED counts the
# ones started, so that callers skip follow-up work on a second `up`.
PROCESS_STARTED=0
process_start() {
    local name=$1
    shift
    if process_running "$name"; then
        return 0
    fi
    PROCESS_STARTED=$((PROCESS_STARTED + 1))
    log "starting $name"
    setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
}

# process_stop NAME: SIGTERM to its whole session (gunicorn workers,
# privsep helpers), SIGKILL after 15 s.
process_stop() {
    local name=$1 pidfile=$RUN_DIR/$1.pid pid
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        log "stopping $name"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 15); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

# process_status NAME [URL]: one status line; with a URL, whether it
# answers there (an HTTP status below 500: an API that wants a token
# answers 401) rather than only whether it runs. STATUS_FAILED becomes 1
# when it does not.
STATUS_FAILED=0
process_status() {
    local name=$1 url=${2:-} state=stopped code
    if ! process_running "$name"; then
        STATUS_FAILED=1
    else
        state="running (pid $(cat "$RUN_DIR/$name.pid"))"
        if [ -n "$url" ]; then
            code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" || true)
            if [ "${code:-000}" != 000 ] && [ "$code" -lt 500 ]; then
                state="$state, answers at $url (HTTP $code)"
            else
                state="$state, NOT answering at $url (HTTP ${code:-000})"
                STATUS_FAILED=1
            fi
        fi
    fi
    printf '  %-24s %s\n' "$name" "$state"
}

# wait_for_url URL [SECONDS]: until it answers HTTP at all.
wait_for_url() {
    local url=$1 timeout=${2:-$SERVICE_TIMEOUT}
    for _ in $(seq 1 "$timeout"); do
        curl -s -o /dev/null -m 5 "$url" && return 0
        sleep 1
    done
    log "$url did not answer within ${timeout}s"
    return 1
}

# wsgi_shim NAME MODULE: a module gunicorn can load that exposes
# MODULE's `application`. The services parse sys.argv with oslo.config
# when the application is built, and gunicorn's own arguments would be
# refused there, so the shim clears them first.
wsgi_shim() {
    local name=$1 module=$2 dir=$DATA_DIR/wsgi
    mkdir -p "$dir"
    cat >"$dir/${name//-/_}_wsgi.py" <<EOF
# Generated by tools/cloud.sh: serve $module under gunicorn.
import sys
sys.argv = sys.argv[:1]
from $module import application  # noqa: E402,F401
EOF
}

# gunicorn_start NAME MODULE PORT [ENV=VALUE...]: serve a WSGI app on
# SERVICE_HOST:PORT with one worker process and a few threads.
gunicorn_start() {
    local name=$1 module=$2 port=$3
    shift 3
    wsgi_shim "$name" "$module"
    process_start "$name" env "$@" "$VENV/bin/gunicorn" \
        --chdir "$DATA_DIR/wsgi" --bind "$SERVICE_HOST:$port" \
        --workers 1 --threads 4 --worker-class gthread --timeout 300 --graceful-timeout 5 \
        --no-control-socket --name "$name" "${name//-/_}_wsgi:application"
}

# openstack_cli ARGS...: the CLI of the venv. Heat's dependencies bring
# client plugins (blazar) that print "Could not load ..." on every call;
# those lines are dropped, everything else on stderr is kept.
openstack_cli() {
    { "$VENV/bin/openstack" "$@" 2>&1 1>&3 3>&- |
        sed "/^Could not load '/d" >&2; } 3>&1
}

# openstack_admin ARGS...: the CLI as the cloud's admin.
openstack_admin() {
    openstack_cli --os-cloud devstack-admin "$@"
}
