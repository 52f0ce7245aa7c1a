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

"""Keystone trusts that let the conductor act for a cluster's owner.

At cluster create (``[trust] enabled``), a trustee user is made for the
cluster in the trustee domain and the requesting user delegates their
roles on the project to it. Long operations and the status sync then act
as the trustee, scoped by the trust, long after the user's token expired.

No password is stored: the trustee's password is derived from the
configured secret and the trustee's id (HMAC-SHA256), so it can be
recomputed when needed and is useless without the secret.
"""

import base64
import hashlib
import hmac

from keystoneauth1.identity import v3
from keystoneauth1 import loading as ks_loading
from keystoneclient.v3 import client as keystone_client
from oslo_log import log as logging

from magnum_lite.common import exception
from magnum_lite import conf as ml_conf
from magnum_lite.conf import keystone_auth as keystone_auth_conf

CONF = ml_conf.CONF
LOG = logging.getLogger(__name__)


def _secret():
    secret = (CONF.trust.trustee_domain_admin_password or
              CONF.certificates.encryption_key)
    if not secret:
        raise exception.Invalid(
            'Trusts need [trust] trustee_domain_admin_password or '
            '[certificates] encryption_key to derive trustee passwords.')
    return secret.encode()


def trustee_password(trustee_name):
    digest = hmac.new(_secret(), trustee_name.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode()[:32]


def _auth_url():
    # The auth plugin's own options (auth_url among them) exist only once
    # the plugin named by [keystone_auth] auth_type has been loaded.
    ks_loading.load_auth_from_conf_options(CONF,
                                           keystone_auth_conf.KEYSTONE_AUTH_GROUP)
    return CONF[keystone_auth_conf.KEYSTONE_AUTH_GROUP].auth_url


def _session(auth):
    return ks_loading.load_session_from_conf_options(
        CONF, keystone_auth_conf.KEYSTONE_AUTH_GROUP, auth=auth)


def _domain_admin_client():
    trust = CONF.trust
    auth = v3.Password(
        auth_url=_auth_url(),
        user_id=trust.trustee_domain_admin_id,
        username=trust.trustee_domain_admin_name,
        user_domain_id=trust.trustee_domain_admin_domain_id,
        user_domain_name=trust.trustee_domain_admin_domain_name,
        password=trust.trustee_domain_admin_password,
        domain_id=trust.trustee_domain_id,
        domain_name=trust.trustee_domain_name)
    return keystone_client.Client(session=_session(auth),
                                  interface=trust.trustee_keystone_interface)


def _trustee_domain_id(client):
    if CONF.trust.trustee_domain_id:
        return CONF.trust.trustee_domain_id
    domains = client.domains.list(name=CONF.trust.trustee_domain_name)
    if not domains:
        raise exception.Invalid('Trustee domain %s not found.' %
                                CONF.trust.trustee_domain_name)
    return domains[0].id


def create_trust(context, cluster_uuid):
    """Make the trustee and the trust; returns the cluster columns."""
    admin = _domain_admin_client()
    name = '%s_%s' % (cluster_uuid, context.project_id)
    try:
        trustee = admin.users.create(
            name=name, password=trustee_password(name),
            domain=_trustee_domain_id(admin))
        user_auth = v3.Token(auth_url=_auth_url(), token=context.auth_token,
                             project_id=context.project_id)
        user_client = keystone_client.Client(session=_session(user_auth))
        trust = user_client.trusts.create(
            trustor_user=context.user_id, trustee_user=trustee.id,
            project=context.project_id, impersonation=True,
            role_names=CONF.trust.roles or list(context.roles))
    except Exception as exc:  # keystoneauth and keystoneclient errors
        raise exception.Invalid(
            'Could not create the trust for cluster %s: %s' % (
                cluster_uuid, exc))
    LOG.info('Trust %s delegates project %s to trustee %s of cluster %s',
             trust.id, context.project_id, trustee.id, cluster_uuid)
    return {'trust_id': trust.id, 'trustee_user_id': trustee.id,
            'trustee_username': name}


def trustee_auth(trust_id, trustee_user_id, trustee_username=None):
    """keystoneauth1 auth of the trustee, scoped by the trust."""
    name = trustee_username
    if name is None:
        # The password derives from the name; look it up when not given.
        name = _domain_admin_client().users.get(trustee_user_id).name
    return v3.Password(auth_url=_auth_url(), user_id=trustee_user_id,
                       password=trustee_password(name),
                       trust_id=trust_id)


def delete_trust(cluster):
    """Remove the trust and the trustee; errors are logged, not raised."""
    if not cluster.trust_id:
        return
    try:
        auth = trustee_auth(cluster.trust_id, cluster.trustee_user_id,
                            cluster.trustee_username)
        keystone_client.Client(session=_session(auth)).trusts.delete(
            cluster.trust_id)
    except Exception as exc:  # the trust may be gone already
        LOG.warning('Could not delete trust %s of cluster %s: %s',
                    cluster.trust_id, cluster.uuid, exc)
    try:
        _domain_admin_client().users.delete(cluster.trustee_user_id)
    except Exception as exc:
        LOG.warning('Could not delete trustee %s of cluster %s: %s',
                    cluster.trustee_user_id, cluster.uuid, exc)
