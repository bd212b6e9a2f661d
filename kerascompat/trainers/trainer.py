"""Keras's training API on a torch model: compile / fit / evaluate / predict.

The optimizer is a torch optimizer (an instance, a callable building one from the parameters,
or a Keras name / `kerascompat.optimizers` object mapped onto torch's). Each step is a plain
torch step: forward, loss (+ `model.losses`), backward, `optimizer.step()`, Keras constraints.
"""

import torch

from .. import _tree
from .. import callbacks as callbacks_module
from .. import optimizers as optimizers_module
from . import data_adapters
from .compile_utils import CompileLoss, CompileMetrics, output_names_of


class Trainer:
    """compile / fit / evaluate / predict, mixed into Model."""

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        if weighted_metrics:
            raise NotImplementedError("compile: `weighted_metrics` is not supported.")
        if steps_per_execution != 1:
            raise NotImplementedError("compile: `steps_per_execution` other than 1 is not supported.")
        if isinstance(optimizer, torch.optim.Optimizer):
            self._optimizer_spec = optimizer
        elif isinstance(optimizer, (str, optimizers_module.Optimizer)):
            self._optimizer_spec = optimizers_module.get(optimizer)
        elif callable(optimizer):
            self._optimizer_spec = optimizer
        else:
            raise ValueError(f"Could not interpret optimizer: {optimizer!r}")
        self.optimizer = self._optimizer_spec if isinstance(self._optimizer_spec, torch.optim.Optimizer) else None
        output_names = output_names_of(self)
        self._output_names = output_names
        self._compile_loss = CompileLoss(loss, loss_weights, output_names)
        self._compile_metrics = CompileMetrics(metrics, output_names)
        self.compiled = True
        self.stop_training = False

    # ---------------------------------------------------------------- internals
    def _device(self):
        for p in self.parameters():
            return p.device
        return torch.device("cpu")

    def _ensure_optimizer(self):
        if self.optimizer is None:
            spec = self._optimizer_spec
            params = [p for p in self.parameters() if p.requires_grad]
            if not params:
                raise ValueError("The model has no trainable parameters yet: build it (give it an input shape) "
                                 "before fit().")
            self.optimizer = spec.build(params) if isinstance(spec, optimizers_module.Optimizer) else spec(params)
        return self.optimizer

    def _compute_loss(self, y, y_pred, sample_weight):
        total = self._compile_loss(y, y_pred, sample_weight)
        if total is None:
            raise ValueError("No loss to compute: pass `loss=` to compile().")
        extra = self.losses
        if extra:
            total = total + sum(extra)
        return total

    def _reset_metrics(self):
        self._compile_metrics.reset_state()

    def _metric_logs(self):
        return {name: float(value) for name, value in self._compile_metrics.result().items()}

    def _check_compiled(self):
        if not getattr(self, "compiled", False):
            raise RuntimeError("You must call `compile()` before using the model for training/evaluation.")

    def _batches(self, x, y, sample_weight, batch_size, shuffle, steps=None):
        return data_adapters.batches(x, y, sample_weight, batch_size, shuffle, steps, self._device())

    def _move(self, *parts):
        device = self._device()
        return tuple(data_adapters.to_device(part, device) for part in parts)

    def _train_step(self, x, y, sample_weight, optimizer):
        """One plain torch step: forward, loss (+ model.losses), backward, step, Keras constraints."""
        y_pred = self(x)
        loss = self._compute_loss(y, y_pred, sample_weight)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        self.apply_constraints()
        return loss.detach(), y_pred

    # ----------------------------------------------------------------- public API
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        self._check_compiled()
        x, y, sample_weight = self._move(x, y, sample_weight)
        sample_weight = data_adapters.class_weights_to_sample_weights(y, sample_weight, class_weight)
        optimizer = self._ensure_optimizer()
        self.train()
        loss, y_pred = self._train_step(x, y, sample_weight, optimizer)
        self._reset_metrics()
        self._compile_metrics.update_state(y, y_pred, sample_weight)
        logs = {"loss": float(loss.detach()), **self._metric_logs()}
        return logs if return_dict else (logs["loss"] if len(logs) == 1 else list(logs.values()))

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._check_compiled()
        x, y, sample_weight = self._move(x, y, sample_weight)
        self.eval()
        with torch.no_grad():
            y_pred = self(x)
            loss = self._compute_loss(y, y_pred, sample_weight)
        self._reset_metrics()
        self._compile_metrics.update_state(y, y_pred, sample_weight)
        logs = {"loss": float(loss), **self._metric_logs()}
        return logs if return_dict else (logs["loss"] if len(logs) == 1 else list(logs.values()))

    def predict_on_batch(self, x):
        (x,) = self._move(x)
        self.eval()
        with torch.no_grad():
            out = self(x)
        return _tree.map_structure(lambda t: t.cpu().numpy(), out)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        self._check_compiled()
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_validation(
                x, y, sample_weight, validation_split)
        batches = self._batches(x, y, sample_weight, batch_size, shuffle, steps_per_epoch)
        verbose = 1 if verbose == "auto" else verbose
        history = callbacks_module.History()
        cbs = callbacks_module.CallbackList(list(callbacks or []) + [history], model=self, verbose=verbose,
                                            epochs=epochs, steps=batches.num_steps())
        optimizer = self._ensure_optimizer()
        self.stop_training = False
        cbs.on_train_begin()
        logs = {}
        for epoch in range(initial_epoch, epochs):
            cbs.on_epoch_begin(epoch)
            self._reset_metrics()
            loss_sum, seen = 0.0, 0
            self.train()
            for step, (bx, by, bw) in enumerate(batches):
                bw = data_adapters.class_weights_to_sample_weights(by, bw, class_weight)
                cbs.on_train_batch_begin(step)
                loss, y_pred = self._train_step(bx, by, bw, optimizer)
                n = data_adapters.num_samples(bx)
                loss_sum += float(loss) * n
                seen += n
                self._compile_metrics.update_state(by, y_pred, bw)
                logs = {"loss": loss_sum / seen, **self._metric_logs()}
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                vx, vy, vw = data_adapters.unpack_validation(validation_data)
                val = self.evaluate(vx, vy, sample_weight=vw, batch_size=validation_batch_size or batch_size,
                                    steps=validation_steps, verbose=0, return_dict=True)
                logs.update({f"val_{k}": v for k, v in val.items()})
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        cbs.on_train_end(logs)
        self.history = history
        return history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        self._check_compiled()
        batches = self._batches(x, y, sample_weight, batch_size, False, steps)
        self.eval()
        loss_sum, seen = 0.0, 0
        self._reset_metrics()
        with torch.no_grad():
            for bx, by, bw in batches:
                y_pred = self(bx)
                loss = self._compute_loss(by, y_pred, bw)
                n = data_adapters.num_samples(bx)
                loss_sum += float(loss) * n
                seen += n
                self._compile_metrics.update_state(by, y_pred, bw)
        logs = {"loss": loss_sum / max(seen, 1), **self._metric_logs()}
        if verbose:  # Keras's evaluate prints its final bar line for verbose 1 ('auto') and 2
            steps = batches.num_steps() or 0
            print(f"{steps}/{steps} {'━' * 20} - " + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        batches = self._batches(x, None, None, batch_size, False, steps)
        self.eval()
        if verbose:
            n = batches.num_steps() or 0
            print(f"{n}/{n} {'━' * 20}")
        outputs = []
        with torch.no_grad():
            for bx, _, _ in batches:
                outputs.append(_tree.map_structure(lambda t: t.cpu().numpy(), self(bx)))
        return data_adapters.concat_predictions(outputs)
