"""The errors of roam_events, classified once: each says whether trying the same event again can help."""


class RoamEventsError(Exception):
    """Base of every error this package raises."""

    retryable = False


class ConfigurationError(RoamEventsError):
    """A setting is missing or invalid (an argument or a ROAM_* environment variable)."""


class InvalidEventError(RoamEventsError, ValueError):
    """The event cannot be built: a missing or malformed attribute or data field."""


class EventRejectedError(RoamEventsError):
    """The gateway refused the event (HTTP 4xx). Sending it again unchanged gets the same answer.

    ``status``, ``title`` and ``detail`` come from the RFC 9457 problem+json body when there is one;
    ``problem`` is that body as a dict (empty when the body was not problem+json).
    """

    def __init__(self, status, title, detail, problem):
        super().__init__(f"the Roam gateway rejected the event: HTTP {status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        self.problem = problem


class DeliveryError(RoamEventsError):
    """The event could not be delivered (broker or gateway unreachable, 5xx, timeout) after every attempt.

    The checkpoint itself is safe on disk; emitting the same event again later is correct: the catalog applies
    an event id at most once.
    """

    retryable = True
