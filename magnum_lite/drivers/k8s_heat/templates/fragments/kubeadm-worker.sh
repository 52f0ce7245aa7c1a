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
# kubeadm-worker.sh: join the cluster with the bootstrap token, trusting
# only an API server whose CA matches the cluster CA's hash.
set -euo pipefail

step "waiting for the API server at ${API_PRIVATE_ADDRESS}:${API_PORT}"
wait_until 1800 'the API server' api_ready

step 'writing the kubeadm join configuration'
{
    echo 'apiVersion: kubeadm.k8s.io/v1beta4'
    echo 'kind: JoinConfiguration'
    join_discovery
    cat <<END
nodeRegistration:
  kubeletExtraArgs:
    - {name: node-labels, value: "magnum-lite/nodegroup=${NODEGROUP_LABEL}"}
END
} > /etc/magnum-lite/kubeadm.yaml

step 'joining the cluster with kubeadm'
retry 3 30 logged kubeadm join --config /etc/magnum-lite/kubeadm.yaml
signal SUCCESS "worker ${NODE_NAME} joined"
