"""keras.ops comparisons, logical and bitwise functions, where/select (keras/src/ops/numpy.py)."""

import torch

from kerascompat.backend.dtypes import _TORCH_DTYPES, result_type
from kerascompat.ops._convert import binary_tensors, convert, dtype_name


def equal(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.eq(x1, x2)


def not_equal(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.ne(x1, x2)


def greater(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.gt(x1, x2)


def greater_equal(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.ge(x1, x2)


def less(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.lt(x1, x2)


def less_equal(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.le(x1, x2)


def logical_and(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.logical_and(x1, x2)


def logical_or(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.logical_or(x1, x2)


def logical_xor(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.logical_xor(x1, x2)


def bitwise_and(x, y):
    x, y, _ = binary_tensors(x, y)
    return torch.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y, _ = binary_tensors(x, y)
    return torch.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y, _ = binary_tensors(x, y)
    return torch.bitwise_xor(x, y)


def bitwise_left_shift(x, y):
    x, y, _ = binary_tensors(x, y, weak=True)  # a Python int shift keeps x's dtype
    return torch.bitwise_left_shift(x, y)


left_shift = bitwise_left_shift


def bitwise_right_shift(x, y):
    x, y, _ = binary_tensors(x, y, weak=True)  # a Python int shift keeps x's dtype
    return torch.bitwise_right_shift(x, y)


right_shift = bitwise_right_shift


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2, dt = binary_tensors(x1, x2)
    if not (dt.is_floating_point or dt.is_complex):
        return torch.eq(x1, x2)
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return torch.all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def where(condition, x1=None, x2=None):
    condition = convert(condition)
    if x1 is None and x2 is None:
        return tuple(i.to(torch.int32) for i in torch.nonzero(condition, as_tuple=True))
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` or both should have non-None value.")
    x1, x2, _ = binary_tensors(x1, x2, weak=True)
    if condition.dtype != torch.bool:
        condition = condition.to(torch.bool)
    return torch.where(condition.to(x1.device), x1, x2)


def select(condlist, choicelist, default=0):
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError(
            "condlist and choicelist must be lists. Received: "
            f"type(condlist) = {type(condlist)}, type(choicelist) = {type(choicelist)}"
        )
    if len(condlist) != len(choicelist):
        raise ValueError(
            "condlist and choicelist must have the same length. Received: "
            f"len(condlist) = {len(condlist)}, len(choicelist) = {len(choicelist)}"
        )
    if not condlist:
        raise ValueError("condlist and choicelist must not be empty. Received: `condlist`=[]")
    choices = [convert(c) for c in choicelist]
    dt = _TORCH_DTYPES[result_type(*(c.dtype for c in choices), dtype_name(default) if isinstance(default, torch.Tensor) else type(default))]
    out = convert(default, dtype=dt, device=choices[0].device)
    for cond, choice in zip(reversed(condlist), reversed(choices)):
        out = torch.where(convert(cond).to(torch.bool), choice.to(dt), out)
    return out
