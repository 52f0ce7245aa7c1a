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

"""The Cluster column of the Containers table, where a name is missing.

The browser test sees the name of a cluster that can be read; here, in
Horizon's own venv and settings, the clusters that cannot: one not in the
project's list, and a list that fails. Both show the cluster's UUID,
without a link, and the list is read once for all the rows.
"""

import json
import subprocess

import pytest

from tests.functional.horizon import horizon_server
from tests.functional.horizon import venv
from tests.harness import services

SCRIPT = '''
import json
import sys
import types
from unittest import mock

import django
django.setup()

from magnum_lite.horizon.containers import api
from magnum_lite.horizon.containers import tables

SWARM = types.SimpleNamespace(uuid='uuid-swarm', name='swarm')


def cells(**list_behaviour):
    containers = [api.Container({'uuid': 'c-%d' % n, 'cluster_uuid': c})
                  for n, c in enumerate(('uuid-swarm', 'uuid-gone',
                                         'uuid-swarm'))]
    with mock.patch.object(api.magnum, 'cluster_list',
                           **list_behaviour) as listed:
        api.with_cluster_names(object(), containers)
    return {'lists': listed.call_count,
            'cells': [[tables._cluster_text(c), tables._cluster_url(c)]
                      for c in containers]}


json.dump({'listed': cells(return_value=[SWARM]),
           'failed': cells(side_effect=RuntimeError('no clusters'))},
          sys.stdout)
'''


@pytest.fixture(scope='module')
def horizon_env(tmp_path_factory):
    try:
        python = venv.ensure()
    except Exception as exc:  # no PyPI, or a broken install
        services.missing('Horizon in %s' % venv.PATH, str(exc))
    horizon = horizon_server.Horizon(tmp_path_factory.mktemp('settings'),
                                     'http://127.0.0.1:1/v3', python)
    return python, horizon.environment()


def test_cluster_column_falls_back_to_the_uuid(horizon_env):
    python, env = horizon_env
    result = subprocess.run([python, '-c', SCRIPT], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-4000:]
    shown = json.loads(result.stdout)
    detail = '/ngdetails/OS::Magnum::Cluster/uuid-swarm'
    assert shown['listed'] == {'lists': 1, 'cells': [
        ['swarm', detail], ['uuid-gone', None], ['swarm', detail]]}
    assert shown['failed'] == {'lists': 1, 'cells': [
        ['uuid-swarm', None], ['uuid-gone', None], ['uuid-swarm', None]]}
