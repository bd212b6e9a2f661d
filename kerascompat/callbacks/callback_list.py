"""CallbackList: the callbacks one fit / evaluate / predict call drives."""

from .callback import _BATCH_HOOKS, Callback, History, _defines, pythonify_logs
from .progbar_logger import ProgbarLogger


class CallbackList(Callback):
    """The callbacks of one fit/evaluate/predict call (Keras's `keras.callbacks.CallbackList`).

    Batch hooks run only for callbacks that define them, and their logs (a dict, or a function
    making it) are built only if one of them wants them now: a step of `fit` with no such
    callback costs one attribute test.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        self.history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        if self.history is None and add_history:
            self.history = History()
            self.callbacks.append(self.history)
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        self.params = params
        for cb in self.callbacks:
            if params:
                cb.set_params(params)
            if model is not None:
                cb.set_model(model)
        self.model = model
        self._batch_callbacks = {hook: [cb for cb in self.callbacks if _defines(cb, hook)] for hook in _BATCH_HOOKS}

    def append(self, callback):
        self.callbacks.append(callback)
        for hook in _BATCH_HOOKS:
            if _defines(callback, hook):
                self._batch_callbacks[hook].append(callback)

    def set_model(self, model):
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params):
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

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
        if not hook.startswith("on_predict"):
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

    def _all(self, hook, *args):
        for cb in self.callbacks:
            getattr(cb, hook)(*args)

    def on_epoch_begin(self, epoch, logs=None):
        self._all("on_epoch_begin", epoch, pythonify_logs(logs))

    def on_epoch_end(self, epoch, logs=None):
        self._all("on_epoch_end", epoch, pythonify_logs(logs))

    def on_train_begin(self, logs=None):
        self._all("on_train_begin", pythonify_logs(logs))

    def on_train_end(self, logs=None):
        self._all("on_train_end", pythonify_logs(logs))

    def on_test_begin(self, logs=None):
        self._all("on_test_begin", pythonify_logs(logs))

    def on_test_end(self, logs=None):
        self._all("on_test_end", pythonify_logs(logs))

    def on_predict_begin(self, logs=None):
        self._all("on_predict_begin", pythonify_logs(logs))

    def on_predict_end(self, logs=None):
        self._all("on_predict_end", pythonify_logs(logs))
