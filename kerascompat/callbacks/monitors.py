"""Callbacks that watch one logged value: EarlyStopping, ModelCheckpoint, ReduceLROnPlateau."""

import os

import torch

from .._validation import unsupported
from .callback import Callback


class MonitorCallback(Callback):
    """Shared by the callbacks watching one logged value: `monitor`, `mode`, `min_delta`."""

    def __init__(self, monitor, mode, min_delta=0.0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"`mode` must be one of 'auto', 'min', 'max'. Received: `mode`={mode!r}")
        if mode == "auto":
            mode = "max" if ("acc" in monitor or monitor.startswith("auc")) else "min"
        self.monitor, self.mode = monitor, mode
        self.min_delta = abs(min_delta) * (1 if mode == "max" else -1)

    def _better(self, current, reference):
        return current > reference if self.mode == "max" else current < reference

    def _is_improvement(self, current, reference):
        return reference is None or self._better(current - self.min_delta, reference)


class EarlyStopping(MonitorCallback):
    """Stops training when `monitor` has not improved for `patience` epochs."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta)
        self.patience, self.verbose, self.baseline = patience, verbose, baseline
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch
        self.stopped_epoch = 0

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best, self.best_weights, self.best_epoch = 0, 0, None, None, 0

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(MonitorCallback):
    """Saves the model (`model.save`) or its weights (`save_weights_only=True`) after each epoch
    (`save_freq='epoch'`) or every `save_freq` batches, or only on improvement of `monitor`."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__(monitor, mode)
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(f"Unrecognized `save_freq`: expected 'epoch' or a positive integer. "
                             f"Received: `save_freq`={save_freq!r}")
        self.filepath, self.save_best_only, self.verbose = os.fspath(filepath), save_best_only, verbose
        self.save_weights_only, self.save_freq = save_weights_only, save_freq
        self.best = initial_value_threshold
        self._batches_since_save = 0
        self._epoch = 0

    def set_model(self, model):
        if not self.save_weights_only and model is not None and not hasattr(model, "save"):
            # whole-model files come with `Model.save`; until a model has it, only weights
            raise unsupported("ModelCheckpoint", "save_weights_only", self.save_weights_only,
                              "save_weights_only=True until the model has `save`")
        super().set_model(model)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def _wants_batch_logs(self, batch):
        # counts the batches; their logs are built only for the batches that save
        if self.save_freq == "epoch":
            return False
        self._batches_since_save += 1
        return self._batches_since_save >= self.save_freq

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch" and self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _save(self, epoch, batch, logs):
        logs = logs or {}
        fields = dict(logs) if batch is None or "batch" in logs else {**logs, "batch": batch + 1}
        path = self.filepath.format(epoch=epoch + 1, **fields)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is not None:
                best = "None" if self.best is None else f"{self.best:.5f}"
                if not self._is_improvement(current, self.best):
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
                    return
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, "
                          f"saving model to {path}")
                self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)


def torch_optimizer_of(model, owner):
    optimizer = getattr(model, "optimizer", None)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise ValueError(f"{owner} needs the model's torch optimizer; fit() builds it. Received: {optimizer!r}")
    return optimizer


def current_learning_rate(optimizer):
    """The learning rate of the first parameter group (the one Keras logs)."""
    return float(optimizer.param_groups[0]["lr"])


_SCHEDULED = ("This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor "
              "argument, hence its learning rate is not settable. If you need the learning rate to be settable, "
              "you should instantiate the optimizer with a float `learning_rate` argument.")


def set_learning_rate(optimizer, value):
    """Set every parameter group's learning rate; as in Keras, a TypeError when the optimizer
    follows a `LearningRateSchedule`."""
    if getattr(optimizer, "_keras_schedule", None) is not None:
        raise TypeError(_SCHEDULED)
    for group in optimizer.param_groups:
        group["lr"] = value


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` when `monitor` has stalled for `patience` epochs."""

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0, **kwargs):
        super().__init__(monitor, mode)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received: `factor`={factor}")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected keyword arguments. Received: {sorted(kwargs)}")
        self.factor, self.patience, self.verbose, self.cooldown, self.min_lr = factor, patience, verbose, cooldown, min_lr
        self.min_delta = min_delta

    def on_train_begin(self, logs=None):
        self.wait, self.cooldown_counter, self.best = 0, 0, None

    def on_epoch_end(self, epoch, logs=None):
        optimizer = torch_optimizer_of(self.model, "ReduceLROnPlateau")
        if logs is not None:
            logs["learning_rate"] = current_learning_rate(optimizer)
        current = (logs or {}).get(self.monitor)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        delta = -self.min_delta if self.mode == "min" else self.min_delta
        if self.best is None or self._better(current, self.best + delta):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            old = current_learning_rate(optimizer)
            if self.wait >= self.patience and old > self.min_lr:
                set_learning_rate(optimizer, max(old * self.factor, self.min_lr))
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                          f"{optimizer.param_groups[0]['lr']}.")
                self.cooldown_counter, self.wait = self.cooldown, 0
