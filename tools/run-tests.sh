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
# Runs the whole test suite on a fresh Debian machine: installs what the
# tests need, starts the services they talk to, then runs unit and
# functional tests, the generated-sample checks and the linters.
# Extra arguments are passed to pytest (e.g. tests/unit -k cluster).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
source tools/lib/services.sh

ensure_system_packages
ensure_dockerd
ensure_rabbitmq
ensure_mariadb
ensure_postgresql
ensure_venv

export PATH="$top/.venv/bin:$PATH"
mkdir -p artifacts

status=0
tools/check-generated.sh || status=1
log "flake8 and shellcheck"
flake8 magnum_lite nova_docker_driver heat_plugins tests benchmarks tools || status=1
shellcheck -x tools/*.sh tools/lib/*.sh tools/cloud/lib/*.sh tools/images/*.sh \
    tools/images/node/systemctl \
    .ci/run || status=1
if [ $# -gt 0 ]; then
    pytest "$@" || status=1
else
    # One pytest process per package: Nova and Heat register their options
    # on oslo.config's global CONF, which must not meet ours in one process.
    # Every folder under tests/unit and tests/functional is one group.
    groups=$(find tests/unit tests/functional -mindepth 1 -maxdepth 1 -type d \
             ! -name __pycache__ -printf '%f\n' | sort -u)
    for package in $groups; do
        dirs=()
        for kind in unit functional; do
            [ -d "tests/$kind/$package" ] && dirs+=("tests/$kind/$package")
        done
        [ ${#dirs[@]} -gt 0 ] || continue
        log "pytest ${dirs[*]}"
        started=$(date +%s)
        rc=0
        pytest --junitxml="artifacts/junit-$package.xml" "${dirs[@]}" || rc=$?
        # 5 means the folder holds no test yet: not a failure of the run.
        if [ $rc != 0 ] && [ $rc != 5 ]; then
            status=1
        fi
        log "pytest ${dirs[*]}: exit $rc in $(( $(date +%s) - started )) s"
    done
fi
exit $status
