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

"""The host engine's objects of a cluster, under current and old labels.

Objects made by earlier releases carry magnum_lite.cluster and its
siblings; those made now carry org.openstack.magnum-lite.*. Both are
found (one Docker query per name, merged) and read.
"""

import types

from docker import errors as docker_errors
import pytest

from magnum_lite.drivers.swarm_docker import driver as swarm_driver
from magnum_lite.drivers.swarm_docker import engine
from magnum_lite.drivers.swarm_docker import images

UUID = '8b8a73c5-0000-4000-8000-000000000000'
OTHER = '11111111-0000-4000-8000-000000000000'


def _labels(uuid, legacy=False, **values):
    prefix = 'magnum_lite.' if legacy else 'org.openstack.magnum-lite.'
    labels = {prefix + 'cluster': uuid}
    labels.update((prefix + key, value) for key, value in values.items())
    return labels


def _node(cid, uuid, legacy, nodegroup, index, state='running'):
    return {'Id': cid, 'Names': ['/' + cid], 'State': state,
            'Labels': _labels(uuid, legacy, nodegroup=nodegroup,
                              index=index, node='sw1-%s-%s' % (
                                  nodegroup, index))}


class FakeEngine:
    """A low-level client whose list calls apply Docker's label filter."""

    def __init__(self, containers=(), networks=(), volumes=()):
        self._containers = list(containers)
        self._networks = list(networks)
        self._volumes = list(volumes)
        self.queries = []
        self.removed = []

    def _filtered(self, kind, objects, filters):
        self.queries.append((kind, filters['label']))
        name, _, value = filters['label'].partition('=')
        return [o for o in objects if (o.get('Labels') or {}).get(name) ==
                value]

    def containers(self, all=False, filters=None):
        return self._filtered('containers', self._containers, filters)

    def networks(self, filters=None):
        return self._filtered('networks', self._networks, filters)

    def volumes(self, filters=None):
        return {'Volumes': self._filtered('volumes', self._volumes, filters)}

    def inspect_container(self, cid):
        return {'Config': {'Env': ['SWARM_TLS_CERT=cert-' + cid,
                                   'SWARM_TLS_KEY=key-' + cid, 'X=1']}}

    def inspect_network(self, name):
        for network in self._networks:
            if name in (network['Name'], network['Id']):
                return network
        raise docker_errors.NotFound(name)

    def remove_container(self, cid, **kwargs):
        self.removed.append(('container', cid))
        self._containers = [c for c in self._containers if c['Id'] != cid]

    def remove_network(self, nid):
        self.removed.append(('network', nid))
        self._networks = [n for n in self._networks if n['Id'] != nid]

    def remove_volume(self, name, **kwargs):
        self.removed.append(('volume', name))
        self._volumes = [v for v in self._volumes if v['Name'] != name]


def _mixed_cluster():
    """A cluster of an earlier release that a resize added a node to."""
    return FakeEngine(
        containers=[_node('old-m0', UUID, True, 'default-master', '0'),
                    _node('old-w0', UUID, True, 'default-worker', '0'),
                    _node('new-w1', UUID, False, 'default-worker', '1'),
                    _node('stranger', OTHER, False, 'default-worker', '0')],
        networks=[{'Id': 'n1', 'Name': 'net-sw1',
                   'Labels': _labels(UUID, legacy=True)}],
        volumes=[{'Name': 'old-w0-docker',
                  'Labels': _labels(UUID, legacy=True)},
                 {'Name': 'new-w1-docker', 'Labels': _labels(UUID)}])


def test_a_cluster_is_found_under_either_label_name_one_query_each():
    client = _mixed_cluster()
    found = engine.node_containers(client, UUID)
    assert sorted(c['Id'] for c in found) == ['new-w1', 'old-m0', 'old-w0']
    assert client.queries == [
        ('containers', 'org.openstack.magnum-lite.cluster=' + UUID),
        ('containers', 'magnum_lite.cluster=' + UUID)]


def test_an_object_carrying_both_names_is_listed_once():
    both = dict(_node('both', UUID, False, 'default-worker', '0'))
    both['Labels'] = dict(both['Labels'], **_labels(UUID, legacy=True))
    client = FakeEngine(containers=[both])
    assert [c['Id'] for c in engine.node_containers(client, UUID)] == \
        ['both']


def test_kept_nodes_are_read_under_either_name_and_say_which():
    assert engine.node_tls(_mixed_cluster(), UUID) == {
        ('default-master', '0'): {'cert': 'cert-old-m0', 'key': 'key-old-m0',
                                  'legacy_labels': True},
        ('default-worker', '0'): {'cert': 'cert-old-w0', 'key': 'key-old-w0',
                                  'legacy_labels': True},
        ('default-worker', '1'): {'cert': 'cert-new-w1', 'key': 'key-new-w1',
                                  'legacy_labels': False},
    }


def test_leftovers_of_either_naming_are_listed_and_removed():
    client = _mixed_cluster()
    assert sorted(engine.leftovers(client, UUID)) == [
        'container new-w1', 'container old-m0', 'container old-w0',
        'network net-sw1', 'volume new-w1-docker', 'volume old-w0-docker']
    assert engine.remove_leftovers(client, UUID) == []
    assert ('network', 'n1') in client.removed
    assert ('volume', 'old-w0-docker') in client.removed
    # Another cluster's node is never touched.
    assert ('container', 'stranger') not in client.removed


@pytest.mark.parametrize('labels, legacy', [
    (_labels(UUID), False),
    (_labels(UUID, legacy=True), True),
    # Both names: written now, whatever it also carries.
    (dict(_labels(UUID), **_labels(UUID, legacy=True)), False),
    ({}, False),
    (None, False),
])
def test_carries_legacy_labels(labels, legacy):
    assert engine.carries_legacy_labels(labels) is legacy


def test_a_network_of_an_earlier_release_is_recognised():
    client = _mixed_cluster()
    assert engine.network_carries_legacy_labels(client, 'net-sw1')
    assert not engine.network_carries_legacy_labels(client, 'gone')
    assert not engine.network_carries_legacy_labels(client, None)
    client = FakeEngine(networks=[{'Id': 'n2', 'Name': 'net-sw2',
                                   'Labels': _labels(UUID)}])
    assert not engine.network_carries_legacy_labels(client, 'net-sw2')


def test_health_names_nodes_under_either_label_name():
    cluster = types.SimpleNamespace(uuid=UUID)
    client = _mixed_cluster()
    client._containers[0]['State'] = 'exited'
    assert swarm_driver.SwarmDockerDriver._node_containers(
        client, cluster) == {'sw1-default-master-0': 'exited',
                             'sw1-default-worker-0': 'running',
                             'sw1-default-worker-1': 'running'}


def test_images_reach_nodes_named_under_either_label(monkeypatch):
    client = _mixed_cluster()
    client.inspect_image = lambda image: {'Id': image}
    client.get_image = lambda image: iter([b'archive'])
    loaded = []
    monkeypatch.setattr(images, 'node_has_image',
                        lambda client, cid, image: False)
    monkeypatch.setattr(images, '_node_exec',
                        lambda client, cid, command, stdin_chunks=None:
                        loaded.append(cid) or (0, ''))
    copied = images.copy_image(client, UUID, 'busybox',
                               nodes=['sw1-default-master-0',
                                      'sw1-default-worker-1'])
    assert sorted(copied) == ['sw1-default-master-0', 'sw1-default-worker-1']
    assert sorted(loaded) == ['new-w1', 'old-m0']
