"""The callback base class and History."""

import torch

# Keras 2's names of the training batch hooks; Keras 3's Callback still calls them.
_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
                "on_predict_batch_begin", "on_predict_batch_end")
_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


def pythonify_logs(logs):
    """Keras's logs for callbacks: keys sorted (Keras's order everywhere logs are shown or
    stored), nested dicts flattened in, one-element tensors turned into Python floats (the one
    place the host waits for the device)."""
    result = {}
    for key, value in sorted((logs or {}).items()):
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
    """Base class with Keras's hooks; `self.model` and `self.params` ({'verbose', 'epochs',
    'steps'}) are set by fit/evaluate/predict."""

    def __init__(self):
        self.model = None
        self.params = {}
        self.validation_data = None

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_batch_begin(self, batch, logs=None): pass
    def on_batch_end(self, batch, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None): pass
    def on_test_batch_end(self, batch, logs=None): pass
    def on_predict_batch_begin(self, batch, logs=None): pass
    def on_predict_batch_end(self, batch, logs=None): pass
    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_test_begin(self, logs=None): pass
    def on_test_end(self, logs=None): pass
    def on_predict_begin(self, logs=None): pass
    def on_predict_end(self, logs=None): pass

    def _wants_batch_logs(self, batch):
        """Whether this batch's logs are needed now (the progress bar asks only when it draws)."""
        return True


def _defines(callback, hook):
    """Whether `callback` does something in `hook` (or in its Keras 2 alias)."""
    for name in (hook, _ALIASES.get(hook)):
        if name is None:
            continue
        if name in getattr(callback, "__dict__", {}):
            return True
        if getattr(type(callback), name, None) is not getattr(Callback, name):
            return True
    return False


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
