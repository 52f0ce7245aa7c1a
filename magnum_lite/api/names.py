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

"""Names for objects created without one, in Magnum's style."""

import random

GREEK = ('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta',
         'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron',
         'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi',
         'omega')


def generate(kind):
    """e.g. "zeta-7-cluster": a readable name, unique enough for humans."""
    return '%s-%d-%s' % (random.choice(GREEK), random.randint(1, 24), kind)
