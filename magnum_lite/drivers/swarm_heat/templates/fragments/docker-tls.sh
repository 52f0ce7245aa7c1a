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
# docker-tls.sh: the Docker API on DOCKER_PORT behind TLS with client
# certificates. This node's key never leaves it: it sends a CSR to
# magnum-lite's certificate API (POST /v1/certificates), authenticated
# with a Keystone token of the cluster's trust when there is one, and
# gets back a certificate signed by the cluster CA. The same certificate
# is the node's client certificate towards the other nodes.
set -euo pipefail

tls=/etc/docker/tls
address=$(private_address)

keystone_token() {
    local body
    body=$(jq -n --arg user "$TRUSTEE_USER_ID" \
        --arg password "$TRUSTEE_PASSWORD" --arg trust "$TRUST_ID" \
        '{auth: {identity: {methods: ["password"],
                            password: {user: {id: $user,
                                              password: $password}}},
                 scope: {"OS-TRUST:trust": {id: $trust}}}}')
    curl_openstack -i -X POST -H 'Content-Type: application/json' \
        --data-binary "$body" "${AUTH_URL}/auth/tokens" \
        | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *\([^[:space:]]*\).*/\1/p'
}

step 'making the key and certificate request of the Docker API'
install -d -m 0700 "$tls"
printf '%s\n' "$CA_CERT" > "${tls}/ca.pem"
sans="IP:${address},DNS:$(hostname)"
for extra in "$NODE_PUBLIC_ADDRESS" "$API_PRIVATE_ADDRESS" "$API_PUBLIC_ADDRESS"; do
    if [ -n "$extra" ] && [ "$NODE_ROLE" = master ]; then
        sans="${sans},IP:${extra}"
    fi
done
openssl genrsa -out "${tls}/key.pem" 4096 2>/dev/null
openssl req -new -key "${tls}/key.pem" -out "${tls}/node.csr" \
    -subj "/CN=${NODE_NAME}" \
    -addext "subjectAltName=${sans}" \
    -addext 'keyUsage=digitalSignature,keyEncipherment' \
    -addext 'extendedKeyUsage=serverAuth,clientAuth'

step "asking ${MAGNUM_URL} to sign the certificate"
headers=(-H 'Content-Type: application/json'
         -H 'OpenStack-API-Version: container-infra latest')
if [ -n "$TRUST_ID" ]; then
    token=$(keystone_token)
    [ -n "$token" ] || fail "Keystone gave no token for trust ${TRUST_ID}"
    headers+=(-H "X-Auth-Token: ${token}")
fi
request=$(jq -n --arg uuid "$CLUSTER_UUID" --arg csr "$(cat "${tls}/node.csr")" \
    '{cluster_uuid: $uuid, csr: $csr}')
curl_openstack -X POST "${headers[@]}" --data-binary "$request" \
    "${MAGNUM_URL}/certificates" | jq -er .pem > "${tls}/cert.pem"
openssl verify -CAfile "${tls}/ca.pem" "${tls}/cert.pem" >/dev/null \
    || fail 'the signed certificate does not chain to the cluster CA'

mount_runtime_volume /var/lib/docker docker

step "starting Docker with its TLS API on port ${DOCKER_PORT}"
mkdir -p /etc/docker /etc/systemd/system/docker.service.d
cat > /etc/docker/daemon.json <<END
{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:${DOCKER_PORT}"],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "${tls}/ca.pem",
  "tlscert": "${tls}/cert.pem",
  "tlskey": "${tls}/key.pem"
}
END
# The packaged unit passes -H fd://, which conflicts with "hosts".
cat > /etc/systemd/system/docker.service.d/10-magnum-lite.conf <<'END'
[Service]
ExecStart=
ExecStart=/usr/bin/dockerd
END
systemctl daemon-reload
systemctl enable docker
systemctl restart docker

# The Docker API of the primary manager, as this node's client cert.
primary_docker() {
    docker --tlsverify --tlscacert "${tls}/ca.pem" \
        --tlscert "${tls}/cert.pem" --tlskey "${tls}/key.pem" \
        -H "tcp://${PRIMARY_ADDRESS}:${DOCKER_PORT}" "$@"
}

# Join the swarm as ROLE (manager or worker) with the token the primary
# manager's TLS API hands out.
join_swarm() {
    local role=$1 token
    step "waiting for the primary manager's Docker API at ${PRIMARY_ADDRESS}:${DOCKER_PORT}"
    wait_until 1800 "the primary manager's swarm" primary_docker node ls
    step "joining the swarm as a ${role}"
    token=$(primary_docker swarm join-token -q "$role")
    retry 5 15 logged docker swarm join --advertise-addr "$address" \
        --token "$token" "${PRIMARY_ADDRESS}:2377"
}
