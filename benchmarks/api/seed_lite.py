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

"""Seed magnum-lite's database; run with the project's virtualenv.

    python seed_lite.py CONFIG_FILE

Rows go in through the project's DB API (magnum_lite.db.api): one
create_cluster(values, nodegroups) transaction per cluster.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dataset  # noqa: E402


def main(config_file):
    from magnum_lite import cmd
    from magnum_lite.db import api as db_api

    conf = cmd.prepare_service(['--config-file', config_file], 'seed_lite')
    dbapi = db_api.get_instance()

    start = time.monotonic()
    dbapi.create_cluster_template(dict(dataset.template_values(),
                                       driver='bench'))
    for cluster, nodegroups in dataset.clusters():
        dbapi.create_cluster(dict(cluster, driver='bench'), nodegroups)
    print('magnum-lite: seeded %d clusters in %.1fs (%s)' % (
        dataset.CLUSTERS, time.monotonic() - start,
        conf.database.connection.split('@')[-1]))


if __name__ == '__main__':
    main(sys.argv[1])
