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

"""Where the installed Heat resource plugins are.

``python -m heat_plugins.plugin_dir`` prints the directory to put in Heat's
``[DEFAULT] plugin_dirs``; deployment tooling (the devstack plugin) uses it
so it never has to guess the site-packages path.
"""

import os
import sys


def plugin_dir():
    """Absolute path of the heat_plugins/resources directory."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'resources')


def main():
    sys.stdout.write(plugin_dir() + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
