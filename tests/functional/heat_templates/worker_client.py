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

"""The client side of worker.py: Heat's validation in a process of its own."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))


class HeatValidationFailed(Exception):
    """Heat refused the stack; the message is Heat's."""


class Record(object):
    """What a validation saw (see engine.DeepValidation)."""

    def __init__(self, answer):
        self.user_data = [tuple(row) for row in answer['user_data']]
        self.outputs = [tuple(row) for row in answer['outputs']]
        self.resources = [tuple(row) for row in answer['resources']]


class HeatWorker(object):
    """The client side of worker.py."""

    def __init__(self, db_path, log_path):
        self.log = open(log_path, 'w')
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'tests.functional.heat_templates.worker',
             db_path], cwd=ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.log_path = log_path

    def validate(self, template, files, parameters):
        return Record(self._ask({'template': template, 'files': files,
                                 'parameters': parameters}))

    def preview_update(self, template, files, parameters, new_parameters):
        """Heat's update preview of every stack (engine.preview_update)."""
        return self._ask({'template': template, 'files': files,
                          'parameters': parameters,
                          'new_parameters': new_parameters})['stacks']

    def _ask(self, request):
        self.process.stdin.write(json.dumps(request) + '\n')
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError('the Heat worker died; see %s' % self.log_path)
        answer = json.loads(line)
        if not answer['ok']:
            raise HeatValidationFailed(answer['error'])
        return answer

    @staticmethod
    def top_outputs(record, stack_name='validate-me'):
        return {name: value for stack, name, value in record.outputs
                if stack == stack_name}

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.log.close()
