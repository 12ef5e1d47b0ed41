"""A Hugging Face ``TrainerCallback`` that tells Roam about every checkpoint the ``Trainer`` saves.

``transformers`` is optional: without it the callback is a plain class with the same ``on_save`` hook.
"""

import os
import posixpath

from ._callbacks import CheckpointEventPublisher, epoch_text
from .emitters import ContentMode
from .events import CHECKPOINT_SAVED

try:
    from transformers import TrainerCallback as _TrainerCallback
except ImportError:
    _TrainerCallback = object

# transformers.trainer_utils.PREFIX_CHECKPOINT_DIR: the Trainer saves under {output_dir}/checkpoint-{global_step}.
CHECKPOINT_PREFIX = "checkpoint"


class RoamCheckpointCallback(_TrainerCallback):
    """Emits ``roam.checkpoint.saved`` for ``{args.output_dir}/checkpoint-{state.global_step}/`` after each save.

    The ``Trainer`` calls ``on_save`` once the checkpoint directory is written, on every process; only the
    world's process zero emits. The event's ``version`` is the directory name (``checkpoint-1000``), its labels
    ``step`` and ``epoch`` plus ``labels``.

    :param project: the Roam project; default ``$ROAM_PROJECT``
    :param run: the artifact name; default the last segment of ``args.output_dir``
    :param emitter: an ``Emitter``; default from the environment (``ROAM_KAFKA_BOOTSTRAP_SERVERS`` or
        ``ROAM_GATEWAY_URL``), closed when training ends
    :param storage_uri: where Roam copies from when ``output_dir`` is a mount: the URI of ``output_dir`` itself
        (``"s3://ckpt/run-42/"``) or a mapping of path prefixes to URIs (``{"/mnt/ckpt": "s3://ckpt/"}``);
        default ``file://`` URIs of the local path
    :param labels: labels added to every event
    :param on_failure: ``"log"`` (default: log and train on) or ``"raise"``
    :param mode: ``ContentMode.BINARY`` (default) or ``ContentMode.STRUCTURED``, for the emitter from the
        environment

    ``last_event`` is the last event delivered by this process, or None.
    """

    def __init__(self, project=None, run=None, emitter=None, storage_uri=None, labels=None, on_failure="log",
                 mode=ContentMode.BINARY):
        super().__init__()
        self._publisher = CheckpointEventPublisher(project, run, emitter, storage_uri, CHECKPOINT_SAVED, labels,
                                                   on_failure, mode)
        self.last_event = None

    def on_save(self, args, state, control, **kwargs):
        if not state.is_world_process_zero:
            return control
        output_directory = os.fspath(args.output_dir)
        checkpoint_directory = os.path.join(output_directory, f"{CHECKPOINT_PREFIX}-{state.global_step}")
        labels = {"step": str(state.global_step)}
        if state.epoch is not None:
            labels["epoch"] = epoch_text(state.epoch)
        uri = self._publisher.locations(output_directory).directory_uri(checkpoint_directory)
        self.last_event = self._publisher.publish(_last_segment(output_directory), posixpath.basename(
            checkpoint_directory), uri, labels)
        return control

    def on_train_end(self, args, state, control, **kwargs):
        self._publisher.close()
        return control


def _last_segment(path):
    return posixpath.basename(posixpath.normpath(os.path.abspath(path)))
