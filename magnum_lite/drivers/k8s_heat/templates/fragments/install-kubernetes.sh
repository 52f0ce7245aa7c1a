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
# install-kubernetes.sh: kernel settings, containerd with the systemd
# cgroup driver, and kubeadm/kubelet/kubectl of the cluster's kube_tag
# from KUBE_BINARIES_URL (a mirror for sites without Internet access).
set -euo pipefail

step 'configuring the kernel for Kubernetes networking'
printf 'overlay\nbr_netfilter\n' > /etc/modules-load.d/kubernetes.conf
modprobe overlay
modprobe br_netfilter
cat > /etc/sysctl.d/90-kubernetes.conf <<'END'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
END
sysctl --system >/dev/null

mount_runtime_volume /var/lib/containerd containerd

step 'configuring containerd'
mkdir -p /etc/containerd
containerd config default > /etc/containerd/config.toml
sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
if [ -n "$CONTAINER_INFRA_PREFIX" ]; then
    sed -i "s#registry.k8s.io/pause#${CONTAINER_INFRA_PREFIX}/pause#" \
        /etc/containerd/config.toml
fi
systemctl enable containerd
systemctl restart containerd

case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) fail "unsupported architecture $(uname -m)" ;;
esac

step "downloading Kubernetes ${KUBE_TAG} from ${KUBE_BINARIES_URL}"
for binary in kubeadm kubelet kubectl; do
    retry 5 15 logged curl -fsSL -o "/usr/local/bin/${binary}" \
        "${KUBE_BINARIES_URL}/${KUBE_TAG}/bin/linux/${arch}/${binary}"
    chmod 0755 "/usr/local/bin/${binary}"
done

step "downloading the CNI plugins from ${CNI_PLUGINS_URL}"
mkdir -p /opt/cni/bin
retry 5 15 logged curl -fsSL -o /tmp/cni-plugins.tgz \
    "${CNI_PLUGINS_URL//@ARCH@/${arch}}"
tar -xzf /tmp/cni-plugins.tgz -C /opt/cni/bin
rm -f /tmp/cni-plugins.tgz

step 'installing the kubelet service'
cat > /etc/systemd/system/kubelet.service <<'END'
[Unit]
Description=kubelet: the Kubernetes node agent
Wants=network-online.target containerd.service
After=network-online.target containerd.service

[Service]
ExecStart=/usr/local/bin/kubelet
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
END
mkdir -p /etc/systemd/system/kubelet.service.d
# What kubeadm expects of the kubelet unit: its flags come from files
# kubeadm writes during init and join.
cat > /etc/systemd/system/kubelet.service.d/10-kubeadm.conf <<'END'
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
ExecStart=
ExecStart=/usr/local/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
END
systemctl daemon-reload
systemctl enable kubelet

# The hash workers pin the API server's CA with (kubeadm's
# --discovery-token-ca-cert-hash), from the CA certificate itself.
ca_cert_hash() {
    printf '%s\n' "$CA_CERT" | openssl x509 -pubkey -noout \
        | openssl pkey -pubin -outform der \
        | openssl dgst -sha256 -hex | sed 's/^.* //'
}

# A node label value may hold only these characters, 63 at most.
NODEGROUP_LABEL=$(printf '%s' "$NODEGROUP_NAME" | tr -c 'A-Za-z0-9._-' '-' | cut -c1-63)
export NODEGROUP_LABEL

api_ready() {
    curl -fsk "https://${API_PRIVATE_ADDRESS}:${API_PORT}/readyz"
}

# kubeadm's JoinConfiguration discovery section, shared by workers and
# masters that join.
join_discovery() {
    cat <<END
discovery:
  bootstrapToken:
    apiServerEndpoint: "${API_PRIVATE_ADDRESS}:${API_PORT}"
    token: "${BOOTSTRAP_TOKEN}"
    caCertHashes: ["sha256:$(ca_cert_hash)"]
END
}
