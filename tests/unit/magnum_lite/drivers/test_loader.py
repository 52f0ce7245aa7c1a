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

"""Loading drivers from the magnum_lite.drivers entry points."""

import types
from unittest import mock

import pytest

from magnum_lite.common import exception
from magnum_lite import conf as ml_conf
from magnum_lite.drivers import base
from magnum_lite.drivers import loader
from tests.harness.fakes import driver as fake_driver

CONF = ml_conf.CONF

pytestmark = pytest.mark.usefixtures('fake_drivers')


@pytest.fixture
def drivers_config():
    yield CONF
    CONF.clear_override('disabled_drivers', group='drivers')
    CONF.clear_override('default_driver', group='drivers')
    loader.reset()


@pytest.mark.parametrize('server_type, os_distro, coe, expected', [
    ('vm', 'fedora-coreos', 'kubernetes', fake_driver.FakeDriver),
    ('vm', 'ubuntu', 'kubernetes', fake_driver.FakeDriver),
    ('vm', 'fedora-coreos', 'swarm-mode', fake_driver.FakeDriver),
    # "any" distribution
    ('container', 'alpine', 'swarm-mode', fake_driver.FakeDriver),
    ('bm', 'fedora-atomic', 'kubernetes', fake_driver.BasicFakeDriver),
    # no exact match: the driver serving every distribution
    ('vm', 'rhel', 'kubernetes', fake_driver.FakeDriver),
])
def test_driver_by_type(server_type, os_distro, coe, expected):
    assert type(loader.get_driver(server_type, os_distro, coe)) is expected


def test_driver_by_name_wins_over_type():
    driver = loader.get_driver('vm', 'fedora-coreos', 'kubernetes',
                               driver_name='fake_basic')
    assert type(driver) is fake_driver.BasicFakeDriver
    assert loader.get_driver_name('vm', 'ubuntu', 'kubernetes') == 'fake'


def test_drivers_are_loaded_once():
    with mock.patch.object(loader.extension, 'ExtensionManager',
                           wraps=loader.extension.ExtensionManager) as made:
        first = loader.get_driver('vm', 'ubuntu', 'kubernetes')
        second = loader.get_driver('vm', 'ubuntu', 'kubernetes')
    assert first is second
    assert made.call_count == 1


def test_unknown_name_and_type_are_400():
    with pytest.raises(exception.ClusterDriverNotSupported) as raised:
        loader.get_driver('vm', 'ubuntu', 'kubernetes', driver_name='nope')
    assert raised.value.code == 400
    assert 'nope' in str(raised.value)
    with pytest.raises(exception.ClusterTypeNotSupported) as raised:
        loader.get_driver('vm', 'ubuntu', 'mesos')
    assert str(raised.value) == ('Cluster type (vm, ubuntu, mesos) not '
                                 'supported.')


def test_disabled_drivers_are_not_loaded(drivers_config):
    CONF.set_override('disabled_drivers', ['fake_basic'], group='drivers')
    loader.reset()
    loaded = set(loader.load_drivers())
    assert 'fake' in loaded and 'fake_basic' not in loaded
    with pytest.raises(exception.ClusterTypeNotSupported):
        loader.get_driver('bm', 'fedora-atomic', 'kubernetes')


def test_default_driver_serves_unknown_types(drivers_config):
    CONF.set_override('default_driver', 'fake_basic', group='drivers')
    loader.reset()
    driver = loader.get_driver('bm', 'rhel', 'kubernetes')
    assert type(driver) is fake_driver.BasicFakeDriver


def test_unknown_default_driver_fails_at_load(drivers_config):
    CONF.set_override('default_driver', 'missing', group='drivers')
    loader.reset()
    with pytest.raises(exception.ClusterDriverLoadFailed) as raised:
        loader.load_drivers()
    assert 'missing' in str(raised.value)


def test_driver_that_fails_to_import_is_reported(tmp_path, drivers_config):
    from tests.harness import entrypoints
    directory = entrypoints.install(
        str(tmp_path), {'broken': 'tests.harness.fakes.nothing:Driver'},
        dist_name='magnum_lite_broken_driver')
    try:
        loader.reset()
        with pytest.raises(exception.ClusterDriverLoadFailed) as raised:
            loader.load_drivers()
        assert 'broken' in str(raised.value)
        CONF.set_override('disabled_drivers', ['broken'], group='drivers')
        loader.reset()
        assert 'broken' not in loader.load_drivers()
    finally:
        entrypoints.uninstall(directory)


def test_driver_for_cluster_prefers_the_cluster_driver():
    cluster = types.SimpleNamespace(driver='fake_basic',
                                    cluster_template_id='t')
    assert type(loader.get_driver_for_cluster(None, cluster)) is \
        fake_driver.BasicFakeDriver
    cluster = types.SimpleNamespace(driver=None, cluster_template_id='t')
    template = types.SimpleNamespace(server_type='vm', cluster_distro='ubuntu',
                                     coe='kubernetes', driver=None)
    assert type(loader.get_driver_for_cluster(None, cluster, template)) is \
        fake_driver.FakeDriver


@pytest.mark.parametrize('labels, error', [
    ({}, None),
    ({'fake_fail': 'create,delete', 'other': 'x'}, None),
    ({'fake_fail': 'explode'}, "fake_fail: 'explode' does not match"),
    ({'fake_delay': 5}, "fake_delay: 5 is not of type 'string'"),
])
def test_labels_are_checked_by_the_driver_schema(labels, error):
    driver = loader.get_driver('vm', 'ubuntu', 'kubernetes')
    if error is None:
        driver.validate_labels(labels)
        return
    with pytest.raises(exception.InvalidLabels) as raised:
        driver.validate_labels(labels)
    assert error in str(raised.value)
    assert raised.value.code == 400


def test_optional_operations_default_to_not_supported():
    driver = fake_driver.BasicFakeDriver()
    assert driver.supports_federation is False
    for method in ('rotate_ca_certificate', 'rotate_credential',
                   'create_federation'):
        with pytest.raises(exception.NotSupported):
            getattr(driver, method)(None, None)


def test_a_driver_must_implement_the_interface():
    class Incomplete(base.ClusterDriver):
        provides = []

    with pytest.raises(TypeError):
        Incomplete()


def test_drivers_are_made_with_the_services_the_conductor_lends():
    # Made elsewhere (the API checks templates): no conductor database.
    driver = loader.get_driver('vm', 'ubuntu', 'kubernetes')
    assert isinstance(driver.services, base.NoServices)
    with pytest.raises(exception.NotSupported):
        driver.services.ca_certificate('some-cluster')
    lent = object()
    loaded = loader.load_drivers(lent)
    # Made again, every one of them with the conductor's services.
    assert loaded['fake'] is not driver
    assert all(d.services is lent for d in loaded.values())
    assert loader.get_driver('vm', 'ubuntu', 'kubernetes') is loaded['fake']
    assert loader.load_drivers() == loaded
    assert loader.load_drivers(lent) == loaded


def test_a_cluster_without_a_recorded_driver_needs_its_template():
    cluster = types.SimpleNamespace(uuid='c1', driver=None,
                                    cluster_template_id='t')
    with pytest.raises(ValueError):
        loader.get_driver_for_cluster(None, cluster)


def test_a_driver_runs_no_containers_unless_it_has_a_container_host():
    class NoContainers(fake_driver.BasicFakeDriver):
        container_host = base.ClusterDriver.container_host

    assert NoContainers().container_host() is None
    assert isinstance(fake_driver.BasicFakeDriver().container_host(),
                      base.ContainerHost)
