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

"""What the host offers to instances: CPUs, memory, disk, uptime."""

import os
import re
import shutil
import time

from nova.objects import fields as obj_fields
import psutil

from nova_docker_driver import conf as docker_conf

CONF = docker_conf.CONF
_MB = 1024 * 1024
_GB = 1024 * _MB


def disk_usage():
    """(total, free) bytes of the file system holding container layers."""
    for path in (CONF.docker.root_directory, CONF.instances_path):
        try:
            usage = shutil.disk_usage(path)
            return usage.total, usage.free
        except OSError:
            continue
    return 0, 0


def resources(engine_info, nodename, hypervisor_version):
    """The dict ComputeDriver.get_available_resource returns."""
    vm = psutil.virtual_memory()
    total_disk, free_disk = disk_usage()
    arch = obj_fields.Architecture.canonicalize(
        engine_info.get('Architecture') or os.uname().machine)
    memory_mb = int(engine_info.get('MemTotal') or vm.total) // _MB
    return {
        'vcpus': int(engine_info.get('NCPU') or os.cpu_count()),
        'memory_mb': memory_mb,
        'local_gb': total_disk // _GB,
        'vcpus_used': 0,
        'memory_mb_used': memory_mb - vm.available // _MB,
        'local_gb_used': (total_disk - free_disk) // _GB,
        'hypervisor_type': obj_fields.HVType.DOCKER,
        'hypervisor_version': hypervisor_version,
        'hypervisor_hostname': nodename,
        'cpu_info': '?',
        'disk_available_least': free_disk // _GB,
        'numa_topology': None,
        'supported_instances': [(arch, obj_fields.HVType.DOCKER,
                                 obj_fields.VMMode.EXE)],
    }


def version_number(version):
    """'20.10.24+dfsg1' -> 20010024, the integer form Nova stores."""
    parts = [int(re.match(r'\d*', piece).group() or 0)
             for piece in version.split('.')[:3]]
    parts += [0] * (3 - len(parts))
    return parts[0] * 1000000 + parts[1] * 1000 + parts[2]


def cpu_stats():
    times = psutil.cpu_times()
    freq = psutil.cpu_freq()
    ns = 1000000000
    return {
        'kernel': int(times.system * ns),
        'idle': int(times.idle * ns),
        'user': int(times.user * ns),
        'iowait': int(getattr(times, 'iowait', 0) * ns),
        'frequency': int(freq.current) if freq else 0,
    }


def uptime():
    """Like the output of uptime(1), which is what Nova shows operators."""
    seconds = time.time() - psutil.boot_time()
    days, rest = divmod(int(seconds), 86400)
    hours, minutes = divmod(rest // 60, 60)
    load = os.getloadavg()
    return ' %s up %d days, %2d:%02d,  %d users,  load average: %.2f, ' \
           '%.2f, %.2f' % (time.strftime('%H:%M:%S'), days, hours, minutes,
                           len(psutil.users()), load[0], load[1], load[2])
