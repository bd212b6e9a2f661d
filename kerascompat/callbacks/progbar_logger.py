"""ProgbarLogger: the progress output of fit / evaluate / predict, as Keras prints it."""

import time

from .._progbar import Progbar
from .callback import Callback


class ProgbarLogger(Callback):
    """Prints `Epoch 1/10` (when there is more than one epoch) and a `keras.utils.Progbar` per
    epoch, evaluation or prediction: verbose=1 a bar, verbose=2 one line. Validation inside
    `fit` is silent; its values end the epoch's line as `val_*`.

    A batch's logs are only asked for when the bar redraws (on a terminal, at most every
    0.05 s): off a terminal, fit computes no per-step logs for the bar.
    """

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False
        self._silent = False  # inside fit's validation

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _start(self):
        self.seen = 0
        self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step", stateless_metrics=set())

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._start()
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}")

    def on_test_begin(self, logs=None):
        if self._called_in_fit:
            self._silent = True
        else:
            self._start()

    def on_predict_begin(self, logs=None):
        self._start()

    def _wants_batch_logs(self, batch):
        if self._silent:
            return False
        self.seen = batch + 1
        if self.verbose != 1:
            return False
        bar = self.progbar
        if bar._dynamic_display:
            return time.time() - bar._last_update >= bar.interval
        if batch == 0:  # the time per step leaves the first step out, as Keras's does
            bar.mark_first_step()
        return False

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._silent:
            self._update(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def _update(self, batch, logs):
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_end(self, logs=None):
        if self._silent:
            self._silent = False
        else:
            self._finalize(logs)

    def on_predict_end(self, logs=None):
        self._finalize(logs)

    def _finalize(self, logs):
        if self.target is None:
            self.target = self.progbar.target = self.seen
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)
