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

"""Sphinx configuration of the magnum-lite documentation."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The reference extension, and the package it reads the versions from.
sys.path.insert(0, os.path.join(HERE, '_ext'))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

extensions = ['openapi_reference']
source_suffix = '.rst'
master_doc = 'index'
project = 'magnum-lite'
copyright = '2026, magnum-lite developers'
version = ''
release = ''
exclude_patterns = ['_build', '_ext']
html_theme = 'alabaster'
html_static_path = []
templates_path = []
