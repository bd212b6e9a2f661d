"""Converting op arguments to torch tensors the way Keras's TensorFlow backend converts them.

Torch tensors pass through; numpy arrays keep their dtype; Python ints become int32 (int64 only
when a value needs it), Python floats float32, as tf.convert_to_tensor makes them.
"""

import numpy as np
import torch

from kerascompat import backend as _backend
from kerascompat.backend.dtypes import _TORCH_DTYPES, _TORCH_NAMES, result_type
from kerascompat.backend.dtypes import to_torch_dtype as torch_dtype  # noqa: F401 (re-exported)

_INT32 = np.iinfo(np.int32)


def floatx_dtype():
    return _TORCH_DTYPES[_backend.floatx()]


def dtype_name(x):
    """Keras's dtype name of a tensor, or Python's type for a weak scalar (as result_type wants)."""
    if isinstance(x, torch.Tensor):
        return _TORCH_NAMES[x.dtype]
    return type(x)


def _from_numpy(a):
    if a.dtype == object or a.dtype.kind in "USO":
        raise TypeError(f"Cannot convert an array of dtype {a.dtype} to a tensor.")
    if not a.flags.writeable or a.dtype.byteorder == ">":
        a = np.array(a, dtype=a.dtype.newbyteorder("="))
    return torch.from_numpy(a)


def _python_array(x):
    a = np.asarray(x)
    if a.dtype == np.int64 and (a.size == 0 or (a.min() >= _INT32.min and a.max() <= _INT32.max)):
        a = a.astype(np.int32)
    elif a.dtype == np.float64:
        a = a.astype(np.float32)
    return _from_numpy(a)


def convert(x, dtype=None, device=None):
    """`x` as a torch tensor (Keras's convert_to_tensor), cast to `dtype` and moved to `device`."""
    if isinstance(x, torch.Tensor):
        t = x
    elif isinstance(x, (np.ndarray, np.generic)):
        t = _from_numpy(np.asarray(x))
    elif isinstance(x, bool):
        t = torch.tensor(x)
    elif isinstance(x, int):
        t = torch.tensor(x, dtype=torch.int32 if _INT32.min <= x <= _INT32.max else torch.int64)
    elif isinstance(x, float):
        t = torch.tensor(x, dtype=torch.float32)
    elif isinstance(x, (list, tuple)) and any(isinstance(e, torch.Tensor) for e in x):
        parts = [convert(e) for e in x]
        dt = torch_dtype(result_type(*(p.dtype for p in parts)))
        dev = next(p.device for p in parts if isinstance(p, torch.Tensor))
        t = torch.stack([p.to(device=dev, dtype=dt) for p in parts])
    elif hasattr(x, "__array__") and not isinstance(x, (list, tuple)):
        t = _from_numpy(np.asarray(x))
    else:
        t = _python_array(x)
    if dtype is not None:
        dt = torch_dtype(dtype)
        if t.dtype != dt:
            t = t.to(dt)
    if device is not None and t.device != device:
        t = t.to(device)
    return t


def is_scalar(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def device_of(*xs):
    for x in xs:
        if isinstance(x, torch.Tensor):
            return x.device
    return None


def binary(x1, x2, *extra, weak=True):
    """Both operands in their Keras result dtype (extra dtypes join the promotion).

    With `weak` (Keras's add, subtract, multiply, divide, power, maximum, ...) a Python int/float
    is a weak type (int8 + 1 is int8) and is returned as a Python number when the other operand
    is a tensor, so torch does not build a tensor for it. Without it (mod, arctan2, hypot, ...),
    Keras converts the number first: an int is int32, a float float32.
    """
    t1, t2 = isinstance(x1, torch.Tensor), isinstance(x2, torch.Tensor)
    if t1 and t2 and not extra:
        dt = x1.dtype
        if dt == x2.dtype and dt in _SAME_OK:  # the common case: nothing to promote
            return x1, x2, dt
    s1 = weak and not t1 and is_scalar(x1)
    s2 = weak and not t2 and is_scalar(x2)
    if not t1 and not s1:
        x1 = convert(x1)
    if not t2 and not s2:
        x2 = convert(x2)
    dt = promoted(x1.dtype if not s1 else type(x1), x2.dtype if not s2 else type(x2), *extra)
    if s1 and s2:
        return torch.tensor(x1, dtype=dt), torch.tensor(x2, dtype=dt), dt
    dev = x2.device if s1 else x1.device
    if s1:
        x1 = _scalar_for(x1, dt)
    elif x1.dtype != dt:
        x1 = x1.to(dt)
    if s2:
        x2 = _scalar_for(x2, dt)
    elif x2.dtype != dt or x2.device != dev:
        # A CPU operand (numpy array, list) joins the other's device; torch's own rules otherwise.
        x2 = x2.to(dtype=dt, device=dev) if x2.device.type == "cpu" and x2.ndim else x2.to(dt)
    if not s1 and not s2 and x1.device != x2.device and x1.device.type == "cpu" and x1.ndim:
        x1 = x1.to(x2.device)
    return x1, x2, dt


_PROMOTED = {}


def promoted(*kinds):
    """Keras's result dtype (a torch dtype) of torch dtypes and Python types (weak int/float)."""
    key = (_backend.floatx(),) + kinds
    dt = _PROMOTED.get(key)
    if dt is None:
        names = [_TORCH_NAMES[k] if isinstance(k, torch.dtype) else k for k in kinds]
        dt = _PROMOTED[key] = _TORCH_DTYPES[result_type(*names)]
    return dt


def binary_tensors(x1, x2, *extra, weak=False):
    """As `binary`, but both results are tensors (for torch functions that want tensors)."""
    x1, x2, dt = binary(x1, x2, *extra, weak=weak)
    if not isinstance(x1, torch.Tensor):
        x1 = torch.tensor(x1, dtype=dt, device=x2.device)
    if not isinstance(x2, torch.Tensor):
        x2 = torch.tensor(x2, dtype=dt, device=x1.device)
    return x1, x2, dt


def _scalar_for(value, dt):
    # The weak scalar takes the tensor's kind: 2.0 with an int result is 2 (int8 + 2.0 is float).
    if dt.is_floating_point or dt.is_complex:
        return float(value) if isinstance(value, int) else value
    if dt == torch.bool:
        return bool(value)
    return int(value)


# Same-dtype operands promote to themselves except the two the TensorFlow backend narrows.
_SAME_OK = frozenset(d for n, d in _TORCH_DTYPES.items() if n not in ("uint64", "complex128"))


def to_float(x):
    """`x` as a tensor of Keras's float result dtype for 'float' functions (sin, exp, sqrt, ...):
    floats and complex keep their dtype, ints and bools become floatx."""
    x = convert(x)
    if x.dtype.is_floating_point or x.dtype.is_complex:
        return x
    return x.to(floatx_dtype())


def axis_arg(axis):
    """Keras axis (None, int, list/tuple) as torch wants it for reductions (tuple or int)."""
    if axis is None or isinstance(axis, int):
        return axis
    return tuple(axis)


def shape_arg(shape):
    if isinstance(shape, int):
        return (shape,)
    if isinstance(shape, torch.Tensor):
        return tuple(int(s) for s in shape.tolist())
    return tuple(int(s) for s in shape)
