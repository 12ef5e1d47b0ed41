"""What the framework callbacks share: settings checked when the callback is built, one event per checkpoint."""

import logging

from .emitters import ContentMode, emitter_from_environment, project_from
from .errors import ConfigurationError, RoamEventsError
from .events import build_event
from .locations import StorageLocations

_log = logging.getLogger("roam_events")

FAILURE_POLICIES = ("log", "raise")


class CheckpointEventPublisher:
    """Builds and emits one event per saved checkpoint for a framework callback.

    Settings are checked when the callback is built, not hours later at the first checkpoint. The emitter from
    the environment connects on its first event, so ranks that never emit never connect. ``on_failure="log"``
    (the default) logs an event that could not be delivered and lets training go on, the checkpoint being safe
    on disk; ``"raise"`` stops training with the error.
    """

    def __init__(self, project, run, emitter, storage_uri, event_type, labels, on_failure, mode):
        if on_failure not in FAILURE_POLICIES:
            raise ConfigurationError(f"on_failure must be one of {FAILURE_POLICIES}, was {on_failure!r}")
        self.project = project_from(project)
        self.run = run
        self._event_type = event_type
        self._storage_uri = storage_uri
        self._labels = dict(labels or {})
        self._on_failure = on_failure
        self._owns_emitter = emitter is None
        self._emitter = emitter if emitter is not None else emitter_from_environment(mode=ContentMode(mode))
        StorageLocations.for_option(storage_uri, "/")  # validates the option now

    def locations(self, written_directory):
        """Where paths under ``written_directory`` (the framework's checkpoint directory) are stored."""
        return StorageLocations.for_option(self._storage_uri, written_directory)

    def publish(self, default_run, version, uri, labels):
        """Emits the event for a checkpoint saved at ``uri``; the callback's ``run`` wins over ``default_run``.

        :return: the event, or None when it could not be delivered and the policy is to log
        """
        event = build_event(self._event_type, self.project, self.run or default_run, version, uri,
                            {**labels, **self._labels})
        try:
            self._emitter.emit(event)
        except RoamEventsError:
            if self._on_failure == "raise":
                raise
            _log.exception("could not tell Roam that %s %s was saved at %s; training goes on", event.key,
                           event.version, event.uri)
            return None
        return event

    def close(self):
        """Closes the emitter if this publisher made it."""
        if self._owns_emitter:
            self._emitter.close()


def epoch_text(epoch):
    """An epoch as a label: ``2`` for 2.0, ``1.5333`` for 1.53333…"""
    return f"{float(epoch):.4f}".rstrip("0").rstrip(".")
