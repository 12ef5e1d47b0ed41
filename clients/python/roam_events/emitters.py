"""Emitters deliver training events to Roam: over Kafka (``KafkaEmitter``) or the gateway's HTTP API
(``HttpEmitter``, for jobs that cannot reach the brokers). ``emitter_from_environment`` picks one from ROAM_*
environment variables.
"""

import enum
import http.client
import json
import logging
import os
import random
import ssl
import time
import warnings
from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ConfigurationError, DeliveryError, EventRejectedError
from .events import DATA_CONTENT_TYPE, STRUCTURED_CONTENT_TYPE

TOPIC = "roam.training-events"
# Each event goes to its own project's topic: what a shared cluster, whose ACLs grant WRITE per project topic, needs.
PROJECT_TOPIC = "roam.training-events.{project}"
EVENTS_PATH = "/v1/events"

KAFKA_BOOTSTRAP_SERVERS_VARIABLE = "ROAM_KAFKA_BOOTSTRAP_SERVERS"
GATEWAY_URL_VARIABLE = "ROAM_GATEWAY_URL"
TOKEN_VARIABLE = "ROAM_TOKEN"
PROJECT_VARIABLE = "ROAM_PROJECT"
KAFKA_TOPIC_VARIABLE = "ROAM_KAFKA_TOPIC"
KAFKA_SECURITY_PROTOCOL_VARIABLE = "ROAM_KAFKA_SECURITY_PROTOCOL"
KAFKA_SASL_MECHANISM_VARIABLE = "ROAM_KAFKA_SASL_MECHANISM"
KAFKA_SASL_USERNAME_VARIABLE = "ROAM_KAFKA_SASL_USERNAME"
KAFKA_SASL_PASSWORD_VARIABLE = "ROAM_KAFKA_SASL_PASSWORD"
KAFKA_SSL_CAFILE_VARIABLE = "ROAM_KAFKA_SSL_CAFILE"
KAFKA_SSL_CERTFILE_VARIABLE = "ROAM_KAFKA_SSL_CERTFILE"
KAFKA_SSL_KEYFILE_VARIABLE = "ROAM_KAFKA_SSL_KEYFILE"

_SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
_SASL_MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")

_log = logging.getLogger("roam_events")


class ContentMode(enum.Enum):
    """How an event travels (CloudEvents protocol bindings).

    BINARY: the body or record value is ``data`` as JSON and the context attributes are headers (``ce_id`` on
    Kafka, ``ce-id`` over HTTP); STRUCTURED: the body or value is the whole event in the JSON event format,
    ``content-type: application/cloudevents+json``.
    """

    BINARY = "binary"
    STRUCTURED = "structured"


class Emitter(ABC):
    """Delivers events to Roam. Use as a context manager, or call ``close`` when done.

    Not thread-safe: one training process emits from one thread.
    """

    @abstractmethod
    def emit(self, event):
        """Returns once Roam has durably accepted the event (the broker acknowledged it on every in-sync replica,
        or the gateway answered 2xx), so a job preempted right after this call has not lost it.

        :raises EventRejectedError: the gateway refused the event (4xx); sending it again will not help
        :raises DeliveryError: the event could not be delivered in time; sending it again later may work
        """

    def close(self):
        """Releases connections. Emitting after close opens them again."""

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()


@dataclass(frozen=True)
class KafkaRecord:
    """What a Kafka record carries for one event: key, value and headers, all bytes except header names."""

    key: bytes
    value: bytes
    headers: list


def kafka_record(event, mode=ContentMode.BINARY):
    """The record for an event under the CloudEvents Kafka protocol binding.

    Binary mode: value = data JSON, headers ``ce_specversion``, ``ce_id``, ``ce_source``, ``ce_type``,
    ``ce_time``, ``ce_subject`` and ``content-type: application/json``. Structured mode: value = the whole event,
    one header ``content-type: application/cloudevents+json``. Both keyed ``{project}/{run}``.
    """
    mode = ContentMode(mode)
    key = event.key.encode("utf-8")
    if mode is ContentMode.STRUCTURED:
        return KafkaRecord(key, event.structured_json(), [("content-type", STRUCTURED_CONTENT_TYPE.encode("utf-8"))])
    headers = [("ce_" + name, value.encode("utf-8")) for name, value in event.context_attributes().items()]
    headers.append(("content-type", DATA_CONTENT_TYPE.encode("utf-8")))
    return KafkaRecord(key, event.data_json(), headers)


class KafkaEmitter(Emitter):
    """Publishes events to Kafka with kafka-python (imported here, so HTTP-only users need not install it),
    ``acks=all``, and a flush after every event.

    The producer connects on the first ``emit``, so constructing an emitter on every rank of a distributed job
    costs nothing on ranks that never emit.

    Topic: ``topic`` is a topic name, or ``PROJECT_TOPIC`` (``roam.training-events.{project}``) to send each event
    to its own project's topic. The shared ``roam.training-events`` (``TOPIC``, the default) suits a local run; on a
    shared cluster, whose ACLs let a job write only its project's topic, use ``PROJECT_TOPIC``: the gateway accepts
    on ``roam.training-events.<project>`` only events of that project.

    Authentication: SASL/SCRAM (``security_protocol="SASL_SSL"`` or ``"SASL_PLAINTEXT"``, ``sasl_mechanism``
    ``SCRAM-SHA-512`` by default, ``sasl_username``, the password read from the environment variable named by
    ``sasl_password_variable``) or mutual TLS (``security_protocol="SSL"``, ``ssl_certfile`` and ``ssl_keyfile``);
    ``ssl_cafile`` is the CA bundle that verifies the brokers. The password is passed to kafka-python only: it is
    never logged nor shown in an error.

    Every argument left out (None) is read from the environment: ``ROAM_KAFKA_BOOTSTRAP_SERVERS``,
    ``ROAM_KAFKA_TOPIC``, ``ROAM_KAFKA_SECURITY_PROTOCOL``, ``ROAM_KAFKA_SASL_MECHANISM``,
    ``ROAM_KAFKA_SASL_USERNAME``, ``ROAM_KAFKA_SSL_CAFILE``, ``ROAM_KAFKA_SSL_CERTFILE``, ``ROAM_KAFKA_SSL_KEYFILE``;
    the password from ``$ROAM_KAFKA_SASL_PASSWORD`` unless ``sasl_password_variable`` names another variable.

    :param bootstrap_servers: ``host:port[,host:port]``
    :param topic: a topic name, or a name with ``{project}`` (``PROJECT_TOPIC``); default ``TOPIC``
    :param mode: ``ContentMode.BINARY`` (default) or ``ContentMode.STRUCTURED``
    :param timeout_seconds: how long one ``emit`` may wait for the broker's acknowledgement
    :param producer_config: further kafka-python ``KafkaProducer`` settings; they cannot change ``acks``
    :param security_protocol: ``PLAINTEXT`` (default), ``SSL``, ``SASL_PLAINTEXT`` or ``SASL_SSL``
    :param sasl_mechanism: ``SCRAM-SHA-512`` (default), ``SCRAM-SHA-256`` or ``PLAIN``
    :param sasl_username: the SASL user; required with a ``SASL_*`` protocol
    :param sasl_password_variable: the name of the environment variable holding the SASL password
    :param ssl_cafile: CA certificates (PEM) that verify the brokers; default the system's
    :param ssl_certfile: this job's client certificate (PEM), for mutual TLS
    :param ssl_keyfile: the private key of ``ssl_certfile`` (PEM)
    :param environ: where the defaults are read; default ``os.environ``
    :raises ConfigurationError: a setting is missing, unknown, or inconsistent (never showing the password)
    """

    def __init__(self, bootstrap_servers=None, topic=None, mode=ContentMode.BINARY, timeout_seconds=30.0,
                 producer_config=None, security_protocol=None, sasl_mechanism=None, sasl_username=None,
                 sasl_password_variable=KAFKA_SASL_PASSWORD_VARIABLE, ssl_cafile=None, ssl_certfile=None,
                 ssl_keyfile=None, environ=None):
        try:
            with warnings.catch_warnings():
                # kafka-python 2.0's vendored six warns on Python 3.10+ when warnings are on (as under unittest).
                warnings.simplefilter("ignore", ImportWarning)
                from kafka import KafkaProducer
                from kafka.errors import KafkaError
        except ImportError as missing:
            raise ConfigurationError("KafkaEmitter needs kafka-python: 'apt-get install python3-kafka' or "
                                     "'pip install kafka-python' (or use HttpEmitter)") from missing
        environ = os.environ if environ is None else environ
        self._producer_type = KafkaProducer
        self._kafka_error = KafkaError
        self._bootstrap_servers = bootstrap_servers or environ.get(KAFKA_BOOTSTRAP_SERVERS_VARIABLE)
        if not self._bootstrap_servers:
            raise ConfigurationError(f"no Kafka bootstrap servers: pass bootstrap_servers or set "
                                     f"{KAFKA_BOOTSTRAP_SERVERS_VARIABLE}")
        self._topic = topic or environ.get(KAFKA_TOPIC_VARIABLE) or TOPIC
        self._mode = ContentMode(mode)
        self._timeout_seconds = timeout_seconds
        self._security_config = _kafka_security_config(
            security_protocol or environ.get(KAFKA_SECURITY_PROTOCOL_VARIABLE) or "PLAINTEXT",
            sasl_mechanism or environ.get(KAFKA_SASL_MECHANISM_VARIABLE) or "SCRAM-SHA-512",
            sasl_username or environ.get(KAFKA_SASL_USERNAME_VARIABLE),
            sasl_password_variable, environ,
            ssl_cafile or environ.get(KAFKA_SSL_CAFILE_VARIABLE),
            ssl_certfile or environ.get(KAFKA_SSL_CERTFILE_VARIABLE),
            ssl_keyfile or environ.get(KAFKA_SSL_KEYFILE_VARIABLE))
        self._producer_config = dict(producer_config or {})
        self._producer = None

    def topic_for(self, event):
        """The topic the event goes to: ``topic`` with ``{project}`` replaced by the event's project."""
        return self._topic.replace("{project}", event.project)

    def emit(self, event):
        record = kafka_record(event, self._mode)
        topic = self.topic_for(event)
        try:
            producer = self._connected_producer()
            future = producer.send(topic, key=record.key, value=record.value, headers=record.headers)
            # A checkpoint event must survive the job being preempted right after saving: wait for the broker.
            producer.flush(timeout=self._timeout_seconds)
            metadata = future.get(timeout=self._timeout_seconds)
        except self._kafka_error as failure:
            raise DeliveryError(f"could not publish event {event.id} ({event.type} {event.key} {event.version}) "
                                f"to Kafka topic {topic}: {failure!r}") from failure
        _log.info("published %s %s %s as event %s to %s partition %d offset %d", event.type, event.key,
                  event.version, event.id, metadata.topic, metadata.partition, metadata.offset)

    def close(self):
        if self._producer is not None:
            producer, self._producer = self._producer, None
            producer.close(timeout=self._timeout_seconds)

    def _connected_producer(self):
        if self._producer is None:
            settings = {
                "retries": 5,
                "request_timeout_ms": int(self._timeout_seconds * 1000),
                "max_block_ms": int(self._timeout_seconds * 1000),
                # With retries, more than one request in flight could reorder one run's events.
                "max_in_flight_requests_per_connection": 1,
                "client_id": "roam-events",
            }
            settings.update(self._security_config)
            settings.update(self._producer_config)
            settings.update(bootstrap_servers=[server.strip() for server in self._bootstrap_servers.split(",")],
                            acks="all")
            self._producer = self._producer_type(**settings)
        return self._producer


def _kafka_security_config(protocol, mechanism, username, password_variable, environ, cafile, certfile, keyfile):
    """The kafka-python ``KafkaProducer`` settings of a security protocol, checked.

    :raises ConfigurationError: naming the setting at fault, never the password
    """
    protocol = protocol.strip().upper()
    if protocol not in _SECURITY_PROTOCOLS:
        raise ConfigurationError(f"unknown Kafka security protocol {protocol!r}: use one of "
                                 f"{', '.join(_SECURITY_PROTOCOLS)}")
    config = {"security_protocol": protocol}
    if protocol.startswith("SASL_"):
        mechanism = mechanism.strip().upper()
        if mechanism not in _SASL_MECHANISMS:
            raise ConfigurationError(f"unknown SASL mechanism {mechanism!r}: use one of {', '.join(_SASL_MECHANISMS)}")
        if not username:
            raise ConfigurationError(f"{protocol} needs a user: pass sasl_username or set "
                                     f"{KAFKA_SASL_USERNAME_VARIABLE}")
        password = environ.get(password_variable) if password_variable else None
        if not password:
            raise ConfigurationError(f"{protocol} needs the password of Kafka user {username!r} in the environment "
                                     f"variable {password_variable}, which is not set or empty")
        config.update(sasl_mechanism=mechanism, sasl_plain_username=username, sasl_plain_password=password)
    if protocol.endswith("SSL"):
        if bool(certfile) != bool(keyfile):
            raise ConfigurationError("a client certificate needs its key: pass both ssl_certfile and ssl_keyfile "
                                     f"(or set {KAFKA_SSL_CERTFILE_VARIABLE} and {KAFKA_SSL_KEYFILE_VARIABLE})")
        for name, value in (("ssl_cafile", cafile), ("ssl_certfile", certfile), ("ssl_keyfile", keyfile)):
            if value:
                config[name] = value
    elif cafile or certfile or keyfile:
        raise ConfigurationError(f"TLS files were given but the Kafka security protocol is {protocol}: use SSL or "
                                 "SASL_SSL")
    return config


class HttpEmitter(Emitter):
    """Posts events to the gateway, ``POST {gateway_url}/v1/events``, under the CloudEvents HTTP protocol binding.

    A 2xx answer (the gateway answers 202) is success. 5xx answers, 429 and connection failures are tried again,
    up to ``attempts`` times in all, waiting ``initial_backoff_seconds`` doubled after each failure (with jitter,
    so that many jobs do not retry in step; a 429's ``Retry-After`` wins), then raise ``DeliveryError``. Any other
    answer, a 4xx or a redirect (never followed: it would drop the body), raises ``EventRejectedError`` with the
    ``detail`` of the RFC 9457 problem+json body.

    :param gateway_url: ``http(s)://host:port[/base]``; default ``$ROAM_GATEWAY_URL``
    :param token: sent as ``Authorization: Bearer`` (a JWT or a ``roam_…`` API token); default ``$ROAM_TOKEN``;
        surrounding whitespace is dropped, ``""`` sends none; never logged nor shown in an error
    :param mode: ``ContentMode.BINARY`` (default) or ``ContentMode.STRUCTURED``
    """

    def __init__(self, gateway_url=None, token=None, mode=ContentMode.BINARY, attempts=4,
                 initial_backoff_seconds=0.5, timeout_seconds=10.0, sleep=time.sleep):
        gateway_url = gateway_url or os.environ.get(GATEWAY_URL_VARIABLE)
        if not gateway_url:
            raise ConfigurationError(f"no gateway URL: pass gateway_url or set {GATEWAY_URL_VARIABLE}")
        address = urlsplit(gateway_url)
        if address.scheme not in ("http", "https") or not address.hostname or address.query or address.fragment:
            raise ConfigurationError(f"gateway URL must be http(s)://host[:port][/path], was {gateway_url!r}")
        if address.username is not None:
            # The URL is logged and shown in errors; a credential belongs in ROAM_TOKEN.
            raise ConfigurationError("gateway URL must not contain user information; pass the token as token or "
                                     f"set {TOKEN_VARIABLE}")
        if attempts < 1:
            raise ConfigurationError(f"attempts must be at least 1, was {attempts}")
        self._address = address
        self._path = address.path.rstrip("/") + EVENTS_PATH
        self._token = _bearer_token(token if token is not None else os.environ.get(TOKEN_VARIABLE))
        self._mode = ContentMode(mode)
        self._attempts = attempts
        self._initial_backoff_seconds = initial_backoff_seconds
        self._timeout_seconds = timeout_seconds
        self._sleep = sleep

    def emit(self, event):
        body, headers = self._request(event)
        backoff = self._initial_backoff_seconds
        for attempt in range(1, self._attempts + 1):
            try:
                status, response_headers, response_body = self._post(body, headers)
            except (OSError, http.client.HTTPException) as failure:
                reason = f"{type(failure).__name__}: {failure}"
                retry_after = None
            else:
                if 200 <= status < 300:
                    _log.info("gateway accepted %s %s %s as event %s (HTTP %d)", event.type, event.key,
                              event.version, event.id, status)
                    return
                if status != 429 and status < 500:
                    raise _rejection(status, response_headers, response_body)
                reason = f"HTTP {status}"
                retry_after = _retry_after_seconds(response_headers)
            if attempt == self._attempts:
                raise DeliveryError(f"could not deliver event {event.id} ({event.type} {event.key} {event.version}) "
                                    f"to {self._endpoint()} after {attempt} attempt(s): {reason}")
            delay = retry_after if retry_after is not None else backoff * random.uniform(0.5, 1.0)
            _log.warning("attempt %d of %d to deliver event %s to %s failed (%s); trying again in %.1f s",
                         attempt, self._attempts, event.id, self._endpoint(), reason, delay)
            self._sleep(delay)
            backoff *= 2

    def _request(self, event):
        headers = {"Accept": "application/json, application/problem+json"}
        if self._token:
            headers["Authorization"] = "Bearer " + self._token
        if self._mode is ContentMode.STRUCTURED:
            headers["Content-Type"] = STRUCTURED_CONTENT_TYPE
            return event.structured_json(), headers
        headers["Content-Type"] = DATA_CONTENT_TYPE
        for name, value in event.context_attributes().items():
            headers["ce-" + name] = http_header_value(value)
        return event.data_json(), headers

    def _post(self, body, headers):
        if self._address.scheme == "https":
            connection = http.client.HTTPSConnection(self._address.hostname, self._address.port,
                                                     timeout=self._timeout_seconds,
                                                     context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(self._address.hostname, self._address.port,
                                                    timeout=self._timeout_seconds)
        try:
            connection.request("POST", self._path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def _endpoint(self):
        return f"{self._address.scheme}://{self._address.netloc}{self._path}"


def _bearer_token(token):
    """The token without the surrounding whitespace a token file or ``$(cat …)`` leaves, or None when empty.

    :raises ConfigurationError: it holds a character a bearer token never has (a space, a line break, anything but
        printable US-ASCII), which could also split the ``Authorization`` header; the token is not shown
    """
    token = (token or "").strip()
    if not token:
        return None
    if not all("!" <= character <= "~" for character in token):
        raise ConfigurationError(f"the token (argument token or {TOKEN_VARIABLE}) holds a character a bearer token "
                                 "never has: a space, a control character or one outside printable US-ASCII")
    return token


def emitter_from_environment(environ=None, mode=ContentMode.BINARY):
    """The emitter the environment configures: Kafka when ``ROAM_KAFKA_BOOTSTRAP_SERVERS`` is set, else HTTP when
    ``ROAM_GATEWAY_URL`` is set (with ``ROAM_TOKEN`` when set).

    :raises ConfigurationError: neither is set
    """
    environ = os.environ if environ is None else environ
    if environ.get(KAFKA_BOOTSTRAP_SERVERS_VARIABLE):
        return KafkaEmitter(bootstrap_servers=environ[KAFKA_BOOTSTRAP_SERVERS_VARIABLE], mode=mode, environ=environ)
    if environ.get(GATEWAY_URL_VARIABLE):
        return HttpEmitter(gateway_url=environ[GATEWAY_URL_VARIABLE], token=environ.get(TOKEN_VARIABLE, ""),
                           mode=mode)
    raise ConfigurationError(f"no Roam endpoint configured: set {KAFKA_BOOTSTRAP_SERVERS_VARIABLE} (Kafka) or "
                             f"{GATEWAY_URL_VARIABLE} (HTTP), or pass an emitter")


def project_from(project, environ=None):
    """``project`` when given, else ``$ROAM_PROJECT``.

    :raises ConfigurationError: neither is set
    """
    environ = os.environ if environ is None else environ
    project = project or environ.get(PROJECT_VARIABLE)
    if not project:
        raise ConfigurationError(f"no project: pass project or set {PROJECT_VARIABLE}")
    return project


def http_header_value(value):
    """A context attribute as a ``ce-`` HTTP header value: the HTTP binding percent-encodes the UTF-8 bytes of
    space, ``"``, ``%`` and every character outside printable US-ASCII, since HTTP headers carry only those."""
    return "".join(
        character if "!" <= character <= "~" and character not in '"%'
        else "".join(f"%{byte:02X}" for byte in character.encode("utf-8"))
        for character in value)


def _rejection(status, headers, body):
    text = body.decode("utf-8", errors="replace")
    problem = {}
    if (headers.get("Content-Type") or "").split(";")[0].strip().lower() in ("application/problem+json",
                                                                            "application/json"):
        try:
            parsed = json.loads(text)
            problem = parsed if isinstance(parsed, dict) else {}
        except ValueError:
            problem = {}
    title = str(problem.get("title") or http.client.responses.get(status, "Error"))
    detail = str(problem.get("detail") or text.strip()[:500] or "no detail given")
    return EventRejectedError(status, title, detail, problem)


def _retry_after_seconds(headers):
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), 60.0)
    except ValueError:
        return None
