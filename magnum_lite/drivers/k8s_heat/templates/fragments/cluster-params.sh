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
# cluster-params.sh: what every node of a Kubernetes cluster knows about
# it, filled in by script.yaml with str_replace_strict. Workers get empty
# CA keys and CERTIFICATE_KEY: only masters may hold a CA's key.
set -euo pipefail
cat > /etc/magnum-lite/cluster.env <<'END_OF_PARAMS'
CLUSTER_UUID='@CLUSTER_UUID@'
OS_DISTRO='@OS_DISTRO@'
KUBE_TAG='@KUBE_TAG@'
KUBE_BINARIES_URL='@KUBE_BINARIES_URL@'
CNI_PLUGINS_URL='@CNI_PLUGINS_URL@'
CONTAINER_INFRA_PREFIX='@CONTAINER_INFRA_PREFIX@'
NETWORK_DRIVER='@NETWORK_DRIVER@'
CNI_MANIFEST_URL='@CNI_MANIFEST_URL@'
PODS_NETWORK_CIDR='@PODS_NETWORK_CIDR@'
SERVICE_CLUSTER_IP_RANGE='@SERVICE_CLUSTER_IP_RANGE@'
API_PRIVATE_ADDRESS='@API_PRIVATE_ADDRESS@'
API_PUBLIC_ADDRESS='@API_PUBLIC_ADDRESS@'
API_PORT='@API_PORT@'
NODEGROUP_NAME='@NODEGROUP_NAME@'
HTTP_PROXY='@HTTP_PROXY@'
HTTPS_PROXY='@HTTPS_PROXY@'
NO_PROXY='@NO_PROXY@'
OPENSTACK_CA='@OPENSTACK_CA@'
CA_CERT='@CA_CERT@'
CA_KEY='@CA_KEY@'
ETCD_CA_CERT='@ETCD_CA_CERT@'
ETCD_CA_KEY='@ETCD_CA_KEY@'
FRONT_PROXY_CA_CERT='@FRONT_PROXY_CA_CERT@'
FRONT_PROXY_CA_KEY='@FRONT_PROXY_CA_KEY@'
BOOTSTRAP_TOKEN='@BOOTSTRAP_TOKEN@'
CERTIFICATE_KEY='@CERTIFICATE_KEY@'
END_OF_PARAMS
# shellcheck source=/dev/null
source /etc/magnum-lite/cluster.env
