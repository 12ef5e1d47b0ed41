import logging
import unittest
from types import SimpleNamespace

from kafka.errors import KafkaError

from roam_events import (
    CHECKPOINT_SAVED,
    ConfigurationError,
    DeliveryError,
    KafkaEmitter,
    build_event,
    emitter_from_environment,
)
from roam_events.emitters import PROJECT_TOPIC

PASSWORD = "scram-password-0123456789"


def an_event(project="llm"):
    return build_event(CHECKPOINT_SAVED, project, "run-42", "checkpoint-1000", "s3://ckpt/run-42/checkpoint-1000/")


class FakeProducer:
    """kafka-python's KafkaProducer as the emitter uses it: records its settings and what it was sent, in memory."""

    instances = []

    def __init__(self, failure=None, **settings):
        self.settings = settings
        self.sent = []
        self.failure = failure
        FakeProducer.instances.append(self)

    def send(self, topic, key, value, headers):
        if self.failure is not None:
            raise self.failure
        self.sent.append(topic)
        return SimpleNamespace(get=lambda timeout: SimpleNamespace(topic=topic, partition=0, offset=len(self.sent) - 1))

    def flush(self, timeout):
        pass

    def close(self, timeout):
        pass


def emitter_with_fake_producer(failure=None, **arguments):
    """A KafkaEmitter whose producer is a FakeProducer; returns both once the producer is connected."""
    emitter = KafkaEmitter(bootstrap_servers="broker-1:9096, broker-2:9096", environ=arguments.pop("environ", {}),
                           **arguments)
    emitter._producer_type = lambda **settings: FakeProducer(failure=failure, **settings)
    return emitter


def producer_settings(**arguments):
    emitter = emitter_with_fake_producer(**arguments)
    emitter.emit(an_event())
    return FakeProducer.instances[-1].settings


class Topics(unittest.TestCase):

    def test_the_shared_topic_is_the_default(self):
        emitter = emitter_with_fake_producer()
        emitter.emit(an_event())
        self.assertEqual(FakeProducer.instances[-1].sent, ["roam.training-events"])

    def test_the_project_topic_sends_each_event_to_its_own_projects_topic(self):
        emitter = emitter_with_fake_producer(topic=PROJECT_TOPIC)
        emitter.emit(an_event("llm"))
        emitter.emit(an_event("vision"))
        self.assertEqual(FakeProducer.instances[-1].sent, ["roam.training-events.llm", "roam.training-events.vision"])

    def test_the_topic_can_come_from_the_environment(self):
        emitter = emitter_with_fake_producer(environ={"ROAM_KAFKA_TOPIC": PROJECT_TOPIC})
        self.assertEqual(emitter.topic_for(an_event("llm")), "roam.training-events.llm")


class Security(unittest.TestCase):

    def test_scram_settings_reach_the_producer_with_the_password_from_the_named_variable(self):
        settings = producer_settings(security_protocol="SASL_SSL", sasl_username="trainer-llm",
                                     sasl_password_variable="TRAINER_PASSWORD", ssl_cafile="/etc/roam/kafka-ca.pem",
                                     environ={"TRAINER_PASSWORD": PASSWORD})
        self.assertEqual(settings["security_protocol"], "SASL_SSL")
        self.assertEqual(settings["sasl_mechanism"], "SCRAM-SHA-512")
        self.assertEqual(settings["sasl_plain_username"], "trainer-llm")
        self.assertEqual(settings["sasl_plain_password"], PASSWORD)
        self.assertEqual(settings["ssl_cafile"], "/etc/roam/kafka-ca.pem")
        self.assertEqual(settings["acks"], "all")
        self.assertEqual(settings["bootstrap_servers"], ["broker-1:9096", "broker-2:9096"])

    def test_every_setting_can_come_from_the_environment(self):
        settings = producer_settings(environ={
            "ROAM_KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "ROAM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
            "ROAM_KAFKA_SASL_USERNAME": "trainer-llm", "ROAM_KAFKA_SASL_PASSWORD": PASSWORD})
        self.assertEqual({name: settings[name] for name in ("security_protocol", "sasl_mechanism",
                                                             "sasl_plain_username", "sasl_plain_password")},
                         {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-256",
                          "sasl_plain_username": "trainer-llm", "sasl_plain_password": PASSWORD})

    def test_an_emitter_from_the_environment_takes_its_security_and_topic_from_the_same_environment(self):
        with self.assertRaisesRegex(ConfigurationError, "SASL_SSL needs a user"):
            emitter_from_environment({"ROAM_KAFKA_BOOTSTRAP_SERVERS": "broker:9096",
                                      "ROAM_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"})
        emitter = emitter_from_environment({"ROAM_KAFKA_BOOTSTRAP_SERVERS": "broker:9096",
                                            "ROAM_KAFKA_TOPIC": PROJECT_TOPIC})
        self.assertEqual(emitter.topic_for(an_event("vision")), "roam.training-events.vision")

    def test_mutual_tls_passes_the_certificate_its_key_and_the_ca(self):
        settings = producer_settings(security_protocol="SSL", ssl_cafile="ca.pem", ssl_certfile="job.pem",
                                     ssl_keyfile="job.key")
        self.assertEqual({name: settings[name] for name in ("security_protocol", "ssl_cafile", "ssl_certfile",
                                                             "ssl_keyfile")},
                         {"security_protocol": "SSL", "ssl_cafile": "ca.pem", "ssl_certfile": "job.pem",
                          "ssl_keyfile": "job.key"})
        self.assertNotIn("sasl_plain_password", settings)

    def test_plaintext_is_the_default_and_sends_no_credentials(self):
        settings = producer_settings()
        self.assertEqual(settings["security_protocol"], "PLAINTEXT")
        self.assertFalse([name for name in settings if name.startswith(("sasl_", "ssl_"))])

    def test_sasl_without_a_password_names_the_variable(self):
        with self.assertRaisesRegex(ConfigurationError, "environment variable TRAINER_PASSWORD, which is not set"):
            KafkaEmitter(bootstrap_servers="broker:9096", security_protocol="SASL_SSL", sasl_username="trainer-llm",
                         sasl_password_variable="TRAINER_PASSWORD", environ={})

    def test_sasl_without_a_user_is_refused(self):
        with self.assertRaisesRegex(ConfigurationError, "SASL_SSL needs a user"):
            KafkaEmitter(bootstrap_servers="broker:9096", security_protocol="SASL_SSL",
                         environ={"ROAM_KAFKA_SASL_PASSWORD": PASSWORD})

    def test_unknown_protocols_and_mechanisms_are_refused_without_showing_the_password(self):
        for arguments in ({"security_protocol": "TLS"}, {"security_protocol": "SASL_SSL", "sasl_mechanism": "GSSAPI"}):
            with self.subTest(arguments), self.assertRaises(ConfigurationError) as refusal:
                KafkaEmitter(bootstrap_servers="broker:9096", sasl_username="trainer-llm",
                             environ={"ROAM_KAFKA_SASL_PASSWORD": PASSWORD}, **arguments)
            self.assertNotIn(PASSWORD, str(refusal.exception))

    def test_tls_files_on_a_plaintext_connection_or_a_certificate_without_its_key_are_refused(self):
        with self.assertRaisesRegex(ConfigurationError, "security protocol is PLAINTEXT"):
            KafkaEmitter(bootstrap_servers="broker:9096", ssl_cafile="ca.pem", environ={})
        with self.assertRaisesRegex(ConfigurationError, "needs its key"):
            KafkaEmitter(bootstrap_servers="broker:9096", security_protocol="SSL", ssl_certfile="job.pem", environ={})

    def test_the_password_is_never_logged_nor_shown_in_a_delivery_error(self):
        arguments = {"security_protocol": "SASL_SSL", "sasl_username": "trainer-llm",
                     "environ": {"ROAM_KAFKA_SASL_PASSWORD": PASSWORD}}
        with self.assertLogs("roam_events", level=logging.DEBUG) as logs:
            emitter_with_fake_producer(**arguments).emit(an_event())
        failing = emitter_with_fake_producer(failure=KafkaError("SaslAuthenticationFailed"), **dict(arguments))
        with self.assertRaises(DeliveryError) as failure:
            failing.emit(an_event())
        self.assertIn("roam.training-events", str(failure.exception))
        self.assertNotIn(PASSWORD, str(failure.exception) + "".join(logs.output) + repr(failing))


if __name__ == "__main__":
    unittest.main()
