"""Keras weight regularizers on torch tensors.

A regularizer maps a tensor (in Keras layout) to a scalar penalty; `model.losses`
collects them so a torch loop can add `sum(model.losses)` to its loss.
"""

import math

import torch

from ._registry import Configurable, lookup_functions

EPSILON = 1e-7


def _validate_float_arg(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (float, int))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. Received: {name}={value!r}"
        )
    return float(value)


class Regularizer(Configurable):
    def __call__(self, x):
        return x.new_zeros(())


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _validate_float_arg(0.0 if l1 is None else l1, "l1")
        self.l2 = _validate_float_arg(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        penalty = x.new_zeros(())
        if self.l1:
            penalty = penalty + self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * torch.sum(torch.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    def __init__(self, l1=0.01):
        self.l1 = _validate_float_arg(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        return self.l1 * torch.sum(torch.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    def __init__(self, l2=0.01):
        self.l2 = _validate_float_arg(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        return self.l2 * torch.sum(torch.square(x))

    def get_config(self):
        return {"l2": self.l2}


def _l2_normalize(x, dim):
    inv_norm = torch.rsqrt(torch.sum(torch.square(x), dim=dim, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / EPSILON)


class OrthogonalRegularizer(Regularizer):
    """Penalises non-orthogonal rows (mode='rows') or columns of a rank-2 Keras-layout tensor."""

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _validate_float_arg(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"Invalid value for argument `mode`. Expected one of ['columns', 'rows']. Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x):
        if x.dim() != 2:
            raise ValueError(
                f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={tuple(x.shape)}"
            )
        if self.mode == "rows":
            x = _l2_normalize(x, 1)
            product, size = x @ x.T, x.shape[0]
        else:
            x = _l2_normalize(x, 0)
            product, size = x.T @ x, x.shape[1]
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * torch.sum(torch.abs(off_diagonal)) / num_pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer

_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}
_CLASSES = {c.__name__: c for c in (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)}


get, serialize, deserialize = lookup_functions("regularizer", Regularizer, _BY_NAME, _CLASSES)


__all__ = sorted(_CLASSES) + sorted(_BY_NAME) + ["get", "serialize", "deserialize"]
