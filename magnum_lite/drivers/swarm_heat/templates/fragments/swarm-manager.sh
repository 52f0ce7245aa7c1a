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
# swarm-manager.sh: manager 0 creates the swarm; the others join it as
# managers through manager 0's TLS Docker API.
set -euo pipefail

if [ "$NODE_INDEX" = 0 ]; then
    step 'creating the swarm'
    logged docker swarm init --advertise-addr "$(private_address)"
else
    join_swarm manager
fi
signal SUCCESS "manager ${NODE_NAME} is in the swarm"
