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

"""Exceptions of magnum-lite, each carrying the HTTP status it maps to.

The codes follow Magnum's so that clients written for Magnum read the same
answers: a missing flavor or image is a 400, a quota a 403, a busy cluster
a 409.
"""

from http import HTTPStatus


class MagnumLiteException(Exception):
    """Base exception: `message` is formatted with the keyword arguments."""

    message = 'An unknown exception occurred.'
    code = HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.message % kwargs
            except (KeyError, TypeError):
                # A caller that forgot an argument still gets the template
                # text rather than a second exception hiding the first.
                message = self.message
        super().__init__(message)

    def format_message(self):
        return str(self)


# 400
class Invalid(MagnumLiteException):
    message = 'Unacceptable parameters.'
    code = HTTPStatus.BAD_REQUEST


class InvalidParameterValue(Invalid):
    message = '%(err)s'


class InvalidIdentity(Invalid):
    message = 'Expected a UUID or name but received %(identity)s.'


class InvalidState(Invalid):
    message = 'Invalid resource state.'


class PatchError(Invalid):
    message = "Couldn't apply patch '%(patch)s'. Reason: %(reason)s"


class NotSupported(Invalid):
    message = '%(operation)s is not supported.'


class ClusterTypeNotSupported(NotSupported):
    message = ('Cluster type (%(server_type)s, %(os)s, %(coe)s) not '
               'supported.')


class ClusterDriverNotSupported(NotSupported):
    message = 'Cluster driver (%(driver_name)s) not supported.'


class ClusterTemplateReferenced(Invalid):
    message = ('ClusterTemplate %(clustertemplate)s is referenced by one '
               'or multiple clusters.')


class ZeroNodeCountNotSupported(Invalid):
    message = ('Resizing a nodegroup to zero is not supported in the '
               'provided microversion.')


class NGResizeOutBounds(Invalid):
    message = ('Resizing %(nodegroup)s outside the allowed range: '
               'min_node_count = %(min_nc)s, max_node_count = %(max_nc)s')


class MasterNGResizeNotSupported(NotSupported):
    message = 'Resizing a master nodegroup is not supported.'


class CreateMasterNodeGroup(NotSupported):
    message = 'Creating master nodegroups is currently not supported.'


class DeletingDefaultNGNotSupported(NotSupported):
    message = 'Deleting a default nodegroup is not supported.'


# What a user names in a template or cluster and the cloud (or the
# all-in-one's Docker engine) does not have: 400, in Magnum's words.
class FlavorNotFound(Invalid):
    message = 'Unable to find flavor %(flavor)s.'


class ImageNotFound(Invalid):
    message = 'Image %(image_id)s could not be found.'


class OSDistroFieldNotFound(Invalid):
    message = "Image %(image_id)s doesn't contain os_distro field."


class ExternalNetworkNotFound(Invalid):
    message = 'Unable to find external network %(network)s.'


class FixedNetworkNotFound(Invalid):
    message = 'Unable to find fixed network %(network)s.'


class FixedSubnetNotFound(Invalid):
    message = 'Unable to find fixed subnet %(subnet)s.'


class InvalidLabels(Invalid):
    message = 'Invalid labels: %(reason)s'


# 403
class NotAuthorized(MagnumLiteException):
    message = 'Not authorized.'
    code = HTTPStatus.FORBIDDEN


class PolicyNotAuthorized(NotAuthorized):
    message = 'Policy does not allow %(action)s to be performed.'


class ClusterTemplatePublishDenied(NotAuthorized):
    message = ('Not authorized to set public or hidden flag for cluster '
               'template.')


class ResourceLimitExceeded(NotAuthorized):
    message = 'Resource Limit Exceeded: %(msg)s'


class ImageNotAuthorized(NotAuthorized):
    message = 'Not authorized for image %(image_id)s.'


# 404
class NotFound(MagnumLiteException):
    message = 'Resource could not be found.'
    code = HTTPStatus.NOT_FOUND


class ClusterNotFound(NotFound):
    message = 'Cluster %(cluster)s could not be found.'


class ClusterTemplateNotFound(NotFound):
    message = 'ClusterTemplate %(clustertemplate)s could not be found.'


class NodeGroupNotFound(NotFound):
    message = 'Nodegroup %(nodegroup)s could not be found.'


class QuotaNotFound(NotFound):
    message = ('Quota for project %(project_id)s and resource '
               '%(resource)s could not be found.')


class FederationNotFound(NotFound):
    message = 'Federation %(federation)s could not be found.'


class CertificateNotFound(NotFound):
    message = 'Certificate %(cert)s could not be found.'


class ContainerNotFound(NotFound):
    message = 'Container %(container)s could not be found.'


class ServiceNotFound(NotFound):
    message = 'Service %(service)s could not be found.'


class KeyPairNotFound(NotFound):
    # Magnum answers a missing keypair with 404, unlike the other names.
    message = 'Unable to find keypair %(keypair)s.'


# 406
class NotAcceptable(MagnumLiteException):
    message = 'Request not acceptable.'
    code = HTTPStatus.NOT_ACCEPTABLE


# 409
class Conflict(MagnumLiteException):
    message = 'Conflict.'
    code = HTTPStatus.CONFLICT


class ClusterAlreadyExists(Conflict):
    message = 'A cluster with UUID %(uuid)s already exists.'


class ClusterTemplateAlreadyExists(Conflict):
    message = 'A ClusterTemplate with UUID %(uuid)s already exists.'


class NodeGroupAlreadyExists(Conflict):
    message = ('A nodegroup with name %(name)s already exists in cluster '
               '%(cluster_id)s.')


class QuotaAlreadyExists(Conflict):
    message = ('Quota for project %(project_id)s already exists for '
               'resource %(resource)s.')


class FederationAlreadyExists(Conflict):
    message = 'A federation with UUID %(uuid)s already exists.'


class ContainerAlreadyExists(Conflict):
    message = 'A container with UUID %(uuid)s already exists.'


class NodeGroupInvalidInput(Conflict):
    message = '%(attr)s for %(nodegroup)s is invalid (%(expl)s).'


class ClusterAPIAddressUnavailable(Conflict):
    message = ('Cluster API address is not yet available, try again once '
               'the cluster is created.')


class OperationInProgress(Conflict):
    message = ('%(resource)s %(name)s is %(status)s: another operation is '
               'in progress, try again when it has finished.')


# 500
class ConductorUnavailable(MagnumLiteException):
    message = 'No conductor answered: %(reason)s'
    code = HTTPStatus.SERVICE_UNAVAILABLE


class CloudServiceUnavailable(MagnumLiteException):
    message = ('The %(service)s service did not answer while checking '
               '%(what)s: %(reason)s')
    code = HTTPStatus.SERVICE_UNAVAILABLE


class DatabaseNotMigrated(MagnumLiteException):
    message = ('The database is at schema revision %(current)s, and this '
               'release of magnum-lite needs %(head)s: run '
               '"magnum-lite-db-manage upgrade".')
    code = HTTPStatus.SERVICE_UNAVAILABLE


# Conductor, drivers and certificates.
class InvalidCsr(Invalid):
    message = 'Received invalid CSR: %(reason)s'


class InvalidCaCertType(Invalid):
    message = ('CA certificate type %(ca_cert_type)s is unknown; expected '
               'one of %(expected)s.')


class ClusterDriverLoadFailed(MagnumLiteException):
    message = 'Cluster drivers could not be loaded: %(reason)s'


class ConductorRPCVersionTooOld(ConductorUnavailable):
    message = ('The conductors accept RPC API version %(cap)s, but %(method)s '
               'needs %(version)s: finish upgrading the conductors first.')


class CertificateKeyUnavailable(MagnumLiteException):
    message = ('The CA private key of cluster %(cluster)s cannot be '
               'decrypted: check [certificates] encryption_key.')


class ContainerActionFailed(MagnumLiteException):
    # The node's engine failed or could not be reached: the request was
    # fine, the service behind it is not available now.
    message = 'Container operation failed: %(reason)s'
    code = HTTPStatus.SERVICE_UNAVAILABLE


# Added for the API.
class InvalidClusterTemplateForUpgrade(Conflict):
    message = 'Cluster template is not valid for upgrade: %(reason)s'
