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

"""Name the resource that made a stack fail, however deep it is (pure).

Heat reports a failed cluster stack as "Resource CREATE failed: ..." with
the real cause buried in a nested stack. The sync lists the failed
resources of every depth once and this module turns them into entries such
as ``kube_minions.0.kube-minion: CREATE_FAILED: Quota exceeded for
instances`` so the user sees which node failed and why.
"""

import re

# Heat prefixes reasons that only repeat a nested failure like this.
_WRAPPER = re.compile(r'^(?:Resource \w+ failed: )?(?:\w+: )?'
                      r'resources(?:\.|\[)')


def _is_wrapper(reason):
    return bool(reason) and bool(_WRAPPER.match(reason))


def _is_abort(resource):
    reason = (resource.get('resource_status_reason') or '').strip()
    return reason.endswith(' aborted') and len(reason.split()) == 2


def _stack_id_of(resource):
    for link in resource.get('links') or ():
        if link.get('rel') == 'stack':
            return link['href'].rstrip('/').rsplit('/', 1)[-1]
    return resource.get('stack_id')


def failure_paths(resources, root_stack_id):
    """{path: "STATUS: reason"} for the deepest failed resources.

    `resources` are dicts of Heat's resource list with nested_depth (keys
    resource_name, resource_status, resource_status_reason,
    physical_resource_id, links). A failed resource whose nested stack
    holds a failed resource of its own is only a wrapper: the inner one is
    reported instead.
    """
    by_physical_id = {r.get('physical_resource_id'): r for r in resources
                      if r.get('physical_resource_id')}
    failed = [r for r in resources
              if (r.get('resource_status') or '').endswith('FAILED')]
    stacks_with_failures = {_stack_id_of(r) for r in failed}

    faults = {}
    # Heat cancels the resources still being worked on when one fails;
    # those say only "CREATE aborted" and are listed only when nothing
    # else failed.
    causes = [r for r in failed if not _is_abort(r)] or failed
    for resource in causes:
        if resource.get('physical_resource_id') in stacks_with_failures:
            continue  # a wrapper around a failure we report more precisely
        path = [resource['resource_name']]
        stack_id = _stack_id_of(resource)
        seen = set()
        while stack_id and stack_id != root_stack_id and stack_id not in seen:
            seen.add(stack_id)
            parent = by_physical_id.get(stack_id)
            if parent is None:
                break
            path.append(parent['resource_name'])
            stack_id = _stack_id_of(parent)
        reason = resource.get('resource_status_reason') or 'no reason given'
        faults['.'.join(reversed(path))] = '%s: %s' % (
            resource['resource_status'], reason)
    return faults


def summary(faults, stack_reason=None):
    """One status_reason line from the faults, or Heat's own reason."""
    if faults:
        return '; '.join('%s: %s' % item for item in sorted(faults.items()))
    if stack_reason and not _is_wrapper(stack_reason):
        return stack_reason
    return stack_reason or None
