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
# Sets up this machine and runs magnum-lite all-in-one in the foreground:
# the API on 127.0.0.1:9511, the conductor, SQLite in ./state, no auth.
# Stop it with Ctrl-C (SIGINT) or SIGTERM. Extra arguments go to
# magnum-lite-aio (e.g. --config-file). Without a --config-file it reads
# only $OS_DEFAULT__STATE_PATH/aio.conf (made empty if missing), never a
# magnum-lite service's /etc/magnum_lite/magnum_lite.conf on this host.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
source tools/lib/services.sh

ensure_system_packages
ensure_dockerd
ensure_venv
ensure_cli_venv
ensure_busybox_image

# oslo.config reads OS_<GROUP>__<OPTION> from the environment.
export OS_DEFAULT__STATE_PATH=${OS_DEFAULT__STATE_PATH:-$top/state}
mkdir -p "$OS_DEFAULT__STATE_PATH"
log "magnum-lite all-in-one: state in $OS_DEFAULT__STATE_PATH"
case " $* " in
    *" --config-file"*) ;;
    *)
        config="$OS_DEFAULT__STATE_PATH/aio.conf"
        [ -f "$config" ] || echo "# magnum-lite-aio options (see etc/magnum_lite)" > "$config"
        set -- --config-file "$config" "$@"
        ;;
esac
exec .venv/bin/magnum-lite-aio "$@"
