"""Keras callbacks for `fit`, `evaluate` and `predict`: Callback, History, ProgbarLogger,
EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, CSVLogger,
TerminateOnNaN, LambdaCallback. With `verbose=1` they print what Keras prints."""

import csv
import math
import os
import sys
import time

import torch

from ._validation import unsupported


def pythonify_logs(logs):
    """Keras's logs for callbacks: nested dicts flattened, tensors turned into Python floats
    (the one place the host waits for the device)."""
    result = {}
    for key, value in (logs or {}).items():
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        try:
            result[key] = float(value)
        except (TypeError, ValueError):
            result[key] = value
    return result


class Callback:
    """Base class with Keras's hooks; `self.model` and `self.params` are set by fit/evaluate/predict."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_train_batch_begin(self, batch, logs=None): pass
    def on_train_batch_end(self, batch, logs=None): pass
    def on_test_begin(self, logs=None): pass
    def on_test_end(self, logs=None): pass
    def on_test_batch_begin(self, batch, logs=None): pass
    def on_test_batch_end(self, batch, logs=None): pass
    def on_predict_begin(self, logs=None): pass
    def on_predict_end(self, logs=None): pass
    def on_predict_batch_begin(self, batch, logs=None): pass
    def on_predict_batch_end(self, batch, logs=None): pass

    def _wants_batch_logs(self, batch):
        """Whether this batch's logs are needed now (the progress bar asks only when it draws)."""
        return True


_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
                "on_predict_batch_begin", "on_predict_batch_end")


class History(Callback):
    """`fit`'s return value: `history.history` maps Keras's keys ('loss', 'val_loss', ...) to lists."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self


def _format_logs(logs):
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items() if isinstance(v, (int, float)))


class ProgbarLogger(Callback):
    """verbose=1: a bar per epoch with running metrics, redrawn at most every 0.05 s;
    verbose=2: one line per epoch. evaluate/predict print their final bar line."""

    interval = 0.05

    def __init__(self, verbose=1, epochs=1, steps=None):
        super().__init__()
        self.verbose, self.epochs, self.steps = verbose, epochs, steps
        self._in_fit = False
        self._last_draw = 0.0

    def _wants_batch_logs(self, batch):
        if self.verbose != 1 or (self._in_fit and self._testing):
            return False
        return time.perf_counter() - self._last_draw >= self.interval

    _testing = False

    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        print(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._last_draw = time.perf_counter()
        total = self.steps or batch + 1
        done = int(20 * (batch + 1) / total)
        bar = "━" * done + " " * (20 - done)
        sys.stdout.write(f"\r{batch + 1}/{total} {bar} - {_format_logs(logs or {})}")
        sys.stdout.flush()

    def on_epoch_end(self, epoch, logs=None):
        elapsed = time.perf_counter() - self._start
        steps = self.steps or 1
        if self.verbose == 1:
            sys.stdout.write(f"\r{steps}/{steps} {'━' * 20} {elapsed:.0f}s {1000 * elapsed / steps:.0f}ms/step - "
                             f"{_format_logs(logs or {})}\n")
        elif self.verbose == 2:
            print(f"{steps}/{steps} - {elapsed:.0f}s - {1000 * elapsed / steps:.0f}ms/step - "
                  f"{_format_logs(logs or {})}")

    def on_test_begin(self, logs=None):
        self._testing = True

    def on_test_end(self, logs=None):
        self._testing = False
        if not self._in_fit:
            steps = self.steps or 0
            print(f"{steps}/{steps} {'━' * 20} - " + _format_logs(logs or {}))

    def on_predict_end(self, logs=None):
        steps = self.steps or 0
        print(f"{steps}/{steps} {'━' * 20}")


class CallbackList:
    """The callbacks of one fit/evaluate/predict call. Batch hooks run only for callbacks that
    define them, and their logs (a dict, or a function making it) are built only if one does."""

    def __init__(self, callbacks=None, model=None, add_history=False, add_progbar=False, verbose=0, epochs=1,
                 steps=None):
        self.callbacks = list(callbacks or [])
        self.history = None
        if add_history:
            self.history = History()
            self.callbacks.append(self.history)
        if add_progbar:
            self.callbacks.append(ProgbarLogger(verbose, epochs, steps))
        for cb in self.callbacks:
            cb.set_model(model)
            cb.set_params({"verbose": verbose, "epochs": epochs, "steps": steps})
        self._batch_callbacks = {hook: [cb for cb in self.callbacks
                                        if getattr(type(cb), hook, None) is not getattr(Callback, hook)
                                        or hook in getattr(cb, "__dict__", {})]
                                 for hook in _BATCH_HOOKS}

    def has_batch_hooks(self, mode):
        """Whether any callback defines a batch hook of `mode` ('train', 'test' or 'predict')."""
        return bool(self._batch_callbacks[f"on_{mode}_batch_begin"] or self._batch_callbacks[f"on_{mode}_batch_end"])

    def _batch(self, hook, batch, logs):
        wanting = self._batch_callbacks[hook]
        if not wanting:
            return
        wanting = [cb for cb in wanting if cb._wants_batch_logs(batch)]
        if not wanting:
            return
        if hook.endswith("_end") and not hook.startswith("on_predict"):
            logs = pythonify_logs(logs() if callable(logs) else logs)
        for cb in wanting:
            getattr(cb, hook)(batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._batch("on_predict_batch_end", batch, logs)

    def __getattr__(self, hook):
        if not hook.startswith("on_"):
            raise AttributeError(hook)

        def call(*args):
            for cb in self.callbacks:
                getattr(cb, hook)(*args)
        return call


class _MonitorCallback(Callback):
    """Shared by the callbacks watching one logged value: `monitor`, `mode`, `min_delta`."""

    def __init__(self, monitor, mode, min_delta=0.0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"Invalid `mode`: {mode!r}. Expected 'auto', 'min' or 'max'.")
        if mode == "auto":
            mode = "max" if ("acc" in monitor or monitor.startswith("auc")) else "min"
        self.monitor, self.mode = monitor, mode
        self.min_delta = abs(min_delta) * (1 if mode == "max" else -1)

    def _better(self, current, reference):
        return current > reference if self.mode == "max" else current < reference

    def _is_improvement(self, current, reference):
        return reference is None or self._better(current - self.min_delta, reference)


class EarlyStopping(_MonitorCallback):
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


class ModelCheckpoint(_MonitorCallback):
    """Saves the weights (kerascompat's file format) after each epoch, or only on improvement.
    Whole-model saving (Keras's default `save_weights_only=False`) is not implemented yet."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__(monitor, mode)
        if not save_weights_only:
            raise unsupported("ModelCheckpoint", "save_weights_only", save_weights_only, "save_weights_only=True")
        if save_freq != "epoch":
            raise unsupported("ModelCheckpoint", "save_freq", save_freq, "save_freq='epoch'")
        self.filepath, self.save_best_only, self.verbose = os.fspath(filepath), save_best_only, verbose
        self.best = initial_value_threshold

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                return
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
        self.model.save_weights(path)


def _torch_optimizer(model, owner):
    optimizer = getattr(model, "optimizer", None)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise ValueError(f"{owner} needs the model's torch optimizer; fit() builds it. Received: {optimizer!r}")
    return optimizer


class ReduceLROnPlateau(_MonitorCallback):
    """Multiplies the torch optimizer's learning rates by `factor` when `monitor` stalls."""

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0):
        super().__init__(monitor, mode)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor, self.patience, self.verbose, self.cooldown, self.min_lr = factor, patience, verbose, cooldown, min_lr
        self.min_delta = min_delta

    def on_train_begin(self, logs=None):
        self.wait, self.cooldown_counter, self.best = 0, 0, None

    def on_epoch_end(self, epoch, logs=None):
        optimizer = _torch_optimizer(self.model, "ReduceLROnPlateau")
        if logs is not None:
            logs["learning_rate"] = optimizer.param_groups[0]["lr"]
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
            if self.wait >= self.patience and optimizer.param_groups[0]["lr"] > self.min_lr:
                for group in optimizer.param_groups:
                    group["lr"] = max(group["lr"] * self.factor, self.min_lr)
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                          f"{optimizer.param_groups[0]['lr']}.")
                self.cooldown_counter, self.wait = self.cooldown, 0


class LearningRateScheduler(Callback):
    """Sets the torch optimizer's learning rate from `schedule(epoch, lr)` at each epoch start."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = _torch_optimizer(self.model, "LearningRateScheduler")
        lr = optimizer.param_groups[0]["lr"]
        try:
            new = self.schedule(epoch, lr)
        except TypeError:  # Keras also accepts the old one-argument schedule(epoch)
            new = self.schedule(epoch)
        if isinstance(new, torch.Tensor) and new.numel() == 1:
            new = new.item()
        if not isinstance(new, (float, int)) or isinstance(new, bool):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {new}")
        for group in optimizer.param_groups:
            group["lr"] = float(new)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {new}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = _torch_optimizer(self.model, "LearningRateScheduler").param_groups[0]["lr"]


class CSVLogger(Callback):
    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.separator, self.append = os.fspath(filename), separator, append

    def on_train_begin(self, logs=None):
        self._file = open(self.filename, "a" if self.append else "w", newline="")
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self._writer is None:
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch"] + list(logs), delimiter=self.separator)
            if not self.append:
                self._writer.writeheader()
        self._writer.writerow({"epoch": epoch, **logs})
        self._file.flush()

    def on_train_end(self, logs=None):
        self._file.close()


class TerminateOnNaN(Callback):
    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (math.isnan(loss) or math.isinf(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class LambdaCallback(Callback):
    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        super().__init__()
        for name, fn in dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                             on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                             on_train_batch_end=on_train_batch_end, **kwargs).items():
            if fn is not None:
                setattr(self, name, fn)
