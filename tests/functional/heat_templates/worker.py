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

"""Heat's validation in a process of its own.

Heat registers its options on oslo.config's global CONF, which must not
meet magnum-lite's in one process; this worker keeps Heat out of the
pytest process, so these tests can run beside any other. It reads one
JSON request a line on stdin ({"template", "files", "parameters"}, and
"new_parameters" for an update preview) and
answers one JSON line on the stdout it was started with: {"ok": true,
"user_data", "outputs", "resources"} (see engine.validate), {"ok": true,
"stacks"} (see engine.preview_update) or {"ok":
false, "error": "<Heat's message>"}. Heat's own logging goes to stderr.
"""

import json
import os
import sys


def main(db_path):
    # The protocol keeps the real stdout; anything else written to stdout
    # (Heat, oslo.log) lands on stderr.
    answers = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)
    from tests.functional.heat_templates import engine
    engine.configure(db_path)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if 'new_parameters' in request:
                answer = {'ok': True, 'stacks': engine.preview_update(
                    request['template'], request['files'],
                    request['parameters'], request['new_parameters'])}
            else:
                record = engine.validate(request['template'],
                                         request['files'],
                                         request['parameters'])
                answer = {'ok': True, 'user_data': record.user_data,
                          'outputs': record.outputs,
                          'resources': record.resources}
        except Exception as exc:  # Heat raises many unrelated types
            answer = {'ok': False, 'error': '%s: %s' % (
                type(exc).__name__, exc)}
        answers.write(json.dumps(answer, default=repr) + '\n')
        answers.flush()


if __name__ == '__main__':
    main(sys.argv[1])
