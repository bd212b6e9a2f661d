"""What `compile(loss=, loss_weights=, metrics=)` turns into: a CompileLoss computing the
weighted total over the outputs, and a CompileMetrics holding the metric objects per output.

Outputs are matched by position, or by name when `loss`/`metrics`/`y` are dicts keyed by the
output layers' names (Keras's `output_names`).
"""

import torch

from .. import _tree
from .. import losses as losses_module
from .. import metrics as metrics_module


def output_names_of(model):
    outputs = getattr(model, "outputs", None)
    if outputs is None:
        return ["output"]
    return [t._keras_history[0].name for t in outputs]


def split_outputs(y_true, y_pred, output_names):
    """Lists of targets and predictions, one entry per output."""
    preds = _tree.flatten(y_pred) if isinstance(y_pred, (list, tuple, dict)) else [y_pred]
    if isinstance(y_true, dict):
        trues = [y_true[n] for n in output_names]
    elif isinstance(y_true, (list, tuple)) and len(preds) > 1:
        trues = list(y_true)
    else:
        trues = [y_true]
    if len(trues) != len(preds):
        raise ValueError(f"The model has {len(preds)} outputs but {len(trues)} targets were given.")
    return trues, preds


def _check_names(arg, spec, output_names):
    unknown = set(spec) - set(output_names)
    if unknown:
        raise ValueError(f"compile: `{arg}` names outputs {sorted(unknown)} that the model does not have. "
                         f"Outputs: {output_names}")


class CompileLoss:
    """The compiled loss: sum over outputs of `loss_weight * loss(y_true, y_pred, sample_weight)`."""

    def __init__(self, loss, loss_weights, output_names):
        self.output_names = list(output_names)
        n = len(self.output_names)
        if isinstance(loss, dict):
            _check_names("loss", loss, self.output_names)
            self.losses = [losses_module.get(loss.get(name)) for name in self.output_names]
        elif isinstance(loss, (list, tuple)):
            if len(loss) != n:
                raise ValueError(f"compile: `loss` has {len(loss)} entries but the model has {n} outputs.")
            self.losses = [losses_module.get(entry) for entry in loss]
        else:
            self.losses = [losses_module.get(loss)] * n
        # Keras wraps a loss function in a LossFunctionWrapper: masks and the fused forms apply.
        self.losses = [losses_module.LossFunctionWrapper(fn, name=getattr(fn, "__name__", None))
                       if fn is not None and not isinstance(fn, losses_module.Loss) else fn for fn in self.losses]
        if isinstance(loss_weights, dict):
            _check_names("loss_weights", loss_weights, self.output_names)
            loss_weights = [loss_weights.get(name, 1.0) for name in self.output_names]
        self.loss_weights = list(loss_weights) if loss_weights is not None else [1.0] * n

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The weighted total loss, or None when no output has a loss."""
        if type(y_pred) is torch.Tensor and len(self.losses) == 1 and self.losses[0] is not None \
                and not isinstance(y_true, (dict, list, tuple)):  # one output: no splitting
            value = self.losses[0](y_true, y_pred, sample_weight=sample_weight)
            return value if self.loss_weights[0] == 1.0 else self.loss_weights[0] * value
        trues, preds = split_outputs(y_true, y_pred, self.output_names)
        total = None
        for loss_fn, weight, y_t, y_p in zip(self.losses, self.loss_weights, trues, preds):
            if loss_fn is None:
                continue
            value = loss_fn(y_t, y_p, sample_weight=sample_weight)
            if weight != 1.0:
                value = weight * value
            total = value if total is None else total + value
        return total


class CompileMetrics:
    """The compiled metrics as one Keras metric: `update_state(y_true, y_pred, sample_weight)`,
    `result()` (a dict of the metrics' results) and `reset_state()`. Metric objects are made
    on the first update, when the targets and predictions tell which accuracy is meant."""

    name = "compile_metrics"

    def __init__(self, metrics, output_names):
        self.output_names = list(output_names)
        n = len(self.output_names)
        if isinstance(metrics, dict):
            _check_names("metrics", metrics, self.output_names)
            specs = [metrics.get(name, []) for name in self.output_names]
            specs = [list(m) if isinstance(m, (list, tuple)) else [m] for m in specs]
        elif metrics is None:
            specs = [[] for _ in range(n)]
        elif n > 1 and metrics and isinstance(metrics[0], (list, tuple)):
            specs = [list(m) for m in metrics]
        else:
            specs = [list(metrics) for _ in range(n)]
        for per_output in specs:
            for spec in per_output:
                if isinstance(spec, str) and spec not in ("accuracy", "acc") and spec not in metrics_module._FUNCTIONS:
                    raise ValueError(f"compile: unknown metric {spec!r}.")
        self._specs = specs
        self._objects = None  # [(output index, log name, metric)]

    @property
    def built(self):
        return self._objects is not None

    @property
    def empty(self):
        return not any(self._specs)

    def build(self, y_true, y_pred):
        trues, preds = split_outputs(y_true, y_pred, self.output_names)
        multi = len(preds) > 1
        objects = []
        for i, (specs, y_t, y_p) in enumerate(zip(self._specs, trues, preds)):
            for spec in specs:
                metric = metrics_module.get(spec, torch.as_tensor(y_t), y_p)
                prefix = f"{self.output_names[i]}_" if multi else ""
                objects.append((i, prefix + metric.name, metric))
        self._objects = objects

    @property
    def metrics(self):
        return [metric for _, _, metric in self._objects or []]

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._objects is None:
            self.build(y_true, y_pred)
        if not self._objects:
            return
        trues, preds = split_outputs(y_true, y_pred, self.output_names)
        for i, _, metric in self._objects:
            metric.update_state(trues[i], preds[i].detach(), sample_weight=sample_weight)

    def reset_state(self):
        for _, _, metric in self._objects or []:
            metric.reset_state()

    def result(self):
        return {name: metric.result() for _, name, metric in self._objects or []}


class CompiledMetricsShim:
    """`model.compiled_metrics` as Keras 2 code uses it: `update_state(y, y_pred, sample_weight)`
    updates the metrics given to compile()."""

    def __init__(self, model):
        self._model = model

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._model._compile_metrics is not None:
            self._model._compile_metrics.update_state(y_true, y_pred, sample_weight)

    def reset_state(self):
        if self._model._compile_metrics is not None:
            self._model._compile_metrics.reset_state()

    @property
    def metrics(self):
        return [] if self._model._compile_metrics is None else self._model._compile_metrics.metrics


def metrics_in_order(metrics, logs):
    """Keras's list form of the logs: `metrics_names` order (the loss first, then each compiled
    metric), then any other key in sorted order; one value alone is returned bare."""
    names = []
    for metric in metrics:
        if isinstance(metric, CompileMetrics):
            names.extend(name for _, name, _ in metric._objects or [])
        else:
            names.append(metric.name)
    values = [logs[name] for name in names if name in logs]
    values += [logs[key] for key in sorted(logs) if key not in names]
    return values[0] if len(values) == 1 else values
