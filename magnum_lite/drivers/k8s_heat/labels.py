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

"""The labels the k8s_heat driver reads: anything else is refused."""

from magnum_lite.drivers.heat import params as heat_params

_REGISTRY = r'^[A-Za-z0-9.:_/-]+$'

LABEL_SCHEMA = heat_params.label_schema(dict(
    heat_params.common_labels(),
    kube_tag=heat_params.string_label(
        'Kubernetes version installed by kubeadm, v1.31 or later; a '
        'cluster upgrade moves the nodes in place to the new template\'s '
        '(one minor version at a time).',
        pattern=r'^v1\.(3[1-9]|[4-9][0-9])\.[0-9]+$'),
    kube_binaries_url=heat_params.url_label(
        'Where kubeadm, kubelet and kubectl are downloaded from '
        '(<url>/<kube_tag>/bin/linux/<arch>/<binary>).'),
    cni_plugins_url=heat_params.url_label(
        'URL of the CNI plugins tarball; @ARCH@ stands for amd64 or arm64.'),
    cni_manifest_url=heat_params.url_label(
        'Manifest of the pod network, instead of the pinned Calico or '
        'Flannel release.'),
    container_infra_prefix=heat_params.string_label(
        'Registry (and path) the Kubernetes images are pulled from.',
        pattern=_REGISTRY),
    pods_network_cidr=heat_params.cidr_label('CIDR of the pod network.'),
    service_cluster_ip_range=heat_params.cidr_label(
        'CIDR of the service IPs.'),
))
