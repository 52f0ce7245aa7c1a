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

"""Container lifecycle events, passed to Nova as they happen.

Without them Nova notices a container that stopped on its own (its process
exited, the OOM killer, an operator's ``docker stop``) only at the next
power state sync, up to ten minutes later. The watcher follows the
engine's event stream for this host's containers and emits Nova's
lifecycle events; the compute manager then compares them with get_info and
corrects the instance's state.
"""

import threading

from nova.virt import event as virtevent
from oslo_log import log as logging

from nova_docker_driver import client
from nova_docker_driver import conf as docker_conf

LOG = logging.getLogger(__name__)
CONF = docker_conf.CONF

# Docker event -> Nova lifecycle transition. 'pause' is resolved by the
# driver, which knows whether the freeze is a suspend.
TRANSITIONS = {
    'start': virtevent.EVENT_LIFECYCLE_STARTED,
    'die': virtevent.EVENT_LIFECYCLE_STOPPED,
    'pause': virtevent.EVENT_LIFECYCLE_PAUSED,
    'unpause': virtevent.EVENT_LIFECYCLE_RESUMED,
}
_RETRY_SECONDS = 5


def lifecycle_event(docker_event, is_suspended):
    """A Nova LifecycleEvent for one Docker event, or None."""
    transition = TRANSITIONS.get(docker_event.get('Action') or
                                 docker_event.get('status'))
    attributes = (docker_event.get('Actor') or {}).get('Attributes') or {}
    uuid = attributes.get(client.LABEL_UUID)
    if transition is None or not uuid:
        return None
    if (transition == virtevent.EVENT_LIFECYCLE_PAUSED and
            is_suspended(uuid)):
        transition = virtevent.EVENT_LIFECYCLE_SUSPENDED
    return virtevent.LifecycleEvent(uuid, transition)


class EventWatcher(object):
    """Follows the engine's events in a thread of its own."""

    def __init__(self, engine, emit, is_suspended):
        self._engine = engine
        self._emit = emit
        self._is_suspended = is_suspended
        self._stream = None
        self._stopped = threading.Event()
        self._thread = None

    def start(self):
        self._stopped.clear()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='nova-docker-events')
        self._thread.start()

    def stop(self):
        self._stopped.set()
        stream = self._stream
        if stream is not None:
            # Closing the response wakes the thread blocked reading it.
            stream.close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self):
        while not self._stopped.is_set():
            try:
                self._follow()
                # The engine ended the stream (it restarted): reconnect.
                self._stopped.wait(1)
            except Exception:
                if self._stopped.is_set():
                    break
                LOG.warning('Lost the Docker event stream; reconnecting in '
                            '%ss', _RETRY_SECONDS, exc_info=True)
                self._stopped.wait(_RETRY_SECONDS)

    def _follow(self):
        stream = self._engine.api.events(decode=True, filters={
            'type': 'container',
            'event': list(TRANSITIONS),
            'label': ['%s=%s' % (client.LABEL_HOST, CONF.host)]})
        self._stream = stream
        if self._stopped.is_set():
            # stop() ran while the stream was being opened and saw none.
            stream.close()
            return
        for docker_event in stream:
            if self._stopped.is_set():
                break
            event = lifecycle_event(docker_event, self._is_suspended)
            if event is not None:
                LOG.debug('Container event %(action)s for %(uuid)s',
                          {'action': docker_event.get('Action'),
                           'uuid': event.get_instance_uuid()})
                self._emit(event)
