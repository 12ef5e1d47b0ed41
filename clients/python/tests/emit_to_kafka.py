"""Drives both framework callbacks against a real Kafka broker, for the Java test TrainingEventsFromPythonTest.

    ROAM_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 ROAM_PROJECT=llm python3 -m tests.emit_to_kafka WORK_DIRECTORY

- Hugging Face: a callback configured from the environment alone (Kafka, binary mode) sees a rank-1 save, which
  it must not announce, then rank 0 saving {WORK_DIRECTORY}/huggingface/run-42/checkpoint-1000/ at epoch 2.
- Lightning: RoamCheckpointEvents on a ModelCheckpoint stand-in, structured mode, with the mount
  {WORK_DIRECTORY}/lightning mapped to s3://ckpt/, saves epoch=1-step=500.ckpt and then last.ckpt, which it must
  not announce.

Prints one JSON object naming the id and time of each event it delivered; any failure exits non-zero.
"""

import json
import os
import sys

from roam_events import ContentMode, emitter_from_environment
from roam_events.huggingface import RoamCheckpointCallback
from roam_events.lightning import RoamCheckpointEvents
from tests.stand_ins import (
    LightningModelCheckpoint,
    LightningTrainer,
    save_hugging_face_checkpoint,
    trainer_state,
    training_arguments,
)


class ModelCheckpoint(RoamCheckpointEvents, LightningModelCheckpoint):
    pass


def hugging_face(work_directory):
    output_dir = os.path.join(work_directory, "huggingface", "run-42")
    callback = RoamCheckpointCallback(on_failure="raise")
    arguments = training_arguments(output_dir)
    save_hugging_face_checkpoint(output_dir, 1000)
    callback.on_save(arguments, trainer_state(1000, 2.0, is_world_process_zero=False), control=None)
    callback.on_save(arguments, trainer_state(1000, 2.0), control=None)
    callback.on_train_end(arguments, None, None)
    return callback.last_event


def lightning(work_directory):
    mount = os.path.join(work_directory, "lightning")
    dirpath = os.path.join(mount, "run-7", "checkpoints")
    os.makedirs(dirpath)
    with emitter_from_environment(mode=ContentMode.STRUCTURED) as emitter:
        checkpoint = ModelCheckpoint(dirpath=dirpath, storage_uri={mount: "s3://ckpt/"}, on_failure="raise",
                                     emitter=emitter)
        trainer = LightningTrainer(global_step=500, current_epoch=1)
        checkpoint.save_top_k_checkpoint(trainer)
        checkpoint.save_last_checkpoint(trainer)
        checkpoint.teardown(trainer, None, "fit")
    return checkpoint.last_event


def main(work_directory):
    delivered = {"huggingface": hugging_face(work_directory), "lightning": lightning(work_directory)}
    print(json.dumps({name: {"id": event.id, "time": event.time} for name, event in delivered.items()}))


if __name__ == "__main__":
    main(sys.argv[1])
