"""keras.ops tensor constructors (keras/src/ops/numpy.py) on torch.

Keras's defaults: a missing `dtype` is floatx for zeros/ones/full/eye/tri/identity/empty and the
windows, the input's dtype for the *_like functions, and the promoted dtype of the arguments
(Python numbers weak) for arange/linspace/logspace/geomspace.
"""

import numpy as np
import torch

from kerascompat.backend.dtypes import _TORCH_DTYPES, result_type
from kerascompat.ops._convert import convert, dtype_name, floatx_dtype, shape_arg, torch_dtype


def _dtype_or_floatx(dtype):
    return floatx_dtype() if dtype is None else torch_dtype(dtype)


def _like_dtype(x, dtype):
    return x.dtype if dtype is None else torch_dtype(dtype)


def _scalar_dtype(*values):
    return result_type(*(dtype_name(v) if isinstance(v, torch.Tensor) else (
        v.dtype if isinstance(v, (np.ndarray, np.generic)) else type(v)) for v in values if v is not None))


def zeros(shape, dtype=None):
    return torch.zeros(shape_arg(shape), dtype=_dtype_or_floatx(dtype))


def ones(shape, dtype=None):
    return torch.ones(shape_arg(shape), dtype=_dtype_or_floatx(dtype))


def empty(shape, dtype=None):
    return torch.empty(shape_arg(shape), dtype=_dtype_or_floatx(dtype))


def full(shape, fill_value, dtype=None):
    dt = _dtype_or_floatx(dtype)
    if isinstance(fill_value, (int, float, bool)):
        return torch.full(shape_arg(shape), fill_value, dtype=dt)
    value = convert(fill_value, dtype=dt)
    return torch.broadcast_to(value, shape_arg(shape)).clone()


def zeros_like(x, dtype=None):
    x = convert(x)
    return torch.zeros_like(x, dtype=_like_dtype(x, dtype))


def ones_like(x, dtype=None):
    x = convert(x)
    return torch.ones_like(x, dtype=_like_dtype(x, dtype))


def empty_like(x, dtype=None):
    x = convert(x)
    return torch.empty_like(x, dtype=_like_dtype(x, dtype))


def full_like(x, fill_value, dtype=None):
    x = convert(x)
    dt = _like_dtype(x, dtype)
    if isinstance(fill_value, (int, float, bool)):
        return torch.full_like(x, fill_value, dtype=dt)
    value = convert(fill_value, dtype=dt, device=x.device)
    return torch.broadcast_to(value, x.shape).clone()


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    dt = _dtype_or_floatx(dtype)
    return torch.ones(N, M, dtype=torch.bool).tril(k).triu(k).to(dt)


def identity(n, dtype=None):
    return torch.eye(n, dtype=_dtype_or_floatx(dtype))


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return torch.ones(N, M, dtype=torch.bool).tril(k).to(_dtype_or_floatx(dtype))


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        dtype = _scalar_dtype(start, stop, step)
    dt = torch_dtype(dtype)
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    start, stop, step = (v.item() if isinstance(v, (torch.Tensor, np.ndarray, np.generic)) else v
                         for v in (start, stop, step))
    if dt.is_floating_point or dt == torch.bool:
        return torch.arange(start, stop, step, dtype=torch.float64).to(dt)
    return torch.arange(start, stop, step, dtype=torch.int64).to(dt)


def _float_range_dtype(dtype, *values):
    if dtype is not None:
        return torch_dtype(dtype)
    return _TORCH_DTYPES[result_type(_scalar_dtype(*values), float)]


def _along(values, axis):
    # Stack positions along `axis` of the broadcast start/stop (axis 0 by default).
    return values if axis == 0 else torch.movedim(values, 0, axis)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if num < 0:
        raise ValueError(f"`num` must be a non-negative integer. Received: `num`={num}")
    out_dt = _float_range_dtype(dtype, start, stop)
    compute = torch.float64
    start_t = convert(start, dtype=compute)
    stop_t = convert(stop, dtype=compute, device=start_t.device)
    div = (num - 1) if endpoint else num
    step = (stop_t - start_t) / div if div > 0 else torch.full_like(stop_t - start_t, float("nan"))
    steps = torch.arange(num, dtype=compute, device=start_t.device).reshape((-1,) + (1,) * (stop_t - start_t).ndim)
    values = start_t + steps * step
    if endpoint and num > 1:
        values[-1] = stop_t
    if not (out_dt.is_floating_point or out_dt.is_complex):
        values = torch.floor(values)
    result = _along(values, axis).to(out_dt)
    if retstep:
        return result, step.to(out_dt if num > 1 or not endpoint else floatx_dtype())
    return result


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dt = _float_range_dtype(dtype, start, stop)
    exps = linspace(start, stop, num=num, endpoint=endpoint, dtype="float64", axis=axis)
    return torch.pow(torch.as_tensor(base, dtype=torch.float64), exps).to(dt)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dt = _float_range_dtype(dtype, start, stop)
    start_t = convert(start, dtype="float64")
    stop_t = convert(stop, dtype="float64")
    if bool(torch.any(start_t == 0)) or bool(torch.any(stop_t == 0)):
        raise ValueError("Geometric sequence cannot include zero. Received: `start` or `stop` equal to 0")
    sign = torch.where(start_t < 0, -1.0, 1.0).to(torch.float64)
    logs = linspace(torch.log10(torch.abs(start_t)), torch.log10(torch.abs(stop_t)), num=num,
                    endpoint=endpoint, dtype="float64", axis=0)
    values = sign * torch.pow(10.0, logs)
    if num > 0:
        values[0] = start_t
        if endpoint and num > 1:
            values[-1] = stop_t
    return _along(values, axis).to(dt)


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Valid values for `indexing` are 'xy' and 'ij'. Received: `indexing`={indexing!r}")
    # Each grid keeps its input's dtype (as numpy's), so torch.meshgrid's same-dtype rule is avoided.
    ts = [convert(v).reshape(-1) for v in x]
    sizes = [t.shape[0] for t in ts]
    positions = list(range(len(ts)))
    if indexing == "xy" and len(ts) >= 2:
        positions[0], positions[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for t, pos in zip(ts, positions):
        shape = [1] * len(ts)
        shape[pos] = -1
        grids.append(t.reshape(shape).expand(sizes))
    return grids


def array(x, dtype=None):
    return convert(x, dtype=dtype)


def view(x, dtype=None):
    x = convert(x)
    if dtype is None:
        return x
    return x.view(torch_dtype(dtype))


def vander(x, N=None, increasing=False):
    x = convert(x)
    if x.ndim != 1:
        raise ValueError(f"`x` must be a 1-D tensor. Received: `x`.ndim={x.ndim}")
    if N is not None and N < 0:
        raise ValueError(f"`N` must be a non-negative integer. Received: `N`={N}")
    return torch.vander(x, N=N, increasing=increasing).to(x.dtype)


def _window(M, fn):
    M = int(convert(M).item()) if not isinstance(M, int) else M
    if M < 1:
        return torch.zeros(0, dtype=floatx_dtype())
    if M == 1:
        return torch.ones(1, dtype=floatx_dtype())
    return fn(M).to(floatx_dtype())


def bartlett(x):
    return _window(x, lambda M: torch.bartlett_window(M, periodic=False, dtype=torch.float64))


def blackman(x):
    return _window(x, lambda M: torch.blackman_window(M, periodic=False, dtype=torch.float64))


def hamming(x):
    return _window(x, lambda M: torch.hamming_window(M, periodic=False, dtype=torch.float64))


def hanning(x):
    return _window(x, lambda M: torch.hann_window(M, periodic=False, dtype=torch.float64))


def kaiser(x, beta):
    return _window(x, lambda M: torch.kaiser_window(M, periodic=False, beta=float(beta), dtype=torch.float64))
