"""Pieces the layer families share: weight-argument handling and the layout-plan cache."""

import torch

from .. import constraints, initializers, regularizers

KERNEL_BIAS = ("kernel", "bias")
_WEIGHT_ARG_KINDS = (("initializer", initializers), ("regularizer", regularizers), ("constraint", constraints))


def set_weight_args(layer, weights=KERNEL_BIAS, **values):
    """Set `layer.<weight>_initializer`, `_regularizer` and `_constraint` for each weight name.

    `values` are the constructor's Keras arguments by name (`kernel_initializer=...`,
    `bias_constraint=...`); each is resolved with the family's `get`. Every one must be
    given, and no other: `weights=("kernel", "recurrent", "bias")` takes the nine
    arguments of a recurrent layer.
    """
    for kind, family in _WEIGHT_ARG_KINDS:
        for weight in weights:
            key = f"{weight}_{kind}"
            if key not in values:
                raise TypeError(f"set_weight_args: missing `{key}`.")
            setattr(layer, key, family.get(values.pop(key)))
    if values:
        raise TypeError(f"set_weight_args: unexpected arguments {sorted(values)}.")


def weight_args_config(layer, weights=KERNEL_BIAS):
    """The config entries of those arguments, in Keras's order (initializers, regularizers, constraints)."""
    return {f"{weight}_{kind}": family.serialize(getattr(layer, f"{weight}_{kind}"))
            for kind, family in _WEIGHT_ARG_KINDS for weight in weights}


class PlanCache:
    """Memo of how to run a layer's torch op for one input size (padding, crops, divisors).

    Eager calls compute a plan once per key and keep at most `maxsize` of them (the oldest
    goes first), so a layer fed many input sizes does not grow without bound. Under
    torch.compile the plan is computed in the traced code instead of read: reading a dict
    that the first call fills would make dynamo guard on its contents and recompile once.
    """

    __slots__ = ("compute", "maxsize", "_plans")

    def __init__(self, compute, maxsize=64):
        self.compute = compute
        self.maxsize = maxsize
        self._plans = {}

    def __call__(self, *key):
        if torch.compiler.is_compiling():
            return self.compute(*key)
        plans = self._plans
        plan = plans.get(key)
        if plan is None:
            plan = self.compute(*key)
            if len(plans) >= self.maxsize:
                del plans[next(iter(plans))]
            plans[key] = plan
        return plan

    def __len__(self):
        return len(self._plans)
