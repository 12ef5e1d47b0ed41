import os
import tempfile
import unittest

from roam_events.lightning import RoamCheckpointEvents, RoamModelCheckpoint
from tests.recording_emitter import RecordingEmitter, unavailable
from tests.stand_ins import LightningModelCheckpoint, LightningTrainer


class ModelCheckpoint(RoamCheckpointEvents, LightningModelCheckpoint):
    """RoamModelCheckpoint's composition, on the stand-in ModelCheckpoint."""


class LightningCallback(unittest.TestCase):

    def setUp(self):
        work = tempfile.TemporaryDirectory()
        self.addCleanup(work.cleanup)
        self.work = work.name
        self.dirpath = os.path.join(self.work, "run-7", "checkpoints")
        os.makedirs(self.dirpath)

    def test_announces_the_checkpoint_file_once_it_is_written(self):
        emitter = RecordingEmitter()
        checkpoint = ModelCheckpoint(dirpath=self.dirpath, project="vision", emitter=emitter)
        filepath = checkpoint.save_top_k_checkpoint(LightningTrainer(global_step=500, current_epoch=1))

        event, = emitter.events
        self.assertEqual(event.type, "roam.checkpoint.saved")
        self.assertEqual(event.project, "vision")
        self.assertEqual(event.run, "run-7")
        self.assertEqual(event.version, "checkpoint-500")
        self.assertEqual(event.uri, "file://" + filepath)
        self.assertEqual(dict(event.labels), {"step": "500", "epoch": "1", "file": "epoch=1-step=500.ckpt"})
        self.assertEqual(emitter.existed_when_emitted, [True])
        self.assertIs(checkpoint.last_event, event)

    def test_passes_model_checkpoint_arguments_through(self):
        checkpoint = ModelCheckpoint(self.dirpath, save_weights_only=True, project="vision",
                                     emitter=RecordingEmitter())
        self.assertEqual((checkpoint.dirpath, checkpoint.save_weights_only), (self.dirpath, True))

    def test_announces_a_directory_written_by_a_sharded_strategy_as_a_directory(self):
        emitter = RecordingEmitter()
        checkpoint = ModelCheckpoint(dirpath=self.dirpath, project="vision", emitter=emitter)
        filepath = checkpoint.save_top_k_checkpoint(LightningTrainer(500, 1, sharded=True))
        self.assertEqual(emitter.events[0].uri, "file://" + filepath + "/")

    def test_does_not_announce_the_last_checkpoint_which_is_overwritten_in_place(self):
        emitter = RecordingEmitter()
        checkpoint = ModelCheckpoint(dirpath=self.dirpath, project="vision", emitter=emitter)
        trainer = LightningTrainer(global_step=500, current_epoch=1)
        checkpoint.save_top_k_checkpoint(trainer)
        checkpoint.save_last_checkpoint(trainer)

        self.assertTrue(os.path.exists(os.path.join(self.dirpath, "last.ckpt")))
        self.assertEqual([event.labels["file"] for event in emitter.events], ["epoch=1-step=500.ckpt"])

    def test_only_global_rank_zero_emits(self):
        emitter = RecordingEmitter()
        checkpoint = ModelCheckpoint(dirpath=self.dirpath, project="vision", emitter=emitter)
        checkpoint.save_top_k_checkpoint(LightningTrainer(500, 1, is_global_zero=False))
        self.assertEqual(emitter.events, [])

    def test_maps_the_checkpoint_directory_to_its_storage_uri(self):
        emitter = RecordingEmitter()
        checkpoint = ModelCheckpoint(dirpath=self.dirpath, project="vision", run="resnet-50", emitter=emitter,
                                     storage_uri="abfs://ckpt-east/resnet-50/")
        checkpoint.save_top_k_checkpoint(LightningTrainer(500, 1))
        self.assertEqual(emitter.events[0].uri, "abfs://ckpt-east/resnet-50/epoch=1-step=500.ckpt")
        self.assertEqual(emitter.events[0].run, "resnet-50")

    def test_keeps_a_remote_checkpoint_path(self):
        emitter = RecordingEmitter()
        checkpoint = ModelCheckpoint(dirpath="s3://ckpt/run-9", project="vision", emitter=emitter)
        checkpoint._save_checkpoint(NoWriteTrainer(100, 0), "s3://ckpt/run-9/epoch=0-step=100.ckpt")
        self.assertEqual((emitter.events[0].uri, emitter.events[0].run),
                         ("s3://ckpt/run-9/epoch=0-step=100.ckpt", "run-9"))

    def test_logs_an_event_it_could_not_deliver_and_lets_training_go_on(self):
        checkpoint = ModelCheckpoint(dirpath=self.dirpath, project="vision",
                                     emitter=RecordingEmitter(failure=unavailable()))
        with self.assertLogs("roam_events", "ERROR"):
            checkpoint.save_top_k_checkpoint(LightningTrainer(500, 1))
        self.assertIsNone(checkpoint.last_event)

    def test_teardown_reaches_model_checkpoint_and_leaves_a_given_emitter_open(self):
        emitter = RecordingEmitter()
        checkpoint = ModelCheckpoint(dirpath=self.dirpath, project="vision", emitter=emitter)
        checkpoint.teardown(LightningTrainer(500, 1), None, "fit")
        self.assertEqual(checkpoint.torn_down_stages, ["fit"])
        self.assertFalse(emitter.closed)

    def test_the_lightning_class_combines_the_mixin_with_model_checkpoint(self):
        self.assertTrue(issubclass(RoamModelCheckpoint, RoamCheckpointEvents))


class NoWriteTrainer(LightningTrainer):
    """A trainer whose checkpoints go to object storage through fsspec: nothing appears on the local disk."""

    def save_checkpoint(self, filepath, weights_only=False):
        pass


if __name__ == "__main__":
    unittest.main()
