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

"""Seed Magnum's database; run with the Magnum virtualenv's interpreter.

    python seed_magnum.py CONFIG_FILE

Rows go in through Magnum's own DB API (magnum.db.api), the way its
conductor writes them.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dataset  # noqa: E402


def main(config_file):
    from magnum.common import config
    import magnum.conf
    from magnum.db import api as db_api

    config.parse_args(['seed_magnum', '--config-file', config_file])
    dbapi = db_api.get_instance()

    start = time.monotonic()
    template = dataset.template_values()
    template['driver'] = 'bench'
    dbapi.create_cluster_template(template)
    for cluster, nodegroups in dataset.clusters():
        dbapi.create_cluster(dict(cluster))
        for ng in nodegroups:
            dbapi.create_nodegroup(dict(ng, cluster_id=cluster['uuid'],
                                        project_id=cluster['project_id']))
    print('magnum: seeded %d clusters in %.1fs (%s)' % (
        dataset.CLUSTERS, time.monotonic() - start,
        magnum.conf.CONF.database.connection.split('@')[-1]))


if __name__ == '__main__':
    main(sys.argv[1])
