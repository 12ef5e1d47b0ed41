"""Training events as CloudEvents 1.0: what a training job tells Roam when it saved something.

An event names an artifact of the catalog: ``project`` and ``run`` (the artifact name) identify it, ``version``
(for example ``checkpoint-1000``) is one immutable version of it, and ``uri`` is where its files are (a directory
URI ends with ``/``). The event type tells the artifact kind.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from types import MappingProxyType
from urllib.parse import quote

from .errors import InvalidEventError

SPEC_VERSION = "1.0"
DATA_CONTENT_TYPE = "application/json"
STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"

CHECKPOINT_SAVED = "roam.checkpoint.saved"
DATASET_REGISTERED = "roam.dataset.registered"
MODEL_SAVED = "roam.model.saved"
EVENT_TYPES = frozenset({CHECKPOINT_SAVED, DATASET_REGISTERED, MODEL_SAVED})

# fsspec style: a scheme, then "://"; "file:///abs/path/" for local files.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S")


@dataclass(frozen=True)
class TrainingEvent:
    """One CloudEvent for ``roam.training-events``, immutable. Build it with :func:`build_event`.

    ``labels`` is a read-only mapping of string to string, empty when the event has none.
    """

    type: str
    id: str
    source: str
    time: str
    project: str
    run: str
    version: str
    uri: str
    labels: "MappingProxyType[str, str]"

    @property
    def subject(self):
        """The CloudEvents ``subject``: the version the event is about."""
        return self.version

    @property
    def key(self):
        """The Kafka record key, ``{project}/{run}``: one run's events stay in one partition, in order."""
        return f"{self.project}/{self.run}"

    def data(self):
        """The CloudEvents ``data``, a new dict: project, run, version, uri and, when there are any, labels."""
        data = {"project": self.project, "run": self.run, "version": self.version, "uri": self.uri}
        if self.labels:
            data["labels"] = dict(self.labels)
        return data

    def data_json(self):
        """``data`` as UTF-8 JSON bytes: the body or record value in binary mode."""
        return _json_bytes(self.data())

    def context_attributes(self):
        """The CloudEvents context attributes carried as ``ce_``/``ce-`` headers in binary mode, in a fixed order.

        ``datacontenttype`` is not among them: binary mode carries it as the ``content-type`` header.
        """
        return {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": self.time,
            "subject": self.subject,
        }

    def structured(self):
        """The whole event as a dict in the JSON event format, ``data`` as an object."""
        event = self.context_attributes()
        event["datacontenttype"] = DATA_CONTENT_TYPE
        event["data"] = self.data()
        return event

    def structured_json(self):
        """The whole event as UTF-8 JSON bytes: the body or record value in structured mode."""
        return _json_bytes(self.structured())


def build_event(event_type, project, run, version, uri, labels=None, event_id=None, time=None):
    """Builds an event with a fresh UUID4 ``id`` and the current UTC ``time`` unless given.

    ``labels`` maps strings to strings; int and float values are written as strings (``{"step": 1000}`` becomes
    ``{"step": "1000"}``), anything else is refused. ``time`` is a timezone-aware datetime.

    :raises InvalidEventError: an unknown type, an empty or non-string field, a ``uri`` without a scheme, or a
        label that is not a string (or number)
    """
    if event_type not in EVENT_TYPES:
        raise InvalidEventError(f"unknown event type {event_type!r}; expected one of {sorted(EVENT_TYPES)}")
    for name, value in (("project", project), ("run", run), ("version", version), ("uri", uri)):
        if not isinstance(value, str) or not value.strip():
            raise InvalidEventError(f"{name} must be a non-empty string, was {value!r}")
    if not _URI.match(uri):
        raise InvalidEventError(f"uri must be a storage URI such as s3://bucket/key/ or file:///abs/path/, was {uri!r}")
    if time is not None and (time.tzinfo is None or time.utcoffset() is None):
        raise InvalidEventError("time must be timezone-aware")
    return TrainingEvent(
        type=event_type,
        id=event_id if event_id is not None else str(uuid.uuid4()),
        source=event_source(project, run),
        time=_rfc3339(time if time is not None else datetime.now(timezone.utc)),
        project=project,
        run=run,
        version=version,
        uri=uri,
        labels=MappingProxyType(_string_labels(labels)),
    )


def checkpoint_saved(project, run, version, uri, labels=None):
    """A ``roam.checkpoint.saved`` event, see :func:`build_event`."""
    return build_event(CHECKPOINT_SAVED, project, run, version, uri, labels)


def dataset_registered(project, run, version, uri, labels=None):
    """A ``roam.dataset.registered`` event (``run`` is the dataset name), see :func:`build_event`."""
    return build_event(DATASET_REGISTERED, project, run, version, uri, labels)


def model_saved(project, run, version, uri, labels=None):
    """A ``roam.model.saved`` event, see :func:`build_event`."""
    return build_event(MODEL_SAVED, project, run, version, uri, labels)


def event_source(project, run):
    """The CloudEvents ``source`` of a run's events, ``/training/{project}/{run}``.

    Each segment is percent-encoded where a URI-reference needs it (``/`` included), so ``source`` is always a
    valid URI-reference; names made of letters, digits, ``-``, ``.``, ``_`` and ``~`` appear unchanged.
    """
    return f"/training/{quote(project, safe='')}/{quote(run, safe='')}"


def _rfc3339(moment):
    # Milliseconds and a "Z": the form RFC 3339 parsers (and Java's Instant.parse) all accept.
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _string_labels(labels):
    if labels is None:
        return {}
    converted = {}
    for name, value in dict(labels).items():
        if not isinstance(name, str) or not name:
            raise InvalidEventError(f"label names must be non-empty strings, was {name!r}")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InvalidEventError(f"label {name!r} must be a string or a number, was {value!r}")
        converted[name] = value if isinstance(value, str) else _number_text(value)
    return converted


def _number_text(number):
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _json_bytes(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
