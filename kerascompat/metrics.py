"""Stateful Keras metrics on torch tensors: `update_state(y_true, y_pred, sample_weight=None)`,
`result()`, `reset_state()`. Values accumulate over an epoch as Keras reports them."""

import torch

from . import losses as _losses
from .saving import object_registration as _reg
from .saving import serialization_lib as _lib


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
    def __init__(self, name=None, dtype=None):
        from .backend import to_snake_case

        self.name = name or to_snake_case(type(self).__name__)
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


class Mean(Metric):
    """Weighted mean of the values seen."""

    def reset_state(self):
        self.total, self.count = 0.0, 0.0

    def update_state(self, values, sample_weight=None):
        values = _t(values).detach().to(torch.float64)
        if sample_weight is None:
            self.total += float(values.sum())
            self.count += values.numel()
        else:
            weight = _t(sample_weight, values).to(torch.float64)
            weight = torch.broadcast_to(weight.reshape(weight.shape + (1,) * (values.dim() - weight.dim())),
                                        values.shape) if weight.dim() < values.dim() else weight
            self.total += float((values * weight).sum())
            self.count += float(weight.sum())

    def result(self):
        return self.total / self.count if self.count else 0.0


class MeanMetricWrapper(Mean):
    """Mean over samples of `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        self._fn, self._fn_kwargs = fn, kwargs
        super().__init__(name=name or fn.__name__)

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight)


def _wrapper(class_name, fn, default_name, **defaults):
    def __init__(self, name=default_name, dtype=None, **kwargs):
        MeanMetricWrapper.__init__(self, fn, name=name, **{**defaults, **kwargs})

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
        super().__init__(name=name)

    def reset_state(self):
        self.tp = self.fp = self.fn = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            y_pred = _t(y_pred).detach().float()
            y_true = _t(y_true, y_pred).float().reshape(y_pred.shape)
            pred = y_pred > self.thresholds
            truth = y_true > 0.5
            weight = torch.ones_like(y_pred) if sample_weight is None else torch.broadcast_to(
                _t(sample_weight, y_pred).float().reshape(-1, *([1] * (y_pred.dim() - 1))), y_pred.shape)
            self.tp += float((weight * (pred & truth)).sum())
            self.fp += float((weight * (pred & ~truth)).sum())
            self.fn += float((weight * (~pred & truth)).sum())


class Precision(_ConfusionMetric):
    def result(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0


class Recall(_ConfusionMetric):
    def result(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


class AUC(Metric):
    """ROC AUC from confusion counts at `num_thresholds` thresholds (Keras's default method)."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        if curve != "ROC" or summation_method != "interpolation" or multi_label or thresholds is not None \
                or label_weights is not None:
            raise NotImplementedError("AUC: only curve='ROC', summation_method='interpolation', single label and "
                                      "evenly spaced thresholds are supported.")
        self.num_thresholds = num_thresholds
        self.from_logits = from_logits
        eps = 1e-7
        inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        self._thresholds = torch.tensor([0.0 - eps] + inner + [1.0 + eps], dtype=torch.float64)
        super().__init__(name=name or "auc")

    def reset_state(self):
        n = self.num_thresholds
        self.tp, self.fp, self.tn, self.fn = (torch.zeros(n, dtype=torch.float64) for _ in range(4))

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            y_pred = _t(y_pred).detach().to(torch.float64).reshape(-1)
            if self.from_logits:
                y_pred = torch.sigmoid(y_pred)
            y_true = _t(y_true).to(torch.float64).reshape(-1).cpu() > 0.5
            y_pred = y_pred.cpu()
            w = torch.ones_like(y_pred) if sample_weight is None else _t(sample_weight).to(torch.float64).reshape(-1).cpu()
            if w.numel() != y_pred.numel():
                w = w.repeat_interleave(y_pred.numel() // w.numel())
            above = y_pred.unsqueeze(0) > self._thresholds.unsqueeze(1)
            self.tp += (above & y_true).to(torch.float64) @ w
            self.fp += (above & ~y_true).to(torch.float64) @ w
            self.fn += (~above & y_true).to(torch.float64) @ w
            self.tn += (~above & ~y_true).to(torch.float64) @ w

    def result(self):
        tpr = self.tp / (self.tp + self.fn).clamp_min(1e-12)
        fpr = self.fp / (self.fp + self.tn).clamp_min(1e-12)
        return float(torch.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2))


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
        return cls(name=identifier) if identifier in ("mse", "mae") else cls()
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
