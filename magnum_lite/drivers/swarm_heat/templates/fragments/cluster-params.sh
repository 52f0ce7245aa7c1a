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
# cluster-params.sh: what every node of a Swarm cluster knows about it,
# filled in by script.yaml with str_replace_strict. The nodes never see
# the CA key: each asks magnum-lite to sign its own certificate.
set -euo pipefail
cat > /etc/magnum-lite/cluster.env <<'END_OF_PARAMS'
CLUSTER_UUID='@CLUSTER_UUID@'
OS_DISTRO='@OS_DISTRO@'
PRIMARY_ADDRESS='@PRIMARY_ADDRESS@'
API_PRIVATE_ADDRESS='@API_PRIVATE_ADDRESS@'
API_PUBLIC_ADDRESS='@API_PUBLIC_ADDRESS@'
DOCKER_PORT='@DOCKER_PORT@'
MAGNUM_URL='@MAGNUM_URL@'
AUTH_URL='@AUTH_URL@'
TRUSTEE_USER_ID='@TRUSTEE_USER_ID@'
TRUSTEE_PASSWORD='@TRUSTEE_PASSWORD@'
TRUST_ID='@TRUST_ID@'
VERIFY_CA='@VERIFY_CA@'
HTTP_PROXY='@HTTP_PROXY@'
HTTPS_PROXY='@HTTPS_PROXY@'
NO_PROXY='@NO_PROXY@'
OPENSTACK_CA='@OPENSTACK_CA@'
CA_CERT='@CA_CERT@'
END_OF_PARAMS
# shellcheck source=/dev/null
source /etc/magnum-lite/cluster.env
