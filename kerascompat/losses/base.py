"""Keras losses on torch tensors, with Keras 3's definitions and reductions.

Functions (`mean_squared_error(y_true, y_pred)`) return one loss per sample (the mean or sum
over the last axis, as Keras). Classes (`BinaryCrossentropy(from_logits=True)`) are called
as `loss(y_true, y_pred, sample_weight=None)` and reduce with `reduction`:
'sum_over_batch_size' (default), 'sum', 'mean', 'mean_with_sample_weight', or None / 'none'.
Probabilities are clipped to [1e-7, 1 - 1e-7] as Keras does; `from_logits=True` uses torch's
log-sum-exp forms.
"""

import math

import torch
import torch.nn.functional as F

from .._registry import Configurable
from ..saving import object_registration as _reg
from ..saving import serialization_lib as _lib
from .._validation import dtype_name, standardize_dtype
from ..regularizers import _l2_normalize

EPSILON = 1e-7
_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def _as_tensors(y_true, y_pred):
    y_pred = torch.as_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.float()
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    return y_true, y_pred


def _floats(y_true, y_pred):
    y_true, y_pred = _as_tensors(y_true, y_pred)
    return y_true.to(y_pred.dtype), y_pred


# ------------------------------------------------------------------------ functions
def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=EPSILON))
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    first = torch.log(torch.clamp(y_pred, min=EPSILON) + 1.0)
    second = torch.log(torch.clamp(y_true, min=EPSILON) + 1.0)
    return torch.mean(torch.square(first - second), dim=-1)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _floats(y_true, y_pred)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - 0.5 * delta ** 2
    return torch.mean(torch.where(abs_error <= delta, quadratic, linear), dim=-1)


def log_cosh(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    x = y_pred - y_true
    return torch.mean(x + F.softplus(-2.0 * x) - math.log(2.0), dim=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _floats(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        bce = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        p = torch.clamp(y_pred, EPSILON, 1.0 - EPSILON)
        bce = -(y_true * torch.log(p) + (1 - y_true) * torch.log(1 - p))
    return torch.mean(bce, dim=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _floats(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(y_true.shape)}, output.shape={tuple(y_pred.shape)}"
        )
    if label_smoothing:
        num_classes = y_true.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        return -torch.sum(y_true * torch.log_softmax(y_pred, dim=axis), dim=axis)
    p = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
    p = torch.clamp(p, EPSILON, 1.0 - EPSILON)
    return -torch.sum(y_true * torch.log(p), dim=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    y_true, y_pred = _as_tensors(y_true, y_pred)
    if axis not in (-1, y_pred.dim() - 1):
        raise ValueError(
            f"Only axis=-1 is currently supported. Received: axis={axis}"
        )
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    if y_true.shape != y_pred.shape[:-1]:
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim + 1` and the same leading dimensions. "
            f"Received: target.shape={tuple(y_true.shape)}, output.shape={tuple(y_pred.shape)}"
        )
    labels = y_true.long()
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class
        labels = torch.where(valid, labels, torch.zeros_like(labels))
    logits = y_pred if from_logits else torch.log(torch.clamp(y_pred, EPSILON, 1.0 - EPSILON))
    flat = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), reduction="none")
    res = flat.reshape(labels.shape)
    if valid is not None:
        res = torch.where(valid, res, torch.zeros_like(res))
        res._keras_mask = valid
    return res


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    y_true = torch.clamp(y_true, EPSILON, 1.0)
    y_pred = torch.clamp(y_pred, EPSILON, 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    return torch.mean(y_pred - y_true * torch.log(y_pred + EPSILON), dim=-1)


def _hinge_labels(y_true):
    # Keras converts {0, 1} labels to {-1, 1}.
    if bool(torch.all((y_true == 0) | (y_true == 1))):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _floats(y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


def cosine_similarity(y_true, y_pred, axis=-1):
    y_true, y_pred = _floats(y_true, y_pred)
    return -torch.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), dim=axis)


# Keras's short names.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


# ---------------------------------------------------------------------- reduction
def _squeeze_or_expand(values, weights):
    if weights.dim() == values.dim():
        return values, weights
    if weights.dim() == values.dim() + 1 and weights.shape[-1] == 1:
        return values, weights.squeeze(-1)
    if values.dim() == weights.dim() + 1 and values.shape[-1] == 1:
        if weights.dim() == 1:
            return values, weights.unsqueeze(-1)
        return values.squeeze(-1), weights
    return values, weights


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size"):
    """Keras's weighting and reduction of per-sample losses."""
    if mask is not None:
        mask = mask.to(values.dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            total = float(mask.numel())
            valid = mask.sum()
            mask = mask * torch.where(valid > 0, total / valid, torch.zeros_like(valid))
        sample_weight = mask if sample_weight is None else sample_weight * mask
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, dtype=values.dtype, device=values.device)
        values, sample_weight = _squeeze_or_expand(values, sample_weight)
        values = values * sample_weight
    if reduction in (None, "none") or values.dim() == 0 or tuple(values.shape) == (0,):
        return values
    if sample_weight is None and reduction in ("sum_over_batch_size", "mean") and values.numel():
        return values.mean()  # the unweighted case in one kernel (the divisor is the element count)
    loss = values.sum()
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = sample_weight.sum()
    else:
        divisor = torch.tensor(float(values.numel()), dtype=values.dtype, device=values.device)
    return torch.where(divisor != 0, loss / divisor, torch.zeros_like(loss))


# ------------------------------------------------------------------------ classes
class Loss(Configurable):
    """Base class: subclasses define `call(y_true, y_pred)` returning per-sample losses."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"Invalid value for argument `reduction`. Expected one of {list(_REDUCTIONS)}. "
                f"Received: reduction={reduction!r}"
            )
        self.name = name or _snake(type(self).__name__)
        self.reduction = reduction
        # Keras computes a loss in `dtype` (default floatx, i.e. the float32 of our models): float
        # targets and the predictions are cast to it; None keeps the predictions' dtype.
        self._dtype = None if dtype is None else standardize_dtype(dtype)
        self.dtype = dtype if dtype is None else dtype_name(self._dtype)

    def __call__(self, y_true, y_pred, sample_weight=None):
        if self._dtype is not None:
            y_pred = torch.as_tensor(y_pred).to(self._dtype)
            y_true = torch.as_tensor(y_true, device=y_pred.device)
            if y_true.is_floating_point():
                y_true = y_true.to(self._dtype)
        values = self.call(y_true, y_pred)
        mask = getattr(values, "_keras_mask", None)
        if mask is None:
            mask = getattr(y_pred, "_keras_mask", None) if isinstance(y_pred, torch.Tensor) else None
        return reduce_weighted_values(values, sample_weight, mask, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


def _snake(name):
    from ..backend import to_snake_case

    return to_snake_case(name)


class LossFunctionWrapper(Loss):
    """A Loss that applies `fn(y_true, y_pred, **kwargs)` (Keras's wrapper for the class forms)."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def __call__(self, y_true, y_pred, sample_weight=None):
        if sample_weight is None and self._dtype is None and self.reduction in ("sum_over_batch_size", "mean"):
            fused = _FUSED_BATCH_MEANS.get(self.fn)
            if fused is not None:
                value = fused(y_true, y_pred, **self._fn_kwargs)
                if value is not None:
                    return value
        return Loss.__call__(self, y_true, y_pred, sample_weight)

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}


def _sparse_categorical_crossentropy_mean(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """The batch mean of `sparse_categorical_crossentropy` as torch's one fused kernel (the same
    value; fewer kernels in the training step), or None where that form does not apply."""
    if (ignore_class is not None or type(y_pred) is not torch.Tensor or type(y_true) is not torch.Tensor
            or y_pred.dim() != 2 or y_true.dtype not in _INTEGER_LABELS or not y_pred.is_floating_point()
            or getattr(y_pred, "_keras_mask", None) is not None):
        return None
    if y_true.dim() == 2 and y_true.shape[-1] == 1:
        y_true = y_true.reshape(-1)
    if y_true.dim() != 1 or y_true.shape[0] != y_pred.shape[0] or y_true.shape[0] == 0 \
            or y_true.device != y_pred.device:
        return None
    logits = y_pred if from_logits else torch.log(torch.clamp(y_pred, EPSILON, 1.0 - EPSILON))
    return F.cross_entropy(logits, y_true if y_true.dtype is torch.int64 else y_true.long())


_INTEGER_LABELS = (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8)


_FUSED_BATCH_MEANS = {sparse_categorical_crossentropy: _sparse_categorical_crossentropy_mean}


def _loss_class(class_name, fn, default_name, params=()):
    """Build a Keras loss class whose extra constructor arguments are `params` (name, default)."""

    def __init__(self, *args, reduction="sum_over_batch_size", name=default_name, dtype=None, **kwargs):
        names = [p for p, _ in params]
        if len(args) > len(names):
            raise TypeError(f"{class_name} takes at most {len(names)} positional arguments")
        values = dict(params)
        values.update(zip(names, args))
        unknown = set(kwargs) - set(names)
        if unknown:
            raise TypeError(f"{class_name} got unexpected keyword arguments: {sorted(unknown)}")
        values.update(kwargs)
        LossFunctionWrapper.__init__(self, fn, reduction=reduction, name=name, dtype=dtype, **values)

    return type(class_name, (LossFunctionWrapper,), {"__init__": __init__, "__module__": __name__,
                                                      "__doc__": f"Class form of `{fn.__name__}`."})


MeanSquaredError = _loss_class("MeanSquaredError", mean_squared_error, "mean_squared_error")
MeanAbsoluteError = _loss_class("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error")
MeanAbsolutePercentageError = _loss_class("MeanAbsolutePercentageError", mean_absolute_percentage_error,
                                          "mean_absolute_percentage_error")
MeanSquaredLogarithmicError = _loss_class("MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
                                          "mean_squared_logarithmic_error")
Huber = _loss_class("Huber", huber, "huber_loss", (("delta", 1.0),))
LogCosh = _loss_class("LogCosh", log_cosh, "log_cosh")
BinaryCrossentropy = _loss_class("BinaryCrossentropy", binary_crossentropy, "binary_crossentropy",
                                 (("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)))
CategoricalCrossentropy = _loss_class("CategoricalCrossentropy", categorical_crossentropy,
                                      "categorical_crossentropy",
                                      (("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)))
SparseCategoricalCrossentropy = _loss_class("SparseCategoricalCrossentropy", sparse_categorical_crossentropy,
                                            "sparse_categorical_crossentropy",
                                            (("from_logits", False), ("ignore_class", None), ("axis", -1)))
KLDivergence = _loss_class("KLDivergence", kl_divergence, "kl_divergence")
Poisson = _loss_class("Poisson", poisson, "poisson")
Hinge = _loss_class("Hinge", hinge, "hinge")
SquaredHinge = _loss_class("SquaredHinge", squared_hinge, "squared_hinge")
CategoricalHinge = _loss_class("CategoricalHinge", categorical_hinge, "categorical_hinge")
CosineSimilarity = _loss_class("CosineSimilarity", cosine_similarity, "cosine_similarity", (("axis", -1),))

_CLASSES = {c.__name__: c for c in (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Huber,
    LogCosh, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson,
    Hinge, SquaredHinge, CategoricalHinge, CosineSimilarity)}
_FUNCTIONS = {f.__name__: f for f in (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
    huber, log_cosh, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
    kl_divergence, poisson, hinge, squared_hinge, categorical_hinge, cosine_similarity)}
_FUNCTIONS.update(mse=mse, MSE=mse, mae=mae, MAE=mae, mape=mape, MAPE=mape, msle=msle, MSLE=msle, kld=kld,
                  KLD=kld, kullback_leibler_divergence=kld, logcosh=log_cosh)


_OBJECTS = {**_CLASSES, **_FUNCTIONS}
_reg.export("keras.losses", _OBJECTS)


def register(classes, functions):
    """Add a module's loss classes and functions to Keras's names (`get`, configs)."""
    _CLASSES.update(classes)
    _FUNCTIONS.update(functions)
    _OBJECTS.update(classes)
    _OBJECTS.update(functions)
    _reg.export("keras.losses", {**classes, **functions})


def get(identifier):
    """A loss function or object from a name (function or class name), a config dict, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        obj = _reg.get_registered_object(identifier, module_objects=_OBJECTS)
        if obj is None:
            raise ValueError(
                f"Could not interpret loss identifier: {identifier!r}. Known names: "
                f"{sorted(set(_FUNCTIONS) | set(_CLASSES))}"
            )
        return obj() if isinstance(obj, type) else obj
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def serialize(loss):
    """Keras's config of a loss object or function (see `keras.saving.serialize_keras_object`)."""
    return _lib.serialize_keras_object(loss)


def deserialize(config, custom_objects=None):
    """The loss a name or config dict describes."""
    if isinstance(config, str):
        with _reg.CustomObjectScope(custom_objects):
            return get(config)
    obj = _lib.deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_OBJECTS)
    return obj() if isinstance(obj, type) else obj


__all__ = sorted(_CLASSES) + sorted(_FUNCTIONS) + ["Loss", "LossFunctionWrapper", "get", "serialize",
                                                    "deserialize", "reduce_weighted_values"]
