"""Keras's training API on a torch model: compile / fit / evaluate / predict.

The optimizer is a torch optimizer (an instance, a callable building one from the parameters,
or a Keras name / `kerascompat.optimizers` object mapped onto torch's). Each step is a plain
torch step: forward, loss (+ `model.losses`), backward, `optimizer.step()`, Keras constraints.
"""

import math

import numpy as np
import torch

from .. import _tree
from ..losses import Loss, reduce_weighted_values


class History:
    """`fit`'s return value: `history.history` maps Keras's keys ('loss', 'val_loss', ...) to lists."""

    def __init__(self):
        self.history = {}
        self.epoch = []

    def _record(self, epoch, logs):
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)


def _to_tensor(x, device):
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        return x.to(device)
    array = np.asarray(x)
    tensor = torch.from_numpy(np.ascontiguousarray(array))
    if tensor.is_floating_point():
        tensor = tensor.float()
    return tensor.to(device)


def _length(x):
    flat = _tree.flatten(x)
    return int(flat[0].shape[0])


def _slice(x, index):
    return _tree.map_structure(lambda t: t[index], x)


class _ArrayBatches:
    """Batches over in-memory arrays/tensors (structures of them), optionally shuffled each epoch."""

    def __init__(self, x, y, sample_weight, batch_size, shuffle, steps=None):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.n = _length(x)
        self.batch_size, self.shuffle, self.steps = batch_size, shuffle, steps

    def num_steps(self):
        full = math.ceil(self.n / self.batch_size)
        return full if self.steps is None else min(self.steps, full)

    def __iter__(self):
        order = torch.randperm(self.n) if self.shuffle else torch.arange(self.n)
        for step, start in enumerate(range(0, self.n, self.batch_size)):
            if self.steps is not None and step >= self.steps:
                return
            index = order[start:start + self.batch_size]
            yield (_slice(self.x, index), None if self.y is None else _slice(self.y, index),
                   None if self.sample_weight is None else self.sample_weight[index])


class _IterableBatches:
    """Batches from a DataLoader, a Dataset of (x, y) pairs, or a generator of (x, y[, w])."""

    def __init__(self, source, steps=None):
        self.source, self.steps = source, steps

    def num_steps(self):
        """Steps per epoch, or None for a generator of unknown length."""
        if self.steps is not None:
            return self.steps
        try:
            return len(self.source)
        except TypeError:
            return None

    def __iter__(self):
        for i, batch in enumerate(self.source):
            if self.steps is not None and i >= self.steps:
                return
            if not isinstance(batch, (list, tuple)):
                yield batch, None, None
            elif len(batch) == 1:
                yield batch[0], None, None
            elif len(batch) == 2:
                yield batch[0], batch[1], None
            else:
                yield batch[0], batch[1], batch[2]


class TrainingMixin:
    """compile / fit / evaluate / predict for Model."""

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        from .. import losses as losses_module
        from .. import optimizers as optimizers_module

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
        self._loss_spec = loss
        outputs = getattr(self, "outputs", None)
        n_outputs = len(outputs) if outputs is not None else 1
        output_names = [t._keras_history[0].name for t in outputs] if outputs is not None else ["output"]
        self._output_names = output_names
        if isinstance(loss, dict):
            unknown = set(loss) - set(output_names)
            if unknown:
                raise ValueError(f"compile: `loss` names outputs {sorted(unknown)} that the model does not have. "
                                 f"Outputs: {output_names}")
            self._losses_per_output = [losses_module.get(loss.get(n)) for n in output_names]
        elif isinstance(loss, (list, tuple)):
            if len(loss) != n_outputs:
                raise ValueError(f"compile: `loss` has {len(loss)} entries but the model has {n_outputs} outputs.")
            self._losses_per_output = [losses_module.get(l) for l in loss]
        else:
            self._losses_per_output = [losses_module.get(loss)] * n_outputs
        if isinstance(loss_weights, dict):
            loss_weights = [loss_weights.get(n, 1.0) for n in output_names]
        self._loss_weights = list(loss_weights) if loss_weights is not None else [1.0] * n_outputs
        if isinstance(metrics, dict):
            unknown = set(metrics) - set(output_names)
            if unknown:
                raise ValueError(f"compile: `metrics` names outputs {sorted(unknown)} that the model does not have. "
                                 f"Outputs: {output_names}")
            metrics = [metrics.get(n, []) for n in output_names]
            metrics = [m if isinstance(m, (list, tuple)) else [m] for m in metrics]
        elif metrics is None:
            metrics = [[] for _ in range(n_outputs)]
        elif n_outputs > 1 and metrics and isinstance(metrics[0], (list, tuple)):
            metrics = [list(m) for m in metrics]
        else:
            metrics = [list(metrics)] * n_outputs if n_outputs == 1 else [list(metrics) for _ in range(n_outputs)]
        for per_output in metrics:
            for m in per_output:
                if isinstance(m, str):
                    from .. import metrics as metrics_module

                    if m not in ("accuracy", "acc") and m not in metrics_module._FUNCTIONS:
                        raise ValueError(f"compile: unknown metric {m!r}.")
        self._metric_specs = metrics
        self._metric_objects = None
        self.compiled = True
        self.stop_training = False

    # ---------------------------------------------------------------- internals
    def _device(self):
        for p in self.parameters():
            return p.device
        return torch.device("cpu")

    def _ensure_optimizer(self):
        if self.optimizer is None:
            from .. import optimizers as optimizers_module

            spec = self._optimizer_spec
            params = [p for p in self.parameters() if p.requires_grad]
            if not params:
                raise ValueError("The model has no trainable parameters yet: build it (give it an input shape) "
                                 "before fit().")
            self.optimizer = spec.build(params) if isinstance(spec, optimizers_module.Optimizer) else spec(params)
        return self.optimizer

    def _split_outputs(self, y_pred, y):
        preds = _tree.flatten(y_pred) if isinstance(y_pred, (list, tuple, dict)) else [y_pred]
        if isinstance(y, dict):
            trues = [y[n] for n in self._output_names]
        elif isinstance(y, (list, tuple)) and len(preds) > 1:
            trues = list(y)
        else:
            trues = [y]
        if len(trues) != len(preds):
            raise ValueError(f"The model has {len(preds)} outputs but {len(trues)} targets were given.")
        return trues, preds

    def _compute_loss(self, y, y_pred, sample_weight):
        trues, preds = self._split_outputs(y_pred, y)
        total = None
        for loss_fn, weight, y_t, y_p in zip(self._losses_per_output, self._loss_weights, trues, preds):
            if loss_fn is None:
                continue
            if isinstance(loss_fn, Loss):
                value = loss_fn(y_t, y_p, sample_weight=sample_weight)
            else:
                value = reduce_weighted_values(loss_fn(y_t, y_p), sample_weight)
            total = weight * value if total is None else total + weight * value
        if total is None:
            raise ValueError("No loss to compute: pass `loss=` to compile().")
        extra = self.losses
        if extra:
            total = total + sum(extra)
        return total

    def _metrics_for(self, y, y_pred):
        if self._metric_objects is None:
            from .. import metrics as metrics_module

            trues, preds = self._split_outputs(y_pred, y)
            objects = []
            multi = len(preds) > 1
            for i, (specs, y_t, y_p) in enumerate(zip(self._metric_specs, trues, preds)):
                for spec in specs:
                    metric = metrics_module.get(spec, torch.as_tensor(y_t), y_p)
                    prefix = f"{self._output_names[i]}_" if multi else ""
                    objects.append((i, prefix + metric.name, metric))
            self._metric_objects = objects
        return self._metric_objects

    def _update_metrics(self, y, y_pred, sample_weight):
        trues, preds = self._split_outputs(y_pred, y)
        for i, _, metric in self._metrics_for(y, y_pred):
            metric.update_state(trues[i], preds[i].detach(), sample_weight=sample_weight)

    def _reset_metrics(self):
        for _, _, metric in self._metric_objects or []:
            metric.reset_state()

    def _metric_logs(self):
        return {name: float(metric.result()) for _, name, metric in self._metric_objects or []}

    def _check_compiled(self):
        if not getattr(self, "compiled", False):
            raise RuntimeError("You must call `compile()` before using the model for training/evaluation.")

    def _batches(self, x, y, sample_weight, batch_size, shuffle, steps=None):
        if isinstance(x, (torch.utils.data.DataLoader, torch.utils.data.Dataset)) or (
                hasattr(x, "__iter__") and not isinstance(x, (np.ndarray, torch.Tensor, list, tuple, dict))):
            if y is not None:
                raise ValueError("`y` must not be given when `x` is a DataLoader, a Dataset or a generator.")
            source = x
            if isinstance(x, torch.utils.data.Dataset) and not isinstance(x, torch.utils.data.IterableDataset):
                source = torch.utils.data.DataLoader(x, batch_size=batch_size or 32, shuffle=shuffle)
            return _IterableBatches(source, steps)
        device = self._device()
        x = _tree.map_structure(lambda a: _to_tensor(a, device), x)
        y = None if y is None else _tree.map_structure(lambda a: _to_tensor(a, device), y)
        n = _length(x)
        if y is not None and any(int(t.shape[0]) != n for t in _tree.flatten(y)):
            raise ValueError(f"Data cardinality is ambiguous: x has {n} samples but y has "
                             f"{[int(t.shape[0]) for t in _tree.flatten(y)]}. Make sure they have the same length.")
        sw = None if sample_weight is None else _to_tensor(sample_weight, device).float()
        if sw is not None and sw.shape[0] != n:
            raise ValueError(f"`sample_weight` has {sw.shape[0]} entries but x has {n} samples.")
        return _ArrayBatches(x, y, sw, batch_size or 32, shuffle, steps)

    def _move(self, batch):
        device = self._device()
        return tuple(None if part is None else _tree.map_structure(lambda a: _to_tensor(a, device), part)
                     for part in batch)

    def _train_step(self, x, y, sample_weight, optimizer):
        """One plain torch step: forward, loss (+ model.losses), backward, step, Keras constraints."""
        y_pred = self(x)
        loss = self._compute_loss(y, y_pred, sample_weight)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        self.apply_constraints()
        self._metrics_for(y, y_pred)
        return loss.detach(), y_pred

    # ----------------------------------------------------------------- public API
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        self._check_compiled()
        x, y, sample_weight = self._move((x, y, sample_weight))
        sample_weight = self._apply_class_weight(y, sample_weight, class_weight)
        optimizer = self._ensure_optimizer()
        self.train()
        loss, y_pred = self._train_step(x, y, sample_weight, optimizer)
        self._reset_metrics()
        self._update_metrics(y, y_pred, sample_weight)
        logs = {"loss": float(loss.detach()), **self._metric_logs()}
        return logs if return_dict else (logs["loss"] if len(logs) == 1 else list(logs.values()))

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._check_compiled()
        x, y, sample_weight = self._move((x, y, sample_weight))
        self.eval()
        with torch.no_grad():
            y_pred = self(x)
            loss = self._compute_loss(y, y_pred, sample_weight)
        self._metrics_for(y, y_pred)
        self._reset_metrics()
        self._update_metrics(y, y_pred, sample_weight)
        logs = {"loss": float(loss), **self._metric_logs()}
        return logs if return_dict else (logs["loss"] if len(logs) == 1 else list(logs.values()))

    def predict_on_batch(self, x):
        (x,) = self._move((x,))
        self.eval()
        with torch.no_grad():
            out = self(x)
        return _tree.map_structure(lambda t: t.cpu().numpy(), out)

    def _apply_class_weight(self, y, sample_weight, class_weight):
        if not class_weight:
            return sample_weight
        if isinstance(y, (list, tuple, dict)):
            raise ValueError("`class_weight` is only supported for models with a single output.")
        labels = y.argmax(-1) if (y.dim() > 1 and y.shape[-1] > 1) else y.reshape(y.shape[0], -1)[:, 0]
        table = torch.zeros(int(max(class_weight)) + 1, device=y.device)
        for cls, weight in class_weight.items():
            table[int(cls)] = float(weight)
        weights = table[labels.long()]
        return weights if sample_weight is None else sample_weight * weights

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        from .. import callbacks as callbacks_module

        self._check_compiled()
        if validation_split and validation_data is None:
            if not isinstance(x, (np.ndarray, torch.Tensor, list, tuple, dict)):
                raise ValueError("`validation_split` is only supported for array or tensor inputs.")
            n = _length(x)
            split = int(n * (1.0 - validation_split))
            cut = lambda data, a, b: None if data is None else _tree.map_structure(lambda t: t[a:b], data)  # noqa
            validation_data = (cut(x, split, n), cut(y, split, n)) + (
                (cut(sample_weight, split, n),) if sample_weight is not None else ())
            x, y = cut(x, 0, split), cut(y, 0, split)
            sample_weight = cut(sample_weight, 0, split)
        batches = self._batches(x, y, sample_weight, batch_size, shuffle, steps_per_epoch)
        verbose = 1 if verbose == "auto" else verbose
        history = History()
        cbs = callbacks_module.CallbackList(list(callbacks or []), model=self, verbose=verbose, epochs=epochs,
                                            steps=batches.num_steps())
        optimizer = self._ensure_optimizer()
        self.stop_training = False
        cbs.on_train_begin()
        logs = {}
        for epoch in range(initial_epoch, epochs):
            cbs.on_epoch_begin(epoch)
            self._reset_metrics()
            loss_sum, seen = 0.0, 0
            self.train()
            for step, batch in enumerate(batches):
                bx, by, bw = self._move(batch)
                bw = self._apply_class_weight(by, bw, class_weight)
                cbs.on_train_batch_begin(step)
                loss, y_pred = self._train_step(bx, by, bw, optimizer)
                n = _length(bx)
                loss_sum += float(loss) * n
                seen += n
                self._update_metrics(by, y_pred, bw)
                logs = {"loss": loss_sum / seen, **self._metric_logs()}
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                vx, vy, vw = self._unpack_validation(validation_data)
                val = self.evaluate(vx, vy, sample_weight=vw, batch_size=validation_batch_size or batch_size,
                                    steps=validation_steps, verbose=0, return_dict=True)
                logs.update({f"val_{k}": v for k, v in val.items()})
            history._record(epoch, logs)
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        cbs.on_train_end(logs)
        self.history = history
        return history

    @staticmethod
    def _unpack_validation(data):
        if isinstance(data, (list, tuple)):
            if len(data) == 2:
                return data[0], data[1], None
            if len(data) == 3:
                return data
            raise ValueError("`validation_data` must be (x, y) or (x, y, sample_weight).")
        return data, None, None

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        self._check_compiled()
        batches = self._batches(x, y, sample_weight, batch_size, False, steps)
        self.eval()
        loss_sum, seen = 0.0, 0
        first = True
        with torch.no_grad():
            for batch in batches:
                bx, by, bw = self._move(batch)
                y_pred = self(bx)
                loss = self._compute_loss(by, y_pred, bw)
                if first:
                    self._metrics_for(by, y_pred)
                    self._reset_metrics()
                    first = False
                n = _length(bx)
                loss_sum += float(loss) * n
                seen += n
                self._update_metrics(by, y_pred, bw)
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
            for batch in batches:
                (bx,) = self._move(batch[:1])
                outputs.append(_tree.map_structure(lambda t: t.cpu().numpy(), self(bx)))
        if not outputs:
            return np.zeros((0,))
        first = outputs[0]
        if isinstance(first, np.ndarray):
            return np.concatenate(outputs)
        flat = [np.concatenate(parts) for parts in zip(*[_tree.flatten(o) for o in outputs])]
        return _tree.pack_like(first, flat)
