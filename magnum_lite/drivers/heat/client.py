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

"""python-heatclient on a keystoneauth1 session.

Who the conductor is when it calls Heat:
- a Heat without Keystone (``[heat_client] endpoint_override`` with
  ``noauth``, or without ``[keystone_auth] auth_type``: the all-in-one's own
  Heat, also when the API authenticates with Keystone): no authentication;
- a cluster with a trust: the cluster's trustee, scoped by the trust,
  so long operations outlive the user's token;
- a context carrying a token: the requesting user;
- otherwise (periodic sync): the service user of ``[keystone_auth]``.
"""

from heatclient import client as heat_client_module
from keystoneauth1.identity import v3
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import noauth
from keystoneauth1 import session as ks_session

from magnum_lite import conf as ml_conf
from magnum_lite.conf import keystone_auth as keystone_auth_conf

CONF = ml_conf.CONF


def _keystone_configured():
    return bool(CONF[keystone_auth_conf.KEYSTONE_AUTH_GROUP].auth_type)


def _noauth():
    """Whether Heat is reached without authentication."""
    return bool(CONF.heat_client.endpoint_override) and (
        CONF.heat_client.noauth or not _keystone_configured())


def _service_auth(**overrides):
    return ks_loading.load_auth_from_conf_options(
        CONF, keystone_auth_conf.KEYSTONE_AUTH_GROUP, **overrides)


def _auth_url():
    return keystone_auth_conf.keystone_auth_url(CONF)


def _auth_for(context, cluster):
    if cluster is not None and cluster.trust_id:
        from magnum_lite.common import trusts
        return trusts.trustee_auth(cluster.trust_id, cluster.trustee_user_id,
                                   cluster.trustee_username)
    if context is not None and context.auth_token:
        return v3.Token(auth_url=_auth_url(), token=context.auth_token,
                        project_id=context.project_id)
    return _service_auth()


def _endpoint(context):
    endpoint = CONF.heat_client.endpoint_override
    if endpoint and '%(project_id)s' in endpoint:
        project_id = context.project_id if context is not None else None
        endpoint = endpoint % {'project_id': project_id or 'admin'}
    return endpoint


def get_client(context=None, cluster=None):
    """A Heat client acting for `context` or `cluster`'s trust."""
    endpoint = _endpoint(context)
    if endpoint and _noauth():
        session = ks_session.Session(auth=noauth.NoAuth(endpoint=endpoint))
    else:
        session = ks_loading.load_session_from_conf_options(
            CONF, keystone_auth_conf.KEYSTONE_AUTH_GROUP, auth=_auth_for(context, cluster))
    return heat_client_module.Client(
        '1', session=session, endpoint_override=endpoint,
        interface=CONF.heat_client.interface,
        region_name=CONF.heat_client.region_name,
        service_type='orchestration')


def lists_all_projects():
    """Whether a stack list must ask for every project's stacks.

    A Heat without Keystone keeps every stack in one project, and its
    policy refuses global lists to everyone.
    """
    return _keystone_configured() and not _noauth()
