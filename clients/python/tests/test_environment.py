import unittest

from roam_events import ConfigurationError, ContentMode, HttpEmitter, KafkaEmitter, emitter_from_environment
from roam_events.emitters import project_from


class EmitterFromEnvironment(unittest.TestCase):

    def test_is_kafka_when_bootstrap_servers_are_set_even_if_a_gateway_is_too(self):
        emitter = emitter_from_environment({"ROAM_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092",
                                            "ROAM_GATEWAY_URL": "http://127.0.0.1:8080"})
        self.assertIsInstance(emitter, KafkaEmitter)
        emitter.close()  # nothing to close: the producer connects on the first event

    def test_is_http_when_only_a_gateway_is_set(self):
        emitter = emitter_from_environment({"ROAM_GATEWAY_URL": "http://127.0.0.1:8080", "ROAM_TOKEN": "t"},
                                           mode=ContentMode.STRUCTURED)
        self.assertIsInstance(emitter, HttpEmitter)

    def test_names_both_variables_when_neither_is_set(self):
        with self.assertRaisesRegex(ConfigurationError,
                                    "set ROAM_KAFKA_BOOTSTRAP_SERVERS \\(Kafka\\) or ROAM_GATEWAY_URL \\(HTTP\\)"):
            emitter_from_environment({"ROAM_KAFKA_BOOTSTRAP_SERVERS": ""})


class ProjectFromEnvironment(unittest.TestCase):

    def test_an_argument_wins_over_the_environment(self):
        self.assertEqual(project_from("llm", {"ROAM_PROJECT": "vision"}), "llm")
        self.assertEqual(project_from(None, {"ROAM_PROJECT": "vision"}), "vision")

    def test_is_required(self):
        with self.assertRaisesRegex(ConfigurationError, "ROAM_PROJECT"):
            project_from(None, {})


if __name__ == "__main__":
    unittest.main()
