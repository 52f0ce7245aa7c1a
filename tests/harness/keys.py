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

"""Certificate settings for fast tests (a pytest fixture).

Import the fixture into a conftest or a test module.
"""

from cryptography import fernet
import pytest

from magnum_lite import conf as ml_conf

CONF = ml_conf.CONF


@pytest.fixture
def certificate_config(tmp_path):
    """Small RSA keys (fast tests) and a Fernet key."""
    CONF.set_override('rsa_key_size', 1024, group='x509')
    CONF.set_override('encryption_key', fernet.Fernet.generate_key().decode(),
                      group='certificates')
    CONF.set_override('state_path', str(tmp_path))
    yield
    CONF.clear_override('rsa_key_size', group='x509')
    CONF.clear_override('encryption_key', group='certificates')
    CONF.clear_override('state_path')
