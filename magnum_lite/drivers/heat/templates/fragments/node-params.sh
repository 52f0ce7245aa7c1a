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
# node-params.sh: the facts of one node, filled in by node.yaml with
# str_replace_strict. It opens every node's bootstrap script, which is
# this file followed by the cluster's part (see the drivers' script.yaml).
set -euo pipefail
umask 077
mkdir -p /etc/magnum-lite /var/lib/magnum-lite
cat > /etc/magnum-lite/node.env <<'END_OF_PARAMS'
NODE_NAME='@NODE_NAME@'
NODE_ROLE='@NODE_ROLE@'
NODE_INDEX='@NODE_INDEX@'
NODE_PUBLIC_ADDRESS='@NODE_PUBLIC_ADDRESS@'
DOCKER_VOLUME_ID='@DOCKER_VOLUME_ID@'
WAIT_ENDPOINT='@WAIT_ENDPOINT@'
WAIT_TOKEN='@WAIT_TOKEN@'
UPGRADE_SIGNAL='@UPGRADE_SIGNAL@'
END_OF_PARAMS
# shellcheck source=/dev/null
source /etc/magnum-lite/node.env
