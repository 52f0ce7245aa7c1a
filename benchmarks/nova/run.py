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

"""Boot-to-ACTIVE and delete through Nova, Docker driver against FakeDriver.

    .venv/bin/python benchmarks/nova/run.py [--rounds N] [--passes P]
        [--json FILE]

Both drivers run in one process under the same in-process Nova (nova-api,
conductor, scheduler, compute and Placement of ``_IntegratedTestBase``,
RPC casts made synchronous), one after the other, so that the only
difference is the driver: Nova's FakeDriver, which keeps instances in a
dict, against the Docker driver, which loads the image, creates and
starts a real container and removes it. In each pass each side boots
once to warm up (the Docker side loads its image then), then ``--rounds``
times boots a server, waits for ACTIVE and deletes it, timing both. The
result is the median of each side over all passes and the ratio
Docker/Fake. Needs root and a Docker
engine (like the functional tests). See doc/source/benchmarks/nova.rst.
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, TOP)

from tests.harness import nova_pytest  # noqa: E402

nova_pytest.setup()

from nova.tests.functional import integrated_helpers  # noqa: E402

from tests.harness import nova_driver  # noqa: E402
from tests.harness import services  # noqa: E402

ROUNDS = 10
PASSES = 2
RESULTS = {}


class _Bench(integrated_helpers._IntegratedTestBase):
    ADMIN_API = True
    microversion = 'latest'
    REQUIRES_LOCKING = False
    label = None

    def _image_id(self):
        raise NotImplementedError()

    def _run_rounds(self):
        image = self._image_id()
        boots, deletes = [], []
        for round_ in range(ROUNDS + 1):
            start = time.perf_counter()
            server = self._create_server(image_uuid=image, networks='none')
            booted = time.perf_counter()
            self._delete_server(server)
            deleted = time.perf_counter()
            if round_:  # the first round warms caches up
                boots.append(booted - start)
                deletes.append(deleted - booted)
        result = RESULTS.setdefault(self.label, {'boot': [], 'delete': []})
        result['boot'] += boots
        result['delete'] += deletes


class FakeDriverBench(_Bench):
    label = 'fake'

    def _image_id(self):
        return self.glance.image1['id']

    def test_boot_delete(self):
        self._run_rounds()


class DockerDriverBench(_Bench):
    label = 'docker'

    def setUp(self):
        self.engine = services.require_docker()
        self.compute_host = nova_driver.unique_host()
        super().setUp()
        self.addCleanup(nova_driver.remove_containers, self.engine,
                        self.compute_host)
        self.image = self.glance.create(
            None, nova_driver.docker_image_meta(),
            data=io.BytesIO(nova_driver.busybox_tarball()))
        self.addCleanup(nova_driver.remove_images, self.engine, [self.image['id']])

    def _setup_compute_service(self):
        self.useFixture(nova_driver.NovaVirtAlias())
        self.useFixture(nova_driver.PrivsepInProcess())
        self.flags(compute_driver='docker.DockerDriver')
        return self._start_compute(self.compute_host)

    def _image_id(self):
        return self.image['id']

    def test_boot_delete(self):
        self._run_rounds()


def _summary():
    out = {'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
           'rounds': ROUNDS, 'passes': PASSES, 'python': platform.python_version(),
           'cpus': os.cpu_count()}
    for label, times in RESULTS.items():
        for kind, values in times.items():
            out['%s_%s_median_s' % (label, kind)] = statistics.median(values)
    for kind in ('boot', 'delete'):
        out['ratio_%s' % kind] = (out['docker_%s_median_s' % kind] /
                                  out['fake_%s_median_s' % kind])
    total = {label: statistics.median(
        [b + d for b, d in zip(t['boot'], t['delete'])])
        for label, t in RESULTS.items()}
    out['ratio_boot_and_delete'] = total['docker'] / total['fake']
    return out


def main(argv=None):
    global ROUNDS, PASSES
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    parser.add_argument('--rounds', type=int, default=ROUNDS,
                        help='timed boots per driver and pass')
    parser.add_argument('--passes', type=int, default=2,
                        help='passes in the order Fake, Docker, Docker, '
                             'Fake, ... so that a machine getting busier '
                             'or quieter during the run favours neither')
    parser.add_argument('--json', help='also write the summary here')
    args = parser.parse_args(argv)
    ROUNDS, PASSES = args.rounds, args.passes
    suite = unittest.TestSuite()
    order = (FakeDriverBench, DockerDriverBench)
    for pass_ in range(args.passes):
        for case in (order if pass_ % 2 == 0 else order[::-1]):
            suite.addTest(case('test_boot_delete'))
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(
        suite)
    if not result.wasSuccessful() or len(RESULTS) != 2:
        return 1
    summary = json.dumps(_summary(), indent=2, sort_keys=True)
    sys.stdout.write(summary + '\n')
    if args.json:
        with open(args.json, 'w') as f:
            f.write(summary + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
