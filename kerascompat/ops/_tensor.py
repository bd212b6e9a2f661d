"""Turning what a keras.ops function receives into torch tensors, as Keras's torch backend does.

Python floats become `floatx()` (float32), Python ints int32 (int64 when they do not fit),
bools bool; numpy arrays keep their dtype; torch tensors are used as they are. A result lives
on the device of the first torch tensor among the inputs (CPU when there is none).
"""

import numpy as np
import torch

_NAMES = {
    torch.float16: "float16", torch.bfloat16: "bfloat16", torch.float32: "float32", torch.float64: "float64",
    torch.uint8: "uint8", torch.int8: "int8", torch.int16: "int16", torch.int32: "int32", torch.int64: "int64",
    torch.bool: "bool", torch.complex64: "complex64", torch.complex128: "complex128",
}
_TORCH = {name: dt for dt, name in _NAMES.items()}
_TORCH.update({"float": torch.float32, "int": torch.int32, "double": torch.float64, "half": torch.float16})
for _extra in ("uint16", "uint32", "uint64"):
    if hasattr(torch, _extra):
        _NAMES[getattr(torch, _extra)] = _extra
        _TORCH[_extra] = getattr(torch, _extra)


def dtype_name(dtype):
    """Keras's name ('float32', 'int64', ...) of a torch/numpy dtype or a name."""
    if isinstance(dtype, torch.dtype):
        return _NAMES[dtype]
    if isinstance(dtype, str) and dtype in _TORCH:
        return _NAMES[_TORCH[dtype]]
    if dtype is float:
        return _floatx()
    if dtype is int:
        return "int32"
    if dtype is bool:
        return "bool"
    name = np.dtype(getattr(dtype, "name", dtype)).name
    if name not in _TORCH:
        raise ValueError(f"Invalid dtype: {dtype!r}")
    return name


def torch_dtype(dtype):
    """The torch dtype for a Keras dtype name, numpy dtype or torch dtype (None stays None)."""
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    return _TORCH[dtype_name(dtype)]


def _floatx():
    from ..backend import floatx

    return floatx()


def _python_dtype(x):
    if isinstance(x, bool):
        return torch.bool
    if isinstance(x, int):
        return torch.int64 if x < -(2 ** 31) or x >= 2 ** 31 else torch.int32
    if isinstance(x, float):
        return _TORCH[_floatx()]
    if isinstance(x, complex):
        return torch.complex64
    return None


def _leaves(x):
    if isinstance(x, (list, tuple)):
        for item in x:
            yield from _leaves(item)
    else:
        yield x


def to_tensor(x, dtype=None, device=None):
    """A torch tensor for `x` with Keras's dtype rules (see the module docstring)."""
    dt = torch_dtype(dtype)
    if isinstance(x, torch.Tensor):
        if device is not None and x.device != torch.device(device):
            x = x.to(device)
        return x if dt is None or x.dtype == dt else x.to(dt)
    if isinstance(x, (bool, int, float, complex)):
        return torch.tensor(x, dtype=dt or _python_dtype(x), device=device)
    if isinstance(x, (list, tuple)):
        leaves = list(_leaves(x))
        if any(isinstance(v, torch.Tensor) for v in leaves):
            return torch.stack([to_tensor(v, dt, device) for v in x])
        if dt is None and leaves and all(isinstance(v, (bool, int, float, complex)) for v in leaves):
            kinds = {_python_dtype(v) for v in leaves}
            for candidate in (torch.complex64, _TORCH[_floatx()], torch.int64, torch.int32, torch.bool):
                if candidate in kinds:
                    dt = candidate
                    break
        x = np.asarray(x)
    elif not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.dtype == object:
        raise TypeError(f"Cannot convert {type(x).__name__} to a tensor. Received: x={x!r}")
    if dt is None and x.dtype.name not in _TORCH:
        raise TypeError(f"Unsupported dtype {x.dtype}.")
    return torch.as_tensor(x, dtype=dt, device=device)


def device_of(*values):
    """The device of the first torch tensor among `values` (nested lists looked into), else None."""
    for v in _leaves(values):
        if isinstance(v, torch.Tensor):
            return v.device
    return None


def tensors(*values):
    """Convert every value, placing them all on the device of the first torch tensor."""
    device = device_of(*values)
    return [None if v is None else to_tensor(v, device=device) for v in values]


def is_float(x):
    return x.dtype.is_floating_point


def float_tensor(x, device=None):
    """A float tensor: ints and bools become floatx(), as Keras's float-only ops do."""
    x = to_tensor(x, device=device)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(_TORCH[_floatx()])
    return x


def canonical_axis(axis, ndim, argname="axis"):
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"`{argname}` must be an int. Received: `{argname}`={axis!r}")
    if not -ndim <= axis < max(ndim, 1):
        raise ValueError(f"`{argname}` is out of bounds for a tensor of rank {ndim}. Received: `{argname}`={axis}")
    return axis % max(ndim, 1)
