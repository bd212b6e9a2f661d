"""Keras weight constraints, and the way to apply them with any torch optimizer.

Keras projects a constrained weight after every optimizer update. With a torch
optimizer, attach the same behaviour in one line:

    kerascompat.constraints.attach(model, optimizer)

which registers a step post-hook calling `model.apply_constraints()` after every
`optimizer.step()`. A constraint sees the weight in Keras layout (a Dense kernel is
(in, out)), so `axis` means what it means in Keras.
"""

import torch

from ._registry import Configurable, lookup_functions

EPSILON = 1e-7


class Constraint(Configurable):
    def __call__(self, w):
        return w


def _norms(w, axis):
    return torch.sqrt(torch.sum(torch.square(w), dim=axis, keepdim=True))


class MaxNorm(Constraint):
    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (EPSILON + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    def __call__(self, w):
        return torch.clamp(w, min=0)


class UnitNorm(Constraint):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (EPSILON + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (EPSILON + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm

_BY_NAME = {"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm}
_CLASSES = {c.__name__: c for c in (Constraint, MaxNorm, NonNeg, UnitNorm, MinMaxNorm)}


get, serialize, deserialize = lookup_functions("constraint", Constraint, _BY_NAME, _CLASSES)


def attach(model, optimizer):
    """Apply `model`'s Keras constraints after every `optimizer.step()`, as Keras does.

    Returns the hook handle; `handle.remove()` detaches it.
    """
    return optimizer.register_step_post_hook(lambda *_: model.apply_constraints())


__all__ = sorted(_CLASSES) + sorted(_BY_NAME) + ["get", "serialize", "deserialize", "attach"]
