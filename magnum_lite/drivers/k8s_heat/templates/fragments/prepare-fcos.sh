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
# prepare-fcos.sh: Fedora CoreOS ships containerd; kubeadm's host tools
# are layered with rpm-ostree and applied live, so no reboot is needed.
set -euo pipefail

step 'layering conntrack-tools, socat and ethtool with rpm-ostree'
missing=()
for tool in conntrack socat ethtool; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    retry 5 15 logged rpm-ostree install --idempotent --allow-inactive --apply-live \
        conntrack-tools socat ethtool
fi
# kubelet cannot yet label its volumes on every CoreOS release.
setenforce 0 || true
sed -i 's/^SELINUX=enforcing/SELINUX=permissive/' /etc/selinux/config
