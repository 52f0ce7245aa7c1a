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

"""What the functional tests need from this machine, checked in one place.

A test whose service is missing fails in CI (CI=true) with a message that
names the service; outside CI it is skipped, so a developer without Docker
can still run the rest.
"""

import os
import shutil
import socket
import subprocess

import pytest


def in_ci():
    return os.environ.get('CI', '').lower() in ('1', 'true', 'yes')


def missing(service, why):
    message = '%s is required: %s' % (service, why)
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_docker():
    """A reachable Docker engine; returns a docker SDK client."""
    import docker
    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except Exception as exc:  # the SDK raises several unrelated types
        missing('Docker engine', str(exc))
    return client


def require_rabbitmq():
    if not _port_open('127.0.0.1', 5672):
        missing('RabbitMQ', 'nothing listens on 127.0.0.1:5672')
    return 'rabbit://guest:guest@127.0.0.1:5672/'


def require_mariadb():
    if not _port_open('127.0.0.1', 3306):
        missing('MariaDB', 'nothing listens on 127.0.0.1:3306')
    return 'mysql+pymysql://root@127.0.0.1/test'


def require_postgresql():
    if not _port_open('127.0.0.1', 5432):
        missing('PostgreSQL', 'nothing listens on 127.0.0.1:5432')
    return 'postgresql+psycopg2://postgres@127.0.0.1/test'


def require_command(name):
    path = shutil.which(name)
    if not path:
        missing(name, 'command not found on PATH')
    return path


def require_root():
    if os.geteuid() != 0:
        missing('root', 'this test changes network namespaces')


def run(cmd, **kwargs):
    kwargs.setdefault('check', True)
    kwargs.setdefault('capture_output', True)
    kwargs.setdefault('text', True)
    return subprocess.run(cmd, **kwargs)
