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

"""Options of the [certificates] group."""

from oslo_config import cfg

certificates_group = cfg.OptGroup('certificates',
                                  title='Cluster certificate storage')

certificates_opts = [
    cfg.StrOpt('encryption_key', secret=True,
               help='Fernet key (32 url-safe base64-encoded bytes) that '
                    'encrypts the private keys of cluster CAs at rest. '
                    'When unset, a key is generated on first use in '
                    '<state_path>/certificates.key.'),
]


def register_opts(conf):
    conf.register_group(certificates_group)
    conf.register_opts(certificates_opts, group=certificates_group)


def list_opts():
    return {certificates_group: certificates_opts}
