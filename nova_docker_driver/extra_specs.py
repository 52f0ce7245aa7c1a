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

"""The ``docker:`` flavor extra specs, for Nova's extra spec validation.

Registered through the ``nova.api.extra_spec_validators`` entry point
(``docker = nova_docker_driver.extra_specs``), nova-api then refuses a
``docker:`` extra spec it does not know, or one whose value is not a
boolean, when the flavor is changed (microversion 2.86 and later), instead
of the build failing later on the compute host.
"""

from nova.api.validation.extra_specs import base

EXTRA_SPEC_VALIDATORS = [
    base.ExtraSpecValidator(
        name='docker:nested_engine',
        description=(
            'Run instances of this flavor so that they can host their own '
            'Docker engine (Docker compute driver; the compute host must '
            'set [docker] allow_nested_engine).'
        ),
        value={
            'type': bool,
            'description': 'Whether the instance hosts a Docker engine.',
        },
    ),
]


def register():
    return EXTRA_SPEC_VALIDATORS
