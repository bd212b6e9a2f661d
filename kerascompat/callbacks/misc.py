"""LearningRateScheduler, CSVLogger, TerminateOnNaN, LambdaCallback, BackupAndRestore, and the
Keras callbacks kerascompat cannot provide (each raises a clear error when constructed)."""

import collections.abc
import csv
import json
import math
import os

import torch

from .callback import Callback
from .monitors import current_learning_rate, set_learning_rate, torch_optimizer_of


class LearningRateScheduler(Callback):
    """Sets the learning rate from `schedule(epoch, lr)` at each epoch start."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = torch_optimizer_of(self.model, "LearningRateScheduler")
        lr = current_learning_rate(optimizer)
        try:
            new = self.schedule(epoch, lr)
        except TypeError:  # Keras also accepts the old one-argument schedule(epoch)
            new = self.schedule(epoch)
        if isinstance(new, torch.Tensor) and new.numel() == 1:
            new = new.item()
        if not isinstance(new, (float, int)) or isinstance(new, bool):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {new}")
        set_learning_rate(optimizer, float(new))
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {new}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = current_learning_rate(torch_optimizer_of(self.model, "LearningRateScheduler"))


def _csv_value(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Writes one row per epoch: `epoch` then the logs in sorted order, with the `val_*`
    columns present from the first row (NA until validation runs), as Keras writes them."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, append
        self.separator = separator
        self.csv_file = self.writer = self.keys = None

    def on_train_begin(self, logs=None):
        self.append_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename) as f:
                self.append_header = not f.readline()
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="")
        self.writer = self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                self.keys += [f"val_{k}" for k in self.keys]
        if self.writer is None:
            dialect = type("Dialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        self.writer.writerow({"epoch": epoch, **{k: _csv_value(logs.get(k, "NA")) for k in self.keys}})
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None


class TerminateOnNaN(Callback):
    """Stops training (or raises, with `raise_error=True`) when a batch's loss is NaN or inf."""

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (math.isnan(loss) or math.isinf(loss)):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                                   "Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class LambdaCallback(Callback):
    """A callback made of functions: `on_epoch_end=lambda epoch, logs: ...` and any other hook."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        for name, fn in dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                             on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                             on_train_batch_end=on_train_batch_end).items():
            if fn is not None:
                setattr(self, name, fn)


class BackupAndRestore(Callback):
    """Backs up the weights, the optimizer's state and the epoch reached into `backup_dir` at
    the end of each epoch (or every `save_freq` batches); a `fit` interrupted and run again
    resumes from there. The backup is deleted when training ends normally
    (`delete_checkpoint=True`). Files: `latest.weights.h5` (written by `model.save_weights`),
    `optimizer.pt` (the torch optimizer's state_dict) and `training_metadata.json`."""

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(f"Empty `backup_dir` argument passed. Received: `backup_dir`={backup_dir!r}")
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool)):
            raise ValueError("Invalid value for argument `save_freq`: expected 'epoch' or an integer. "
                             f"Received: `save_freq`={save_freq!r}")
        self.backup_dir, self.save_freq = os.fspath(backup_dir), save_freq
        self.double_checkpoint, self.delete_checkpoint = double_checkpoint, delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._optimizer_path = os.path.join(self.backup_dir, "optimizer.pt")
        self._metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._current_epoch = 0
        self._batches_seen = 0

    def _paths(self):
        return (self._weights_path, self._optimizer_path, self._metadata_path)

    def on_train_begin(self, logs=None):
        if not os.path.exists(self._weights_path) and os.path.exists(self._weights_path + ".bkp"):
            for path in self._paths():  # the last save was interrupted: use the previous one
                if os.path.exists(path + ".bkp"):
                    os.replace(path + ".bkp", path)
        if os.path.exists(self._weights_path):
            self.model.load_weights(self._weights_path)
            if os.path.exists(self._optimizer_path):
                optimizer = torch_optimizer_of(self.model, "BackupAndRestore")
                optimizer.load_state_dict(torch.load(self._optimizer_path, weights_only=False))
        if os.path.exists(self._metadata_path):
            with open(self._metadata_path) as f:
                self.model._initial_epoch = json.load(f)["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        if self.save_freq == "epoch":
            self._save()

    def _wants_batch_logs(self, batch):
        return self.save_freq != "epoch"

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save()

    def _save(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            for path in self._paths():
                if os.path.exists(path):
                    os.replace(path, path + ".bkp")
        self.model.save_weights(self._weights_path)
        torch.save(torch_optimizer_of(self.model, "BackupAndRestore").state_dict(), self._optimizer_path)
        with open(self._metadata_path, "w") as f:
            json.dump({"epoch": self._current_epoch, "batch": self._batches_seen}, f)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            for path in self._paths():
                for candidate in (path, path + ".bkp"):
                    if os.path.exists(candidate):
                        os.remove(candidate)
            if not os.listdir(self.backup_dir):
                os.rmdir(self.backup_dir)


class RemoteMonitor(Callback):
    """Keras's RemoteMonitor posts each epoch's logs to an HTTP server; kerascompat does not
    make network requests from training."""

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data", headers=None,
                 send_as_json=False):
        raise NotImplementedError("RemoteMonitor is not supported by kerascompat (it would post the logs over the "
                                  "network); use a LambdaCallback with your own HTTP client. "
                                  f"Received: `root`={root!r}")


class SwapEMAWeights(Callback):
    """Keras's SwapEMAWeights needs an optimizer built with `use_ema=True`, which kerascompat's
    optimizers do not support yet."""

    def __init__(self, swap_on_epoch=False):
        raise NotImplementedError("SwapEMAWeights needs an optimizer with `use_ema=True`, which kerascompat does not "
                                  f"support yet. Received: `swap_on_epoch`={swap_on_epoch!r}")


class OrbaxCheckpoint(Callback):
    """Keras's OrbaxCheckpoint writes checkpoints with Orbax, a JAX-only library."""

    def __init__(self, directory=None, *args, **kwargs):
        raise NotImplementedError("OrbaxCheckpoint needs Orbax, a JAX-only checkpointing library; use "
                                  "ModelCheckpoint or BackupAndRestore. "
                                  f"Received: `directory`={directory!r}")


class TensorBoard(Callback):
    """Keras's TensorBoard callback; kerascompat will write its event files with
    torch.utils.tensorboard, which needs the `tensorboard` package."""

    def __init__(self, log_dir="logs", *args, **kwargs):
        raise NotImplementedError("TensorBoard is not supported by kerascompat yet; use "
                                  "torch.utils.tensorboard.SummaryWriter in a LambdaCallback. "
                                  f"Received: `log_dir`={log_dir!r}")
