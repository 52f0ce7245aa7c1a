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
# prepare-ubuntu.sh: container runtime and kubeadm's host tools from the
# Ubuntu archive (jq for the upgrade agent).
set -euo pipefail

step 'installing containerd from the Ubuntu archive'
export DEBIAN_FRONTEND=noninteractive
retry 5 15 logged apt-get update -q
retry 5 15 logged apt-get install -qy containerd conntrack socat ethtool \
    ebtables xfsprogs curl ca-certificates jq
