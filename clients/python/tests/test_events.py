import json
import unittest
import uuid
from datetime import datetime, timedelta, timezone

from roam_events import (
    CHECKPOINT_SAVED,
    DATASET_REGISTERED,
    MODEL_SAVED,
    ContentMode,
    InvalidEventError,
    build_event,
    checkpoint_saved,
    dataset_registered,
    kafka_record,
    model_saved,
)


def an_event(**overrides):
    arguments = dict(event_type=CHECKPOINT_SAVED, project="llm", run="run-42", version="checkpoint-1000",
                     uri="s3://ckpt/run-42/checkpoint-1000/", labels={"step": "1000", "epoch": "2"})
    arguments.update(overrides)
    return build_event(**arguments)


class BuildingAnEvent(unittest.TestCase):

    def test_carries_the_artifact_and_the_cloud_events_context(self):
        before = datetime.now(timezone.utc)
        event = an_event()

        self.assertEqual(event.type, "roam.checkpoint.saved")
        self.assertEqual(uuid.UUID(event.id).version, 4)
        self.assertEqual(event.source, "/training/llm/run-42")
        self.assertEqual(event.subject, "checkpoint-1000")
        self.assertRegex(event.time, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        moment = datetime.strptime(event.time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        self.assertLessEqual(before - timedelta(milliseconds=1), moment)
        self.assertLessEqual(moment, datetime.now(timezone.utc))
        self.assertEqual(event.key, "llm/run-42")
        self.assertEqual(event.data(), {"project": "llm", "run": "run-42", "version": "checkpoint-1000",
                                        "uri": "s3://ckpt/run-42/checkpoint-1000/",
                                        "labels": {"step": "1000", "epoch": "2"}})

    def test_gets_a_fresh_id_every_time(self):
        self.assertNotEqual(an_event().id, an_event().id)

    def test_writes_a_given_time_in_utc(self):
        eastern = timezone(timedelta(hours=-5))
        event = an_event(time=datetime(2026, 3, 1, 7, 30, 0, 123456, tzinfo=eastern))
        self.assertEqual(event.time, "2026-03-01T12:30:00.123Z")

    def test_refuses_a_time_without_a_timezone(self):
        with self.assertRaisesRegex(InvalidEventError, "timezone"):
            an_event(time=datetime(2026, 3, 1))

    def test_leaves_labels_out_of_the_data_when_there_are_none(self):
        self.assertNotIn("labels", an_event(labels=None).data())
        self.assertNotIn("labels", an_event(labels={}).data())

    def test_writes_number_labels_as_strings(self):
        event = an_event(labels={"step": 1000, "epoch": 2.0, "learning-rate": 0.0003})
        self.assertEqual(dict(event.labels), {"step": "1000", "epoch": "2", "learning-rate": "0.0003"})

    def test_refuses_labels_that_are_not_strings_or_numbers(self):
        for labels in ({"converged": True}, {"layers": [1, 2]}, {"": "x"}, {3: "x"}):
            with self.subTest(labels=labels), self.assertRaises(InvalidEventError):
                an_event(labels=labels)

    def test_labels_cannot_be_changed_afterwards(self):
        event = an_event()
        with self.assertRaises(TypeError):
            event.labels["step"] = "2000"

    def test_refuses_an_unknown_type(self):
        with self.assertRaisesRegex(InvalidEventError, "unknown event type 'roam.checkpoint.deleted'"):
            an_event(event_type="roam.checkpoint.deleted")

    def test_refuses_missing_or_empty_fields(self):
        for field in ("project", "run", "version", "uri"):
            for value in (None, "", "  ", 42):
                with self.subTest(field=field, value=value), self.assertRaisesRegex(InvalidEventError, field):
                    an_event(**{field: value})

    def test_refuses_a_uri_without_a_scheme(self):
        for uri in ("/data/run-42/", "run-42/checkpoint-1000", "s3:/bucket/key"):
            with self.subTest(uri=uri), self.assertRaisesRegex(InvalidEventError, "storage URI"):
                an_event(uri=uri)

    def test_percent_encodes_names_in_the_source_so_that_it_stays_a_uri_reference(self):
        event = an_event(project="vision team", run="resnet/50")
        self.assertEqual(event.source, "/training/vision%20team/resnet%2F50")
        self.assertEqual(event.key, "vision team/resnet/50")
        self.assertEqual(event.data()["run"], "resnet/50")

    def test_builders_name_the_three_kinds(self):
        arguments = ("llm", "run-42", "v1", "gs://models/run-42/v1/")
        self.assertEqual(checkpoint_saved(*arguments).type, CHECKPOINT_SAVED)
        self.assertEqual(dataset_registered(*arguments).type, DATASET_REGISTERED)
        self.assertEqual(model_saved(*arguments).type, MODEL_SAVED)
        self.assertEqual({CHECKPOINT_SAVED, DATASET_REGISTERED, MODEL_SAVED},
                         {"roam.checkpoint.saved", "roam.dataset.registered", "roam.model.saved"})


class EventFormats(unittest.TestCase):

    def test_structured_form_is_the_whole_event_with_data_as_an_object(self):
        event = an_event(project="llm", labels={"note": "données"})
        self.assertEqual(json.loads(event.structured_json().decode("utf-8")), {
            "specversion": "1.0", "id": event.id, "source": "/training/llm/run-42", "type": "roam.checkpoint.saved",
            "time": event.time, "subject": "checkpoint-1000", "datacontenttype": "application/json",
            "data": {"project": "llm", "run": "run-42", "version": "checkpoint-1000",
                     "uri": "s3://ckpt/run-42/checkpoint-1000/", "labels": {"note": "données"}},
        })
        self.assertIn("données".encode("utf-8"), event.structured_json())

    def test_binary_kafka_record_carries_the_data_as_value_and_the_context_as_ce_headers(self):
        event = an_event()
        record = kafka_record(event, ContentMode.BINARY)

        self.assertEqual(record.key, b"llm/run-42")
        self.assertEqual(json.loads(record.value), event.data())
        self.assertEqual(record.headers, [
            ("ce_specversion", b"1.0"), ("ce_id", event.id.encode()), ("ce_source", b"/training/llm/run-42"),
            ("ce_type", b"roam.checkpoint.saved"), ("ce_time", event.time.encode()),
            ("ce_subject", b"checkpoint-1000"), ("content-type", b"application/json"),
        ])

    def test_structured_kafka_record_carries_the_whole_event_and_only_a_content_type_header(self):
        event = an_event()
        record = kafka_record(event, "structured")

        self.assertEqual(record.key, b"llm/run-42")
        self.assertEqual(json.loads(record.value), event.structured())
        self.assertEqual(record.headers, [("content-type", b"application/cloudevents+json")])

    def test_refuses_an_unknown_mode(self):
        with self.assertRaises(ValueError):
            kafka_record(an_event(), "batched")


if __name__ == "__main__":
    unittest.main()
