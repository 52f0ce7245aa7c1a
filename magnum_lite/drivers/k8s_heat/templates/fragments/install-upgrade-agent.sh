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
# install-upgrade-agent.sh: runs last in the bootstrap, once the node is in
# the cluster. script.yaml has already written the agent
# (upgrade-agent.sh) to /usr/local/sbin/magnum-lite-upgrade; this records
# the version the node was built with and starts the agent's timer. Its
# first run signals the node's upgrade handle for every version of the
# cluster's history, which the node satisfies as built.
set -euo pipefail

step 'starting the in-place upgrade agent'
chmod 0700 /usr/local/sbin/magnum-lite-upgrade
printf '%s\n' "$KUBE_TAG" > /var/lib/magnum-lite/kube_tag
cat > /etc/systemd/system/magnum-lite-upgrade.service <<'END'
[Unit]
Description=magnum-lite: upgrade Kubernetes to the version in the server metadata
Wants=network-online.target
After=network-online.target kubelet.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/magnum-lite-upgrade
END
cat > /etc/systemd/system/magnum-lite-upgrade.timer <<'END'
[Unit]
Description=magnum-lite: look for a Kubernetes upgrade every minute

[Timer]
OnBootSec=1min
OnUnitInactiveSec=1min

[Install]
WantedBy=timers.target
END
systemctl daemon-reload
systemctl enable --now magnum-lite-upgrade.timer
systemctl start --no-block magnum-lite-upgrade.service
