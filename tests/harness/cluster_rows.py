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

"""Cluster template and cluster rows written straight to the database."""

from oslo_utils import uuidutils

from magnum_lite.common import states


def make_template(dbapi, **values):
    template = dict(uuid=uuidutils.generate_uuid(), name='k8s-template',
                    project_id='project-a', user_id='user-a',
                    coe='kubernetes', server_type='vm',
                    cluster_distro='fedora-coreos', image_id='fcos',
                    flavor_id='m1.small', master_flavor_id='m1.small',
                    labels={})
    template.update(values)
    return dbapi.create_cluster_template(template)


def make_cluster(dbapi, template, status=states.CREATE_IN_PROGRESS,
                 node_count=2, master_count=1, nodegroup_status=None,
                 **values):
    # The API records the driver it picked on the cluster; installed
    # drivers may provide the same types as the fake ones.
    cluster = dict(uuid=uuidutils.generate_uuid(), name='cluster-1',
                   project_id=template.project_id, user_id='user-a',
                   cluster_template_id=template.uuid, status=status,
                   create_timeout=60, labels={}, keypair='key',
                   driver=template.driver or 'fake')
    cluster.update(values)
    ng_status = nodegroup_status or status
    nodegroups = [
        dict(uuid=uuidutils.generate_uuid(),
             name=states.DEFAULT_MASTER_NODEGROUP,
             role=states.NODEGROUP_ROLE_MASTER, is_default=True,
             node_count=master_count, min_node_count=1,
             flavor_id='m1.small', image_id='fcos', status=ng_status),
        dict(uuid=uuidutils.generate_uuid(),
             name=states.DEFAULT_WORKER_NODEGROUP,
             role=states.NODEGROUP_ROLE_WORKER, is_default=True,
             node_count=node_count, min_node_count=0,
             flavor_id='m1.small', image_id='fcos', status=ng_status),
    ]
    return dbapi.create_cluster(cluster, nodegroups)
