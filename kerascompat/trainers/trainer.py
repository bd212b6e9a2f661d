"""Keras's training API on a torch model: compile / fit / evaluate / predict.

The optimizer is a torch optimizer (an instance, a callable building one from the parameters,
or a Keras name / `kerascompat.optimizers` object mapped onto torch's); it also has Keras's
`apply(grads, variables)` and `apply_gradients(zip(grads, variables))`.

The default step is a plain torch step: forward, loss (+ `model.losses`), backward,
`optimizer.step()`, Keras constraints. A subclass may override `train_step`, `test_step`,
`predict_step`, `compute_loss` or `compute_metrics` as in Keras 3 with the torch backend;
inside them `self.compute_loss`, `self.metrics`, `self.compiled_loss`, `self.compiled_metrics`
and `self.optimizer.apply` work as Keras documents.

Every entry point restores the train/eval mode of each module it found, so a torch loop
written afterwards runs in the mode its author set.
"""

import contextlib
import warnings

import torch

from .. import _tree
from .. import callbacks as callbacks_module
from .. import config as config_module
from .. import metrics as metrics_module
from .. import optimizers as optimizers_module
from .._validation import unsupported
from ..backend import context as call_context
from ..backend.tracking import structure_version
from . import data_adapters
from .compile_utils import CompiledMetricsShim, CompileLoss, CompileMetrics, metrics_in_order, output_names_of


def _overrides(model, name):
    return getattr(type(model), name) is not getattr(Trainer, name)


def _additional_losses(layers, regularized):
    out = []
    context = call_context.current()
    if context.losses:  # add_loss / activity losses of this thread's latest call, in layer order
        for layer in layers:
            out.extend(context.losses_of(layer))
    for slot in regularized:
        out.append(slot.regularizer(slot.keras_view()))
    return out


class Trainer:
    """compile / fit / evaluate / predict and Keras's step API, mixed into Model."""

    _compile_loss = None
    _compile_metrics = None
    _loss_tracker = None
    compiled = False

    def __setattr__(self, name, value):
        if isinstance(value, metrics_module.Metric) and not name.startswith("_"):
            # Keras tracks the metrics a model's code assigns to it (its own are private)
            self.__dict__.setdefault("_tracked_metrics", {})[name] = value
        super().__setattr__(name, value)

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        """Configure training. `jit_compile=True` runs each step through `torch.compile`;
        `run_eagerly=True` runs it as plain Python (and turns `jit_compile` off, as Keras does);
        `jit_compile="auto"` means eager, as Keras's torch backend resolves it.
        `auto_scale_loss` only acts under a 'mixed_float16' dtype policy, which kerascompat
        layers do not accept (use torch.autocast), so either value trains identically."""
        if weighted_metrics:
            raise unsupported("compile", "weighted_metrics", weighted_metrics, "weighted_metrics=None")
        if steps_per_execution != 1:
            raise unsupported("compile", "steps_per_execution", steps_per_execution, "steps_per_execution=1")
        if jit_compile not in (True, False, "auto"):
            raise ValueError(f"`jit_compile` must be True, False or 'auto'. Received: `jit_compile`={jit_compile!r}")
        for arg, value in (("run_eagerly", run_eagerly), ("auto_scale_loss", auto_scale_loss)):
            if not isinstance(value, bool):
                raise TypeError(f"`{arg}` must be a bool. Received: `{arg}`={value!r}")
        if isinstance(optimizer, torch.optim.Optimizer):
            self._optimizer_spec = optimizers_module.with_keras_update_methods(optimizer)
        elif isinstance(optimizer, (str, optimizers_module.Optimizer)):
            self._optimizer_spec = optimizers_module.get(optimizer)
        elif callable(optimizer):
            self._optimizer_spec = optimizer
        else:
            raise ValueError(f"Could not interpret optimizer: {optimizer!r}")
        self.optimizer = self._optimizer_spec if isinstance(self._optimizer_spec, torch.optim.Optimizer) else None
        output_names = output_names_of(self)
        self._output_names = output_names
        self._compile_loss = CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        self._compile_metrics = CompileMetrics(metrics, output_names) if metrics is not None else None
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = run_eagerly
        self.jit_compile = bool(jit_compile is True and not run_eagerly)
        self.auto_scale_loss = auto_scale_loss
        self.train_function = self.test_function = self.predict_function = None
        self.__dict__["_steps"] = {}
        self.compiled = True
        self.stop_training = False

    def _check_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{method}()`.")

    # ----------------------------------------------------------------- metrics
    @property
    def metrics(self):
        """The loss tracker, the compiled metrics (one metric whose result is a dict) and the
        metrics assigned to the model as attributes, in Keras's order."""
        out = []
        if self.compiled:
            out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
        out.extend(self.__dict__.get("_tracked_metrics", {}).values())
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        """{name: result} of `self.metrics`; a dict result (the compiled metrics) is merged in."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return logs

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics and return `get_metrics_result()` (Keras's hook)."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    @property
    def compiled_metrics(self):
        return CompiledMetricsShim(self)

    # -------------------------------------------------------------------- loss
    @property
    def _custom_compute_loss(self):
        return _overrides(self, "compute_loss")

    def _structure(self):
        """(all torch modules, flattened layers, regularized slots, constrained slots), walked once
        and kept while no layer gains a weight or a sub-layer (and the model keeps its number of
        sub-layers: Sequential.pop deletes one without telling)."""
        key = (structure_version(), len(self._modules))
        cache = self.__dict__.get("_structure_cache")
        if cache is None or cache[0] != key:
            slots = self._all_slots()
            cache = (key, list(self.modules()), self._flatten_layers(),
                     [s for s in slots if s.regularizer is not None], [s for s in slots if s.constraint is not None])
            self.__dict__["_structure_cache"] = cache
        return cache[1:]

    def _additional_losses(self):
        """`self.losses` without the walk: add_loss/activity losses of the last call, then the
        weight penalties."""
        _, layers, regularized, _ = self._structure()
        return _additional_losses(layers, regularized)

    def _apply_constraints(self):
        constrained = self._structure()[3]
        if constrained:
            with torch.no_grad():
                for slot in constrained:
                    slot.assign_keras(slot.constraint(slot.keras_view().detach()))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus `model.losses` (add_loss, activity and weight regularizers)."""
        _, layers, regularized, _ = self._structure()
        return self._total_loss(y, y_pred, sample_weight, layers, regularized)

    def _total_loss(self, y, y_pred, sample_weight, layers, regularized):
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(y, y_pred, sample_weight)
        extra = _additional_losses(layers, regularized)
        if extra:
            extra = sum(extra)
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return total

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Keras 2's `compiled_loss`: the compiled loss plus `regularization_losses`; it also
        updates the "loss" tracker in `self.metrics`, as Keras 2's did."""
        if self._compile_loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = self._compile_loss(y, y_pred, sample_weight)
        if regularization_losses:
            total = total + sum(regularization_losses)
        self._loss_tracker.update_state(total.detach(), sample_weight=data_adapters.num_samples(y_pred))
        return total

    def _loss_for_step(self, x, y, y_pred, sample_weight, training, structure):
        if self._custom_compute_loss:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self._total_loss(y, y_pred, sample_weight, structure[1], structure[2])

    # ------------------------------------------------------------------- steps
    def _train_batch(self, x, y, sample_weight):
        """The default step's work: forward, loss, backward, update, constraints, metric updates."""
        y_pred = self(x)
        structure = self._structure()  # after the call: a first call builds the layers
        loss = self._loss_for_step(x, y, y_pred, sample_weight, True, structure)
        if loss.dim() == 0 and loss.dtype is torch.float32:
            self._loss_tracker._queue_scalar(loss, x.shape[0] if type(x) is torch.Tensor
                                             else data_adapters.num_samples(x))
        else:
            self._loss_tracker.update_state(loss, sample_weight=data_adapters.num_samples(x))
        optimizer = self.optimizer
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if structure[3]:
            self._apply_constraints()
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred.detach() if isinstance(y_pred, torch.Tensor) else y_pred,
                                               sample_weight)
        return y_pred

    def _test_batch(self, x, y, sample_weight):
        y_pred = self(x)
        loss = self._loss_for_step(x, y, y_pred, sample_weight, False, self._structure())
        self._loss_tracker.update_state(loss, sample_weight=data_adapters.num_samples(x))
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return y_pred

    def train_step(self, data):
        """One training step on `data` ((x, y) or (x, y, sample_weight)); returns the logs."""
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self._train_batch(x, y, sample_weight)
        if _overrides(self, "compute_metrics"):
            return self.compute_metrics(x, y, y_pred, sample_weight)
        return self.get_metrics_result()

    def test_step(self, data):
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self._test_batch(x, y, sample_weight)
        if _overrides(self, "compute_metrics"):
            return self.compute_metrics(x, y, y_pred, sample_weight)
        return self.get_metrics_result()

    def predict_step(self, data):
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data)
        return self(x)

    def _step_function(self, kind):
        """The per-batch callable fit/evaluate use, and whether it returns the logs. The default
        steps skip building logs each batch: they are read from the metrics when needed."""
        if kind == "train":
            custom = _overrides(self, "train_step") or _overrides(self, "compute_metrics")
            step = (lambda x, y, w: self.train_step(data_adapters.pack_x_y_sample_weight(x, y, w))) if custom \
                else self._train_batch
        elif kind == "test":
            custom = _overrides(self, "test_step") or _overrides(self, "compute_metrics")
            step = (lambda x, y, w: self.test_step(data_adapters.pack_x_y_sample_weight(x, y, w))) if custom \
                else self._test_batch
        else:
            custom = True
            step = lambda x, y, w: self.predict_step(data_adapters.pack_x_y_sample_weight(x, y, w))  # noqa: E731
        if getattr(self, "jit_compile", False):
            step = torch.compile(step)
        return step, custom

    def _step(self, kind):
        """(callable, returns_logs) for `kind`, made once per compile()."""
        cache = self.__dict__.setdefault("_steps", {})
        if kind not in cache:
            cache[kind] = self._step_function(kind)
        return cache[kind]

    def make_train_function(self, force=False):
        if force:
            self.__dict__.get("_steps", {}).pop("train", None)
        self.train_function = self._step("train")[0]
        return self.train_function

    def make_test_function(self, force=False):
        if force:
            self.__dict__.get("_steps", {}).pop("test", None)
        self.test_function = self._step("test")[0]
        return self.test_function

    def make_predict_function(self, force=False):
        if force:
            self.__dict__.get("_steps", {}).pop("predict", None)
        self.predict_function = self._step("predict")[0]
        return self.predict_function

    # --------------------------------------------------------------- internals
    def _set_mode(self, training):
        """`self.train(training)`, touching only the modules whose mode differs."""
        for module in self._structure()[0]:
            if module.training is not training:
                module.training = training

    @contextlib.contextmanager
    def _mode(self, training):
        """Run in train (True) or eval (False) mode, then give every module back its mode."""
        modules = self._structure()[0]
        saved = [m.training for m in modules]
        self._set_mode(training)
        try:
            yield
        finally:
            for module, mode in zip(modules, saved):
                if module.training is not mode:
                    module.training = mode

    def _device(self):
        for p in self.parameters():
            return p.device
        return torch.device("cpu")

    def _ensure_built(self, batches):
        """Build a model whose layers learn their shapes on the first call (Keras builds it
        from the first batch before training)."""
        if next(self.parameters(), None) is not None:
            return
        for x, _, _ in batches:
            with self._mode(False), torch.no_grad():
                self(x)
            return

    def _ensure_optimizer(self):
        if self.optimizer is None:
            spec = self._optimizer_spec
            params = [p for p in self.parameters() if p.requires_grad]
            if not params:
                raise ValueError("The model has no trainable parameters yet: build it (give it an input shape) "
                                 "before fit().")
            optimizer = spec.build(params) if isinstance(spec, optimizers_module.Optimizer) else spec(params)
            if isinstance(spec, optimizers_module.Optimizer):
                spec._torch_optimizer = optimizer
            self.optimizer = optimizers_module.with_keras_update_methods(optimizer)
        return self.optimizer

    def _batches(self, x, y, sample_weight, batch_size, shuffle, steps=None):
        cap = config_module.max_steps_per_epoch()  # keras.config's cap for debugging runs
        if cap and (not steps or cap < steps):
            warnings.warn(f"Limiting steps_per_epoch to {cap}")
            steps = cap
        return data_adapters.batches(x, y, sample_weight, batch_size, shuffle, steps, self._device())

    def _move(self, *parts):
        device = self._device()
        return tuple(data_adapters.to_device(part, device) for part in parts)

    def _callback_list(self, callbacks, verbose, epochs, steps, add_history=False):
        if isinstance(callbacks, callbacks_module.CallbackList):
            return callbacks
        return callbacks_module.CallbackList(callbacks, add_history=add_history, add_progbar=verbose != 0, model=self,
                                             verbose=verbose, epochs=epochs, steps=steps)

    def _returned(self, logs, return_dict):
        return logs if return_dict else metrics_in_order(self.metrics, logs)

    # ---------------------------------------------------------------- batch API
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        self._check_compiled("train_on_batch")
        x, y, sample_weight = self._move(x, y, sample_weight)
        sample_weight = data_adapters.class_weights_to_sample_weights(y, sample_weight, class_weight)
        self._ensure_built([(x, y, sample_weight)])
        self._ensure_optimizer()
        step, custom = self._step("train")
        self.reset_metrics()  # Keras 3 (every backend) reports this batch alone, as Keras 2's default did
        self._set_mode(True)
        logs = step(x, y, sample_weight)
        logs = callbacks_module.pythonify_logs(logs if custom else self.get_metrics_result())
        return self._returned(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._check_compiled("test_on_batch")
        x, y, sample_weight = self._move(x, y, sample_weight)
        step, custom = self._step("test")
        self.reset_metrics()
        with self._mode(False), torch.no_grad():
            logs = step(x, y, sample_weight)
        logs = callbacks_module.pythonify_logs(logs if custom else self.get_metrics_result())
        return self._returned(logs, return_dict)

    def predict_on_batch(self, x):
        (x,) = self._move(x)
        step, _ = self._step("predict")
        with self._mode(False), torch.no_grad():
            out = step(x, None, None)
        return _tree.map_structure(lambda t: t.cpu().numpy(), out)

    # ------------------------------------------------------------------ loops
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        self._check_compiled("fit")
        if config_module.max_epochs() and config_module.max_epochs() < epochs:
            warnings.warn(f"Limiting epochs to {config_module.max_epochs()}")
            epochs = config_module.max_epochs()
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_validation(
                x, y, sample_weight, validation_split)
        batches = self._batches(x, y, sample_weight, batch_size, shuffle, steps_per_epoch)
        verbose = 1 if verbose == "auto" else verbose
        cbs = self._callback_list(callbacks, verbose, epochs, batches.num_steps(), add_history=True)
        self._ensure_built(batches)
        self._ensure_optimizer()
        step, custom = self._step("train")
        self.stop_training = False
        epoch_logs = {}
        with self._mode(True):
            cbs.on_train_begin()
            # BackupAndRestore sets where an interrupted run resumes
            initial_epoch = self.__dict__.pop("_initial_epoch", None) or initial_epoch
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                cbs.on_epoch_begin(epoch)
                self._set_mode(True)
                logs = None
                hooks = cbs.has_batch_hooks("train")
                for index, (bx, by, bw) in enumerate(batches):
                    if class_weight:
                        bw = data_adapters.class_weights_to_sample_weights(by, bw, class_weight)
                    if hooks:
                        cbs.on_train_batch_begin(index)
                    out = step(bx, by, bw)
                    if custom:
                        logs = out
                    if hooks:
                        cbs.on_train_batch_end(index, logs if custom else self.get_metrics_result)
                    if self.stop_training:
                        break
                epoch_logs = callbacks_module.pythonify_logs(logs if custom else self.get_metrics_result())
                if validation_data is not None and (epoch + 1) % validation_freq == 0:
                    vx, vy, vw = data_adapters.unpack_validation(validation_data)
                    val = self.evaluate(vx, vy, sample_weight=vw, batch_size=validation_batch_size or batch_size,
                                        steps=validation_steps, verbose=0, callbacks=cbs, return_dict=True)
                    epoch_logs.update({f"val_{k}": v for k, v in val.items()})
                cbs.on_epoch_end(epoch, epoch_logs)
                if self.stop_training:
                    break
            cbs.on_train_end(epoch_logs)
        self.history = cbs.history
        return self.history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        self._check_compiled("evaluate")
        batches = self._batches(x, y, sample_weight, batch_size, False, steps)
        verbose = 1 if verbose == "auto" else verbose
        cbs = self._callback_list(callbacks, verbose, 1, batches.num_steps())
        step, custom = self._step("test")
        self.reset_metrics()
        logs = None
        with self._mode(False), torch.no_grad():
            cbs.on_test_begin()
            for index, (bx, by, bw) in enumerate(batches):
                cbs.on_test_batch_begin(index)
                out = step(bx, by, bw)
                if custom:
                    logs = out
                cbs.on_test_batch_end(index, logs if custom else self.get_metrics_result)
            logs = callbacks_module.pythonify_logs(logs if custom else self.get_metrics_result())
            cbs.on_test_end(logs)
        return self._returned(logs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        batches = self._batches(x, None, None, batch_size, False, steps)
        verbose = 1 if verbose == "auto" else verbose
        cbs = self._callback_list(callbacks, verbose, 1, batches.num_steps())
        step, _ = self._step("predict")
        outputs = []
        with self._mode(False), torch.no_grad():
            cbs.on_predict_begin()
            for index, (bx, by, bw) in enumerate(batches):
                cbs.on_predict_batch_begin(index)
                out = step(bx, by, bw)
                outputs.append(_tree.map_structure(lambda t: t.cpu().numpy(), out))
                cbs.on_predict_batch_end(index, {"outputs": out})
            cbs.on_predict_end()
        return data_adapters.concat_predictions(outputs)
