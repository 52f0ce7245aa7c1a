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
# Fails when the checked-in sample configuration or policy file is not what
# the code generates now (run `tox -e genconfig,genpolicy` to refresh them).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
oslo-config-generator --config-file etc/magnum_lite/magnum-lite-config-generator.conf \
    --output-file "$tmp/magnum_lite.conf.sample"
oslopolicy-sample-generator --config-file etc/magnum_lite/magnum-lite-policy-generator.conf \
    --output-file "$tmp/policy.yaml.sample"
status=0
for f in magnum_lite.conf.sample policy.yaml.sample; do
    if ! diff -u "etc/magnum_lite/$f" "$tmp/$f"; then
        echo "etc/magnum_lite/$f is stale: run tox -e genconfig,genpolicy" >&2
        status=1
    fi
done
[ $status = 0 ] && echo "generated samples are current"
exit $status
