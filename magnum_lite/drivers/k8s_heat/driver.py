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

"""Kubernetes by kubeadm on Nova servers, as Heat stacks."""

from magnum_lite.certificates import x509
from magnum_lite.drivers.heat import table_driver
from magnum_lite.drivers.k8s_heat import params


class KubernetesHeatDriver(table_driver.TableHeatDriver):
    """(vm, fedora-coreos | ubuntu, kubernetes) clusters.

    Masters get the cluster CAs (kubeadm issues every component's
    certificate from them); workers get only the CA certificate and a
    bootstrap token derived from the CA key.
    """

    provides = [('vm', 'fedora-coreos', 'kubernetes'),
                ('vm', 'ubuntu', 'kubernetes')]
    tables = params

    def cluster_extra(self, context, cluster):
        extra = super().cluster_extra(context, cluster)
        for ca_type, prefix in ((x509.KUBERNETES, 'ca'),
                                (x509.ETCD, 'etcd_ca'),
                                (x509.FRONT_PROXY, 'front_proxy_ca')):
            cert, key = self.services.ca_key_pair(cluster.uuid, ca_type)
            extra['%s_cert' % prefix] = cert
            extra['%s_key' % prefix] = key
        return extra
