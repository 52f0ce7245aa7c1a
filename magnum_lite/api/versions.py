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

"""API microversions: parsing, negotiation and the headers of an answer.

A client asks for a version with ``OpenStack-API-Version: <service> X.Y``
(or ``latest``). No header means the minimum, as in Magnum, because the
oldest clients send none. The answer always says which versions exist and
which one was used, and varies on the request header so caches keep the
versions apart.

The history below is the one list of versions: the range served and every
feature gate derive from it, so a new version is one line there plus its
gates.
"""

import re

from magnum_lite.common import exception

HEADER = 'OpenStack-API-Version'
MIN_HEADER = 'OpenStack-API-Minimum-Version'
MAX_HEADER = 'OpenStack-API-Maximum-Version'

# Magnum's own name first: it is what an answer says when the request
# named no service.
SERVICE_NAMES = ('container-infra', 'container-infrastructure',
                 'container-infrastructure-management')
DEFAULT_SERVICE = SERVICE_NAMES[0]

# What each version added, oldest first, in the words of Magnum's API
# reference (a note in brackets where this service differs).
HISTORY = {
    (1, 1): 'Initial version',
    (1, 2): 'Async bay operations support',
    (1, 3): 'Add bay rollback support',
    (1, 4): 'Add stats API',
    (1, 5): 'Add cluster CA certificate rotation support',
    (1, 6): 'Add quotas API',
    (1, 7): 'Add resize API',
    (1, 8): 'Add upgrade API',
    (1, 9): 'Add nodegroup API',
    (1, 10): 'Allow nodegroups with 0 nodes',
    (1, 11): 'Remove bay and baymodel objects (still served here)',
    (1, 12): 'Add credential API',
    (1, 13): 'Add cluster_id field to cluster, deprecate stack_id',
    (1, 14): 'Add node_labels and node_taints to nodegroup',
    # Our own extension: Magnum ends at 1.14.
    (1, 15): 'Add containers API (/v1/containers on Swarm clusters)',
}

_VERSION_RE = re.compile(r'^([1-9]\d*)\.(0|[1-9]\d*)$')


class Version(tuple):
    """A (major, minor) pair that prints as X.Y."""

    def __new__(cls, major, minor):
        return super().__new__(cls, (int(major), int(minor)))

    def __str__(self):
        return '%d.%d' % self

    @property
    def major(self):
        return self[0]

    @property
    def minor(self):
        return self[1]


MIN_VERSION = Version(*min(HISTORY))
MAX_VERSION = Version(*max(HISTORY))


class Gate(Version):
    """The version from which a feature behaves as it does now."""

    def __new__(cls, major, minor):
        if (major, minor) not in HISTORY:
            raise ValueError('%d.%d is not in the history' % (major, minor))
        return super().__new__(cls, major, minor)


# The gates that controllers, schemas and views test a request's version
# against, in the order of the history.
ASYNC = Gate(1, 2)
ROLLBACK = Gate(1, 3)
RESIZE = Gate(1, 7)
# Upgrade exists at 1.7 but only says it is not supported there.
UPGRADE_ROUTE = Gate(1, 7)
UPGRADE = Gate(1, 8)
NODEGROUPS = Gate(1, 9)
# node_count 0 is accepted on cluster create, update and resize.
ZERO_NODES = Gate(1, 10)
# Until 1.10 an unknown template on create is a bad request (Magnum's
# behaviour that clients test for); from 1.10 it is a 404.
TEMPLATE_404 = Gate(1, 10)
CREDENTIALS = Gate(1, 12)
# stack_id is answered as cluster_id (the same stored value).
CLUSTER_ID = Gate(1, 13)
NODE_LABELS = Gate(1, 14)
CONTAINERS = Gate(1, 15)


class VersionNotAcceptable(exception.NotAcceptable):
    """406 for a version outside the range or a header we cannot read.

    The error carries the supported range and Magnum's code and title, as
    Magnum's own 406 does, inside the usual ``errors`` envelope.
    """

    message = '%(reason)s'
    error_code = 'magnum.microversion-unsupported'
    error_title = 'Requested microversion is unsupported'
    error_links = [{'rel': 'help',
                    'href': 'https://docs.openstack.org/api-guide/compute/'
                            'microversions.html'}]

    def error_extras(self):
        return {'max_version': str(MAX_VERSION),
                'min_version': str(MIN_VERSION)}


class Negotiated:
    """The outcome of reading a request: service name and version."""

    def __init__(self, version, service=DEFAULT_SERVICE):
        self.version = version
        self.service = service

    def headers(self):
        return [
            (MIN_HEADER, '%s %s' % (self.service, MIN_VERSION)),
            (MAX_HEADER, '%s %s' % (self.service, MAX_VERSION)),
            (HEADER, '%s %s' % (self.service, self.version)),
            ('Vary', HEADER),
        ]


def _parse_value(value):
    if value.strip().lower() == 'latest':
        return MAX_VERSION
    match = _VERSION_RE.match(value.strip())
    if not match:
        raise VersionNotAcceptable(
            reason='Invalid microversion %r: expected X.Y or latest.'
            % value.strip())
    return Version(*match.groups())


def negotiate(header_value):
    """Read an OpenStack-API-Version header value (None if absent).

    The header may name several services separated by commas; only ours
    counts. Raises VersionNotAcceptable when our service is missing, the
    version is unreadable, or it is outside MIN_VERSION..MAX_VERSION.
    """
    if header_value is None or not header_value.strip():
        return Negotiated(MIN_VERSION)
    for item in header_value.split(','):
        parts = item.strip().split(None, 1)
        if len(parts) == 2 and parts[0].lower() in SERVICE_NAMES:
            service = parts[0].lower()
            version = _parse_value(parts[1])
            break
    else:
        raise VersionNotAcceptable(
            reason='Invalid %s header %r: expected "<service> <X.Y>" with '
                   'service one of %s.'
            % (HEADER, header_value, ', '.join(SERVICE_NAMES)))
    if version.major != MAX_VERSION.major:
        raise VersionNotAcceptable(
            reason='Version %s was requested but the major version is not '
                   'supported by this service: only %s.x.'
            % (version, MAX_VERSION.major))
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise VersionNotAcceptable(
            reason='Version %s was requested but the minor version is not '
                   'supported by this service. The supported version range '
                   'is: [%s, %s].' % (version, MIN_VERSION, MAX_VERSION))
    return Negotiated(version, service)


def require(current, minimum, what):
    """Refuse (406) a feature that needs a newer version than `current`."""
    if current < minimum:
        raise exception.NotAcceptable(
            'Version %s was requested but the requested API %s is not '
            'supported for this version; it needs %s or later.'
            % (current, what, Version(*minimum)))
