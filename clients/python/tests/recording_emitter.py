"""An in-memory emitter for the callbacks' unit tests."""

import os
from urllib.parse import urlsplit

from roam_events import DeliveryError, Emitter


class RecordingEmitter(Emitter):
    """Records every event, and whether its file:// URI existed at the moment it was emitted; fails when told to."""

    def __init__(self, failure=None):
        self.events = []
        self.existed_when_emitted = []
        self.closed = False
        self._failure = failure

    def emit(self, event):
        if self._failure is not None:
            raise self._failure
        self.events.append(event)
        address = urlsplit(event.uri)
        self.existed_when_emitted.append(address.scheme == "file" and os.path.exists(address.path))

    def close(self):
        self.closed = True


def unavailable():
    return DeliveryError("broker unavailable")
