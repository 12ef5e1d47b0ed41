"""Minimal stand-ins for the objects Hugging Face transformers and PyTorch Lightning hand to callbacks, with the
attributes and methods roam_events uses; the frameworks themselves cannot be installed here."""

import os
from types import SimpleNamespace


def training_arguments(output_dir):
    """transformers.TrainingArguments: only output_dir is read."""
    return SimpleNamespace(output_dir=output_dir)


def trainer_state(global_step, epoch, is_world_process_zero=True):
    """transformers.TrainerState."""
    return SimpleNamespace(global_step=global_step, epoch=epoch, is_world_process_zero=is_world_process_zero)


def save_hugging_face_checkpoint(output_dir, global_step):
    """What Trainer._save_checkpoint writes before it calls on_save: {output_dir}/checkpoint-{global_step}/."""
    directory = os.path.join(output_dir, f"checkpoint-{global_step}")
    os.makedirs(directory)
    for name, content in (("model.safetensors", b"weights"), ("optimizer.pt", b"moments"),
                          ("trainer_state.json", b'{"global_step": %d}' % global_step)):
        with open(os.path.join(directory, name), "wb") as file:
            file.write(content)
    return directory


class LightningTrainer:
    """lightning.pytorch.Trainer: save_checkpoint writes a file, or a directory as sharded strategies do."""

    def __init__(self, global_step, current_epoch, is_global_zero=True, sharded=False):
        self.global_step = global_step
        self.current_epoch = current_epoch
        self.is_global_zero = is_global_zero
        self.sharded = sharded

    def save_checkpoint(self, filepath, weights_only=False):
        if self.sharded:
            os.makedirs(filepath, exist_ok=True)
            for rank in range(2):
                with open(os.path.join(filepath, f"shard-{rank}.distcp"), "wb") as file:
                    file.write(b"shard")
        else:
            with open(filepath, "wb") as file:
                file.write(b"checkpoint at step %d" % self.global_step)


class LightningModelCheckpoint:
    """lightning.pytorch.callbacks.ModelCheckpoint, as far as RoamCheckpointEvents relies on it: _save_checkpoint
    writes through the trainer, and the "last" checkpoint's path is in last_model_path before it is saved."""

    def __init__(self, dirpath, save_weights_only=False):
        self.dirpath = dirpath
        self.save_weights_only = save_weights_only
        self.last_model_path = ""
        self.torn_down_stages = []

    def _save_checkpoint(self, trainer, filepath):
        trainer.save_checkpoint(filepath, self.save_weights_only)

    def teardown(self, trainer, pl_module, stage):
        self.torn_down_stages.append(stage)

    def save_top_k_checkpoint(self, trainer):
        """As ModelCheckpoint._save_none_monitor_checkpoint names and saves a checkpoint."""
        filepath = os.path.join(self.dirpath, f"epoch={trainer.current_epoch}-step={trainer.global_step}.ckpt")
        self._save_checkpoint(trainer, filepath)
        return filepath

    def save_last_checkpoint(self, trainer):
        """As ModelCheckpoint._save_last_checkpoint does with save_last=True."""
        self.last_model_path = os.path.join(self.dirpath, "last.ckpt")
        self._save_checkpoint(trainer, self.last_model_path)
        return self.last_model_path
