"""Stateful Keras metrics on torch tensors: `update_state(y_true, y_pred, sample_weight=None)`,
`result()`, `reset_state()`. Values accumulate over an epoch as Keras reports them."""

import torch

from .. import losses as _losses
from ..saving import object_registration as _reg
from ..saving import serialization_lib as _lib
from .._validation import dtype_name, reject_unsupported, standardize_dtype


def _t(x, like=None):
    x = torch.as_tensor(x)
    return x if like is None else x.to(like.device)


# -------------------------------------------------------------- metric functions
def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_true, y_pred = _t(y_true), _t(y_pred)
    y_true = y_true.to(y_pred.device)
    return torch.mean(((y_pred > threshold).to(y_pred.dtype) == y_true.to(y_pred.dtype)).to(torch.float32), dim=-1)


def categorical_accuracy(y_true, y_pred):
    y_true, y_pred = _t(y_true), _t(y_pred)
    return (y_true.to(y_pred.device).argmax(-1) == y_pred.argmax(-1)).to(torch.float32)


def sparse_categorical_accuracy(y_true, y_pred):
    y_true, y_pred = _t(y_true), _t(y_pred)
    y_true = y_true.to(y_pred.device)
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    return (y_pred.argmax(-1) == y_true.long()).to(torch.float32)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_true, y_pred = _t(y_true), _t(y_pred)
    target = y_true.to(y_pred.device).argmax(-1, keepdim=True)
    return (torch.topk(y_pred, min(k, y_pred.shape[-1]), dim=-1).indices == target).any(-1).to(torch.float32)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_true, y_pred = _t(y_true), _t(y_pred)
    y_true = y_true.to(y_pred.device)
    if y_true.dim() == y_pred.dim():
        y_true = y_true.squeeze(-1)
    return (torch.topk(y_pred, min(k, y_pred.shape[-1]), dim=-1).indices == y_true.long().unsqueeze(-1)).any(-1).to(
        torch.float32)


# ----------------------------------------------------------------- metric classes
class Metric:
    """Base class: `update_state(...)`, `result()` (a 0-d tensor, as Keras's), `reset_state()`.

    State lives in tensors on the device of the values seen, so updating never waits for the
    device; `float(metric.result())` is the one synchronisation. `dtype` (a float dtype name,
    default 'float32') is the dtype of the state and of the result.
    """

    def __init__(self, name=None, dtype=None):
        from ..backend import to_snake_case

        self.name = name or to_snake_case(type(self).__name__)
        self._dtype = standardize_dtype(dtype)
        self.dtype = dtype_name(self._dtype)
        self.reset_state()

    def reset_state(self):
        raise NotImplementedError

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _as_values(self, values):
        if not isinstance(values, torch.Tensor):
            values = torch.as_tensor(values)
        elif values.requires_grad:
            values = values.detach()
        return values if values.dtype == self._dtype else values.to(self._dtype)


def _ratio(numerator, denominator):
    """numerator / denominator, 0 where the denominator is 0 (Keras's divide_no_nan)."""
    return torch.where(denominator != 0, numerator / torch.where(denominator != 0, denominator, 1.0),
                       torch.zeros_like(numerator))


class Mean(Metric):
    """Weighted mean of the values seen."""

    _FOLD_EVERY = 4096

    def reset_state(self):
        self._total, self._count = None, 0.0
        self._scalars, self._scalar_weights = [], []

    def update_state(self, values, sample_weight=None):
        values = self._as_values(values)
        if values.dim() == 0 and (sample_weight is None or isinstance(sample_weight, (int, float))):
            # The common case (a loss per batch): queue it, no device work until result().
            self._scalars.append(values)
            self._scalar_weights.append(1.0 if sample_weight is None else float(sample_weight))
            if len(self._scalars) >= self._FOLD_EVERY:
                self._fold()
            return
        if sample_weight is None:
            self._add(values.sum(), float(values.numel()))
            return
        weight = torch.as_tensor(sample_weight, device=values.device).to(self._dtype)
        if weight.dim() < values.dim():
            weight = weight.reshape(weight.shape + (1,) * (values.dim() - weight.dim()))
        weight = torch.broadcast_to(weight, values.shape) if weight.shape != values.shape else weight
        self._add((values * weight).sum(), weight.sum())

    def _queue_scalar(self, value, weight):
        """update_state for a 0-d float tensor of this metric's dtype and a Python weight (the
        trainer's per-batch loss): no checks, no device work."""
        self._scalars.append(value.detach())
        self._scalar_weights.append(weight)
        if len(self._scalars) >= self._FOLD_EVERY:
            self._fold()

    def _add(self, total, count):
        self._total = total if self._total is None else self._total + total
        self._count = self._count + count

    def _fold(self):
        values = torch.stack(self._scalars)
        weights = torch.tensor(self._scalar_weights, dtype=values.dtype, device=values.device)
        self._add(values @ weights, float(sum(self._scalar_weights)))
        self._scalars, self._scalar_weights = [], []

    def result(self):
        if self._scalars:
            self._fold()
        if self._total is None:
            return torch.zeros((), dtype=self._dtype)
        count = self._count if isinstance(self._count, torch.Tensor) else torch.tensor(self._count, dtype=self._dtype)
        return _ratio(self._total, count.to(self._total.device))


class MeanMetricWrapper(Mean):
    """Mean over samples of `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        self._fn, self._fn_kwargs = fn, kwargs
        super().__init__(name=name or fn.__name__, dtype=dtype)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
            if values.dim() == 0:
                values = values.reshape(1)  # one value per batch still counts as a sample, not a queued scalar
            super().update_state(values, sample_weight)


def _wrapper(class_name, fn, default_name, **defaults):
    def __init__(self, name=default_name, dtype=None, **kwargs):
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **{**defaults, **kwargs})

    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__module__": __name__})


BinaryAccuracy = _wrapper("BinaryAccuracy", binary_accuracy, "binary_accuracy", threshold=0.5)
CategoricalAccuracy = _wrapper("CategoricalAccuracy", categorical_accuracy, "categorical_accuracy")
SparseCategoricalAccuracy = _wrapper("SparseCategoricalAccuracy", sparse_categorical_accuracy,
                                     "sparse_categorical_accuracy")
TopKCategoricalAccuracy = _wrapper("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                   "top_k_categorical_accuracy", k=5)
SparseTopKCategoricalAccuracy = _wrapper("SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
                                         "sparse_top_k_categorical_accuracy", k=5)
MeanSquaredError = _wrapper("MeanSquaredError", _losses.mean_squared_error, "mean_squared_error")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", _losses.mean_absolute_error, "mean_absolute_error")


class _ConfusionMetric(Metric):
    def __init__(self, thresholds=None, name=None, dtype=None):
        self.thresholds = 0.5 if thresholds is None else thresholds
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        self.tp = self.fp = self.fn = torch.zeros((), dtype=self._dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            y_pred = _t(y_pred).detach().to(self._dtype)
            y_true = _t(y_true, y_pred).to(self._dtype).reshape(y_pred.shape)
            pred = y_pred > self.thresholds
            truth = y_true > 0.5
            weight = torch.ones_like(y_pred) if sample_weight is None else torch.broadcast_to(
                _t(sample_weight, y_pred).to(self._dtype).reshape(-1, *([1] * (y_pred.dim() - 1))), y_pred.shape)
            self.tp = self.tp.to(y_pred.device) + (weight * (pred & truth)).sum()
            self.fp = self.fp.to(y_pred.device) + (weight * (pred & ~truth)).sum()
            self.fn = self.fn.to(y_pred.device) + (weight * (~pred & truth)).sum()


class Precision(_ConfusionMetric):
    def result(self):
        return _ratio(self.tp, self.tp + self.fp)


class Recall(_ConfusionMetric):
    def result(self):
        return _ratio(self.tp, self.tp + self.fn)


class AUC(Metric):
    """ROC AUC from confusion counts at `num_thresholds` thresholds (Keras's default method)."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        reject_unsupported("AUC", curve=(curve, "ROC"), summation_method=(summation_method, "interpolation"),
                           multi_label=(multi_label, False), thresholds=(thresholds, None),
                           label_weights=(label_weights, None))
        self.num_thresholds = num_thresholds
        self.from_logits = from_logits
        eps = 1e-7
        inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        self._thresholds = torch.tensor([0.0 - eps] + inner + [1.0 + eps], dtype=torch.float64)
        super().__init__(name=name or "auc", dtype=dtype)

    def reset_state(self):
        n = self.num_thresholds
        self.tp, self.fp, self.tn, self.fn = (torch.zeros(n, dtype=torch.float64) for _ in range(4))

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            y_pred = _t(y_pred).detach().to(torch.float64).reshape(-1)
            device = y_pred.device
            if self.from_logits:
                y_pred = torch.sigmoid(y_pred)
            y_true = _t(y_true, y_pred).to(torch.float64).reshape(-1) > 0.5
            w = torch.ones_like(y_pred) if sample_weight is None else _t(sample_weight, y_pred).to(
                torch.float64).reshape(-1)
            if w.numel() != y_pred.numel():
                w = w.repeat_interleave(y_pred.numel() // w.numel())
            self._thresholds = self._thresholds.to(device)
            above = y_pred.unsqueeze(0) > self._thresholds.unsqueeze(1)
            self.tp = self.tp.to(device) + (above & y_true).to(torch.float64) @ w
            self.fp = self.fp.to(device) + (above & ~y_true).to(torch.float64) @ w
            self.fn = self.fn.to(device) + (~above & y_true).to(torch.float64) @ w
            self.tn = self.tn.to(device) + (~above & ~y_true).to(torch.float64) @ w

    def result(self):
        tpr = self.tp / (self.tp + self.fn).clamp_min(1e-12)
        fpr = self.fp / (self.fp + self.tn).clamp_min(1e-12)
        return torch.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2).to(self._dtype)


_FUNCTIONS = {
    "binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy, "top_k_categorical_accuracy": TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy,
    "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError, "mae": MeanAbsoluteError,
    "mean_absolute_error": MeanAbsoluteError, "auc": AUC, "precision": Precision, "recall": Recall,
}


_CLASSES = {c.__name__: c for c in (
    AUC, BinaryAccuracy, CategoricalAccuracy, Mean, MeanAbsoluteError, MeanMetricWrapper, MeanSquaredError,
    Precision, Recall, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy)}
_reg.export("keras.metrics", {**_CLASSES, **_FUNCTIONS})


def register(classes, by_name):
    """Add a module's metric classes (configs) and the names `get` resolves to them."""
    _CLASSES.update(classes)
    _FUNCTIONS.update(by_name)
    _reg.export("keras.metrics", classes)


def serialize(metric):
    """Keras's config of a metric (see `keras.saving.serialize_keras_object`)."""
    return _lib.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """The metric a config dict (or a registered name) describes."""
    if isinstance(config, str):
        with _reg.CustomObjectScope(custom_objects):
            return get(config)
    obj = _lib.deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_CLASSES)
    return obj() if isinstance(obj, type) else obj


def get(identifier, y_true=None, y_pred=None, loss=None):
    """A metric object for a Keras name (resolving 'accuracy' as Keras does), a config dict, a
    Metric, or a callable."""
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier in ("accuracy", "acc"):
            cls = _accuracy_for(y_true, y_pred)
            return cls(name=identifier)
        cls = _FUNCTIONS.get(identifier)
        if cls is None:
            custom = _reg.get_registered_object(identifier)
            if custom is not None:
                return get(custom)
            raise ValueError(f"Unknown metric: {identifier!r}. Known: {sorted(_FUNCTIONS) + ['accuracy']}")
        return cls(name=identifier)  # logged under the name given, as Keras's compile does
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def _accuracy_for(y_true, y_pred):
    # Keras: binary when predictions have one unit; sparse when the labels have lower rank
    # (or a last axis of 1); otherwise categorical.
    if y_pred.shape[-1] == 1:
        return BinaryAccuracy
    if y_true.dim() < y_pred.dim() or y_true.shape[-1] == 1:
        return SparseCategoricalAccuracy
    return CategoricalAccuracy


__all__ = ["AUC", "BinaryAccuracy", "CategoricalAccuracy", "Mean", "MeanAbsoluteError", "MeanMetricWrapper",
           "MeanSquaredError", "Metric", "Precision", "Recall", "SparseCategoricalAccuracy",
           "SparseTopKCategoricalAccuracy", "TopKCategoricalAccuracy", "binary_accuracy", "categorical_accuracy",
           "deserialize", "get", "serialize", "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy", "top_k_categorical_accuracy"]
