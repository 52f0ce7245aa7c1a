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

"""Options of the [x509] group."""

from oslo_config import cfg

x509_group = cfg.OptGroup('x509', title='X.509 certificate options')

x509_opts = [
    cfg.IntOpt('rsa_key_size', default=2048, min=1024,
               help='Size in bits of generated RSA keys.'),
    cfg.IntOpt('term_of_validity', default=1825, min=1,
               help='Time a signed certificate is valid, in days.'),
    cfg.BoolOpt('allow_ca', default=False,
                help='Whether a signed CSR may ask for a CA certificate.'),
    cfg.ListOpt('allowed_extensions',
                default=['keyUsage', 'extendedKeyUsage', 'subjectAltName',
                         'basicConstraints', 'subjectKeyIdentifier'],
                help='Extensions of a CSR copied into the signed '
                     'certificate; any other extension is dropped.'),
    cfg.ListOpt('allowed_key_usage',
                default=['digital_signature', 'key_encipherment',
                         'content_commitment'],
                help='Key usages of a CSR kept in the signed certificate '
                     '(names as in the cryptography library\'s KeyUsage).'),
]


def register_opts(conf):
    conf.register_group(x509_group)
    conf.register_opts(x509_opts, group=x509_group)


def list_opts():
    return {x509_group: x509_opts}
