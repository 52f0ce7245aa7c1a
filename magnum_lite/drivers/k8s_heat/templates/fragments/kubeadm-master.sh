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
# kubeadm-master.sh: node 0 runs kubeadm init with the cluster's CA (from
# magnum-lite, so the conductor can issue client certificates) and a
# bootstrap token derived for the cluster; the other masters join the
# control plane through it. No external etcd discovery: kubeadm's stacked
# etcd grows as masters join.
set -euo pipefail

address=$(private_address)
step 'writing the cluster CA for kubeadm'
install -d -m 0700 /etc/kubernetes/pki
printf '%s\n' "$CA_CERT" > /etc/kubernetes/pki/ca.crt
printf '%s\n' "$CA_KEY" > /etc/kubernetes/pki/ca.key
chmod 0600 /etc/kubernetes/pki/ca.key
# The etcd and front-proxy CAs of the cluster too, when magnum-lite made
# them; kubeadm makes its own otherwise.
install_ca() {
    local cert=$1 key=$2 path=$3
    if [ -n "$cert" ] && [ -n "$key" ]; then
        install -d -m 0700 "$(dirname "$path")"
        printf '%s\n' "$cert" > "${path}.crt"
        printf '%s\n' "$key" > "${path}.key"
    fi
}
install_ca "$ETCD_CA_CERT" "$ETCD_CA_KEY" /etc/kubernetes/pki/etcd/ca
install_ca "$FRONT_PROXY_CA_CERT" "$FRONT_PROXY_CA_KEY" \
    /etc/kubernetes/pki/front-proxy-ca

sans="\"${address}\", \"${API_PRIVATE_ADDRESS}\""
for extra in "$API_PUBLIC_ADDRESS" "$NODE_PUBLIC_ADDRESS"; do
    if [ -n "$extra" ]; then
        sans="${sans}, \"${extra}\""
    fi
done
image_repository=${CONTAINER_INFRA_PREFIX:-registry.k8s.io}

if [ "$NODE_INDEX" = 0 ]; then
    step 'writing the kubeadm init configuration'
    cat > /etc/magnum-lite/kubeadm.yaml <<END
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
  - token: "${BOOTSTRAP_TOKEN}"
    ttl: "0s"
    groups: ["system:bootstrappers:kubeadm:default-node-token"]
    usages: ["signing", "authentication"]
certificateKey: "${CERTIFICATE_KEY}"
localAPIEndpoint:
  advertiseAddress: "${address}"
  bindPort: ${API_PORT}
nodeRegistration:
  kubeletExtraArgs:
    - {name: node-labels, value: "magnum-lite/nodegroup=${NODEGROUP_LABEL}"}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: "${KUBE_TAG}"
controlPlaneEndpoint: "${API_PRIVATE_ADDRESS}:${API_PORT}"
imageRepository: "${image_repository}"
networking:
  podSubnet: "${PODS_NETWORK_CIDR}"
  serviceSubnet: "${SERVICE_CLUSTER_IP_RANGE}"
apiServer:
  certSANs: [${sans}]
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
END
    step "running kubeadm init for Kubernetes ${KUBE_TAG}"
    logged kubeadm init --config /etc/magnum-lite/kubeadm.yaml --upload-certs

    step "installing the ${NETWORK_DRIVER} network from ${CNI_MANIFEST_URL}"
    export KUBECONFIG=/etc/kubernetes/admin.conf
    retry 5 15 logged curl -fsSL -o /etc/magnum-lite/cni.yaml "$CNI_MANIFEST_URL"
    if [ "$NETWORK_DRIVER" = flannel ]; then
        sed -i "s#10.244.0.0/16#${PODS_NETWORK_CIDR}#" /etc/magnum-lite/cni.yaml
    fi
    retry 10 15 logged kubectl apply -f /etc/magnum-lite/cni.yaml
else
    step "waiting for the API server at ${API_PRIVATE_ADDRESS}:${API_PORT}"
    wait_until 1800 "the first master's API server" api_ready
    step 'writing the kubeadm join configuration'
    {
        echo 'apiVersion: kubeadm.k8s.io/v1beta4'
        echo 'kind: JoinConfiguration'
        join_discovery
        cat <<END
controlPlane:
  certificateKey: "${CERTIFICATE_KEY}"
  localAPIEndpoint:
    advertiseAddress: "${address}"
    bindPort: ${API_PORT}
nodeRegistration:
  kubeletExtraArgs:
    - {name: node-labels, value: "magnum-lite/nodegroup=${NODEGROUP_LABEL}"}
END
    } > /etc/magnum-lite/kubeadm.yaml
    step 'joining the control plane with kubeadm'
    retry 3 30 logged kubeadm join --config /etc/magnum-lite/kubeadm.yaml
fi

step 'waiting for the local API server to be ready'
wait_until 600 'the local API server' \
    curl -fsk "https://${address}:${API_PORT}/readyz"
signal SUCCESS "master ${NODE_NAME} is ready"
