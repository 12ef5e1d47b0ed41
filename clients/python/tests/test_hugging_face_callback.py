import os
import tempfile
import unittest
from unittest import mock

from roam_events import ConfigurationError
from roam_events.huggingface import RoamCheckpointCallback
from tests.recording_emitter import RecordingEmitter, unavailable
from tests.stand_ins import save_hugging_face_checkpoint, trainer_state, training_arguments


class HuggingFaceCallback(unittest.TestCase):

    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.addCleanup(self.work.cleanup)
        self.output_dir = os.path.join(self.work.name, "run-42")

    def save(self, callback, global_step=1000, epoch=2.0, is_world_process_zero=True):
        save_hugging_face_checkpoint(self.output_dir, global_step)
        control = object()
        returned = callback.on_save(training_arguments(self.output_dir),
                                    trainer_state(global_step, epoch, is_world_process_zero), control)
        self.assertIs(returned, control)

    def test_announces_the_checkpoint_directory_the_trainer_wrote(self):
        emitter = RecordingEmitter()
        self.save(RoamCheckpointCallback(project="llm", emitter=emitter), global_step=1000, epoch=2.0)

        event, = emitter.events
        self.assertEqual(event.type, "roam.checkpoint.saved")
        self.assertEqual(event.project, "llm")
        self.assertEqual(event.run, "run-42")
        self.assertEqual(event.version, "checkpoint-1000")
        self.assertEqual(event.uri, f"file://{self.output_dir}/checkpoint-1000/")
        self.assertEqual(dict(event.labels), {"step": "1000", "epoch": "2"})
        self.assertEqual(emitter.existed_when_emitted, [True])

    def test_only_the_world_process_zero_emits(self):
        emitter = RecordingEmitter()
        self.save(RoamCheckpointCallback(project="llm", emitter=emitter), is_world_process_zero=False)
        self.assertEqual(emitter.events, [])

    def test_announces_every_save(self):
        emitter = RecordingEmitter()
        callback = RoamCheckpointCallback(project="llm", emitter=emitter)
        self.save(callback, global_step=500, epoch=0.5333333)
        self.save(callback, global_step=1000, epoch=1.0666666)

        self.assertEqual([event.version for event in emitter.events], ["checkpoint-500", "checkpoint-1000"])
        self.assertEqual([event.labels["epoch"] for event in emitter.events], ["0.5333", "1.0667"])
        self.assertIs(callback.last_event, emitter.events[-1])

    def test_leaves_out_the_epoch_label_when_the_state_has_none(self):
        emitter = RecordingEmitter()
        self.save(RoamCheckpointCallback(project="llm", emitter=emitter), epoch=None)
        self.assertEqual(dict(emitter.events[0].labels), {"step": "1000"})

    def test_names_the_run_labels_and_project_as_configured(self):
        emitter = RecordingEmitter()
        with mock.patch.dict(os.environ, {"ROAM_PROJECT": "vision"}):
            callback = RoamCheckpointCallback(run="resnet-50", emitter=emitter, labels={"dataset": "imagenet"})
        self.save(callback)

        event, = emitter.events
        self.assertEqual((event.project, event.run), ("vision", "resnet-50"))
        self.assertEqual(dict(event.labels), {"step": "1000", "epoch": "2", "dataset": "imagenet"})

    def test_maps_the_output_directory_to_its_storage_uri(self):
        emitter = RecordingEmitter()
        self.save(RoamCheckpointCallback(project="llm", emitter=emitter, storage_uri="s3://ckpt/llm/run-42"))
        self.assertEqual(emitter.events[0].uri, "s3://ckpt/llm/run-42/checkpoint-1000/")

    def test_maps_mounted_paths_by_prefix(self):
        emitter = RecordingEmitter()
        callback = RoamCheckpointCallback(project="llm", emitter=emitter, storage_uri={self.work.name: "gs://ckpt/"})
        self.save(callback)
        self.assertEqual(emitter.events[0].uri, "gs://ckpt/run-42/checkpoint-1000/")

    def test_logs_an_event_it_could_not_deliver_and_lets_training_go_on(self):
        callback = RoamCheckpointCallback(project="llm", emitter=RecordingEmitter(failure=unavailable()))
        with self.assertLogs("roam_events", "ERROR") as logs:
            self.save(callback)
        self.assertIn("could not tell Roam that llm/run-42 checkpoint-1000 was saved", logs.output[0])
        self.assertIsNone(callback.last_event)

    def test_raises_an_event_it_could_not_deliver_when_told_to(self):
        failure = unavailable()
        callback = RoamCheckpointCallback(project="llm", emitter=RecordingEmitter(failure=failure), on_failure="raise")
        with self.assertRaises(type(failure)):
            self.save(callback)

    def test_leaves_an_emitter_it_was_given_open_when_training_ends(self):
        given = RecordingEmitter()
        RoamCheckpointCallback(project="llm", emitter=given).on_train_end(None, None, None)
        self.assertFalse(given.closed)


class HuggingFaceCallbackSettings(unittest.TestCase):

    def test_are_checked_when_the_callback_is_built(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesRegex(ConfigurationError, "ROAM_PROJECT"):
                RoamCheckpointCallback(emitter=RecordingEmitter())
            with self.assertRaisesRegex(ConfigurationError, "ROAM_KAFKA_BOOTSTRAP_SERVERS.*ROAM_GATEWAY_URL"):
                RoamCheckpointCallback(project="llm")
            with self.assertRaisesRegex(ConfigurationError, "on_failure"):
                RoamCheckpointCallback(project="llm", emitter=RecordingEmitter(), on_failure="ignore")
            with self.assertRaisesRegex(ConfigurationError, "storage URI"):
                RoamCheckpointCallback(project="llm", emitter=RecordingEmitter(), storage_uri="/mnt/ckpt")


if __name__ == "__main__":
    unittest.main()
