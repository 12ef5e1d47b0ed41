"""A PyTorch Lightning ``ModelCheckpoint`` that tells Roam about every checkpoint file once it is written.

Why a ``ModelCheckpoint`` subclass: ``Callback.on_save_checkpoint`` runs *before* the file is written (it lets
callbacks add to the checkpoint dict), so an event sent there could reach Roam before the bytes do.
``ModelCheckpoint._save_checkpoint(trainer, filepath)`` is where every top-k, periodic and "last" checkpoint is
written: it calls ``trainer.save_checkpoint``, which returns after the strategy wrote the file (or, for sharded
strategies, the directory) and all ranks passed a barrier. Emitting right after it returns (on global rank zero
only, as Lightning itself notifies loggers there) announces a complete checkpoint. ``Logger.after_save_checkpoint``
is called at the same point but belongs to loggers, which users pick for other reasons.

``lightning`` (or the older ``pytorch_lightning``) is optional: without it ``RoamModelCheckpoint`` is a plain
class, and ``RoamCheckpointEvents`` can be combined with any class offering ``_save_checkpoint(trainer, filepath)``.
"""

import os
import posixpath

from ._callbacks import CheckpointEventPublisher, epoch_text
from .emitters import ContentMode
from .events import CHECKPOINT_SAVED

try:
    from lightning.pytorch.callbacks import ModelCheckpoint as _ModelCheckpoint
except ImportError:
    try:
        from pytorch_lightning.callbacks import ModelCheckpoint as _ModelCheckpoint
    except ImportError:
        _ModelCheckpoint = object

class RoamCheckpointEvents:
    """Mixin for ``ModelCheckpoint``: after each checkpoint is written, emits ``roam.checkpoint.saved``.

    The event's ``version`` is ``checkpoint-{trainer.global_step}``, its ``uri`` the file written (a directory
    URI ending with ``/`` when a sharded strategy wrote a directory), its labels ``step``, ``epoch`` and ``file``
    (the checkpoint's name) plus ``labels``. The ``last`` checkpoint (``save_last=True``) is not announced: it is
    overwritten at every save, so Roam could copy a later state than the event names; announce periodic or top-k
    checkpoints (``save_top_k=-1`` with ``every_n_train_steps``, for example) instead.

    Keyword arguments, all others go to ``ModelCheckpoint``:

    :param project: the Roam project; default ``$ROAM_PROJECT``
    :param run: the artifact name; default the last segment of the checkpoint directory that is not
        ``checkpoints`` (``run-42`` for ``/mnt/ckpt/run-42/`` and for ``/mnt/ckpt/run-42/checkpoints/``)
    :param emitter: an ``Emitter``; default from the environment, closed at teardown
    :param storage_uri: where Roam copies from when ``dirpath`` is a mount: the URI of the checkpoint directory
        itself, or a mapping of path prefixes to URIs; default ``file://`` URIs of local paths (remote
        ``dirpath`` URIs such as ``s3://…`` are kept)
    :param labels: labels added to every event
    :param on_failure: ``"log"`` (default: log and train on) or ``"raise"``
    :param mode: ``ContentMode.BINARY`` (default) or ``ContentMode.STRUCTURED``, for the emitter from the
        environment

    ``last_event`` is the last event delivered by this process, or None.
    """

    def __init__(self, *args, project=None, run=None, emitter=None, storage_uri=None, labels=None,
                 on_failure="log", mode=ContentMode.BINARY, **kwargs):
        super().__init__(*args, **kwargs)
        self._roam_publisher = CheckpointEventPublisher(project, run, emitter, storage_uri, CHECKPOINT_SAVED,
                                                        labels, on_failure, mode)
        self.last_event = None

    def _save_checkpoint(self, trainer, filepath):
        super()._save_checkpoint(trainer, filepath)
        filepath = os.fspath(filepath)
        # ModelCheckpoint sets last_model_path before saving the "last" checkpoint, which it overwrites in place.
        if not trainer.is_global_zero or filepath == getattr(self, "last_model_path", None):
            return
        name = posixpath.basename(filepath.rstrip("/"))
        directory = posixpath.dirname(filepath.rstrip("/"))
        locations = self._roam_publisher.locations(directory)
        uri = locations.directory_uri(filepath) if os.path.isdir(filepath) else locations.file_uri(filepath)
        labels = {"step": str(trainer.global_step), "epoch": epoch_text(trainer.current_epoch), "file": name}
        self.last_event = self._roam_publisher.publish(_run_name(directory), f"checkpoint-{trainer.global_step}",
                                                       uri, labels)

    def teardown(self, trainer, pl_module, stage):
        parent = super()
        if hasattr(parent, "teardown"):
            parent.teardown(trainer, pl_module, stage)
        self._roam_publisher.close()


class RoamModelCheckpoint(RoamCheckpointEvents, _ModelCheckpoint):
    """Lightning's ``ModelCheckpoint`` that emits ``roam.checkpoint.saved``; see ``RoamCheckpointEvents``."""


def _run_name(checkpoint_directory):
    segments = [segment for segment in checkpoint_directory.split("/") if segment and segment != "checkpoints"]
    return segments[-1] if segments else "checkpoints"
