"""Keras's focal crossentropies, Dice and Tversky losses (functions and classes)."""

import torch

from . import base
from .base import EPSILON, LossFunctionWrapper, _floats, binary_crossentropy


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                              label_smoothing=0.0, axis=-1):
    """Binary crossentropy scaled by `(1 - p_t) ** gamma` (and by `alpha` / `1 - alpha` per
    class with `apply_class_balancing`); the mean over `axis`."""
    y_true, y_pred = _floats(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    p = torch.clamp(y_pred, EPSILON, 1.0 - EPSILON)
    bce = -(y_true * torch.log(p) + (1 - y_true) * torch.log(1 - p))
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return torch.mean(focal, dim=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    """Categorical crossentropy scaled by `alpha * (1 - p) ** gamma`, summed over `axis`."""
    if isinstance(axis, bool):
        raise TypeError(f"`axis` must be of type `int`. Received: `axis`={axis!r}")
    y_true, y_pred = _floats(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    output = torch.clamp(y_pred / torch.sum(y_pred, dim=axis, keepdim=True), EPSILON, 1.0 - EPSILON)
    return torch.sum(alpha * torch.pow(1.0 - output, gamma) * (-y_true * torch.log(output)), dim=axis)


def _axes(axis, tensor):
    return tuple(range(tensor.dim())) if axis is None else axis


def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)` over `axis`
    (all axes by default)."""
    y_true, y_pred = _floats(y_true, y_pred)
    axes = _axes(axis, y_pred)
    intersection = torch.sum(y_true * y_pred, dim=axes)
    return 1 - 2.0 * intersection / (torch.sum(y_true, dim=axes) + torch.sum(y_pred, dim=axes) + EPSILON)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - TP / (TP + alpha * FP + beta * FN + epsilon)` over `axis` (all axes by default)."""
    y_true, y_pred = _floats(y_true, y_pred)
    axes = _axes(axis, y_pred)
    intersection = torch.sum(y_true * y_pred, dim=axes)
    fp = torch.sum((1 - y_pred) * y_true, dim=axes)
    fn = torch.sum(y_pred * (1 - y_true), dim=axes)
    return 1 - intersection / (intersection + fp * alpha + fn * beta + EPSILON)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Class form of `binary_focal_crossentropy`."""

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size", name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Class form of `categorical_focal_crossentropy`."""

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name, dtype=dtype, alpha=alpha,
                         gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class Dice(LossFunctionWrapper):
    """Class form of `dice`."""

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)


class Tversky(LossFunctionWrapper):
    """Class form of `tversky`."""

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha, beta=beta, axis=axis)


CLASSES = {c.__name__: c for c in (BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Dice, Tversky)}
FUNCTIONS = {f.__name__: f for f in (binary_focal_crossentropy, categorical_focal_crossentropy, dice, tversky)}
base.register(CLASSES, FUNCTIONS)
