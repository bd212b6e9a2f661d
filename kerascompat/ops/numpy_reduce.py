"""keras.ops reductions, scans and statistics (keras/src/ops/numpy.py) on torch.

Keras's result dtypes: sums/products of bool, int8 and int16 are int32 and of uint8/uint16 are
uint32; mean/var/std/quantile of ints and bools are floats; arg* and counts are int32.
"""

import builtins

import torch

from kerascompat.backend.dtypes import _TORCH_DTYPES, result_type
from kerascompat.ops._convert import axis_arg, convert, dtype_name, floatx_dtype, torch_dtype

_SUM_WIDENING = {
    torch.bool: torch.int32, torch.int8: torch.int32, torch.int16: torch.int32,
    torch.uint8: torch.int32 if not hasattr(torch, "uint32") else torch.uint32,
}
if hasattr(torch, "uint16"):
    _SUM_WIDENING[torch.uint16] = torch.uint32


def _all_axes(x, axis):
    if axis is None:
        return tuple(range(x.ndim))
    if isinstance(axis, int):
        return (axis,)
    return tuple(axis)


def _dims(axis):
    # torch's reductions take dim=None for all axes, an int or a tuple.
    return axis if axis is None or isinstance(axis, int) else tuple(axis)


def _mean_dtype(x):
    # Keras: result_type(x, float) -- ints and bools give floatx, floats keep their width.
    if x.dtype.is_floating_point or x.dtype.is_complex:
        return x.dtype
    return floatx_dtype()


def sum(x, axis=None, keepdims=False):
    x = convert(x)
    dt = _SUM_WIDENING.get(x.dtype)
    if dt is not None:
        x = x.to(dt) if dt != getattr(torch, "uint32", None) else x.to(torch.int64)
        out = torch.sum(x, dim=_dims(axis), keepdim=keepdims)
        return out.to(dt)
    return torch.sum(x, dim=_dims(axis), keepdim=keepdims, dtype=x.dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert(x)
    if dtype is not None:
        dt = torch_dtype(dtype)
    else:
        dt = _SUM_WIDENING.get(x.dtype, x.dtype)
    compute = torch.int64 if dt in (getattr(torch, "uint32", None),) else dt
    x = x.to(compute)
    if axis is None:
        out = torch.prod(x)
        if keepdims:
            out = out.reshape((1,) * x.ndim)
        return out.to(dt)
    out = x
    for a in sorted((a % x.ndim for a in _all_axes(x, axis)), reverse=True):
        out = torch.prod(out, dim=a, keepdim=keepdims)
    return out.to(dt)


def mean(x, axis=None, keepdims=False):
    x = convert(x)
    dt = _mean_dtype(x)
    if x.dtype in (torch.float16, torch.bfloat16):  # accumulate in float32 as TF does
        return torch.mean(x.to(torch.float32), dim=_dims(axis), keepdim=keepdims).to(dt)
    return torch.mean(x.to(dt), dim=_dims(axis), keepdim=keepdims)


def var(x, axis=None, keepdims=False):
    x = convert(x)
    dt = _mean_dtype(x)
    compute = torch.float32 if dt in (torch.float16, torch.bfloat16) else dt
    out = torch.var(x.to(compute), dim=_dims(axis), keepdim=keepdims, correction=0)
    return out.to(dt)


def std(x, axis=None, keepdims=False):
    x = convert(x)
    dt = _mean_dtype(x)
    compute = torch.float32 if dt in (torch.float16, torch.bfloat16) else dt
    out = torch.std(x.to(compute), dim=_dims(axis), keepdim=keepdims, correction=0)
    return out.to(dt)


def _extreme(x, axis, keepdims, initial, reduce, combine):
    x = convert(x)
    if x.dtype == torch.bool:
        out = _extreme(x.to(torch.int32), axis, keepdims, initial, reduce, combine)
        return out.to(torch.bool)
    if x.numel() == 0 and initial is None:
        raise ValueError("Cannot compute the max/min of an empty tensor without `initial`.")
    out = reduce(x, dim=_all_axes(x, axis), keepdim=keepdims) if x.numel() else None
    if initial is not None:
        init = torch.as_tensor(initial, dtype=x.dtype, device=x.device)
        out = init.expand(_reduced_shape(x, axis, keepdims)) if out is None else combine(out, init)
    return out


def _reduced_shape(x, axis, keepdims):
    axes = {a % x.ndim for a in _all_axes(x, axis)}
    if keepdims:
        return tuple(1 if i in axes else s for i, s in enumerate(x.shape))
    return tuple(s for i, s in enumerate(x.shape) if i not in axes)


def max(x, axis=None, keepdims=False, initial=None):
    return _extreme(x, axis, keepdims, initial, torch.amax, torch.maximum)


def min(x, axis=None, keepdims=False, initial=None):
    return _extreme(x, axis, keepdims, initial, torch.amin, torch.minimum)


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    x = convert(x)
    dim = _all_axes(x, axis)
    return torch.amax(x, dim=dim, keepdim=keepdims) - torch.amin(x, dim=dim, keepdim=keepdims)


def all(x, axis=None, keepdims=False):
    x = convert(x)
    return torch.all(x.to(torch.bool) if x.dtype != torch.bool else x, dim=_dims(axis), keepdim=keepdims)


def any(x, axis=None, keepdims=False):
    x = convert(x)
    return torch.any(x.to(torch.bool) if x.dtype != torch.bool else x, dim=_dims(axis), keepdim=keepdims)


def _arg(x, axis, keepdims, fn):
    x = convert(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        out = fn(x.reshape(-1))
        if keepdims:
            out = out.reshape((1,) * x.ndim)
    else:
        out = fn(x, dim=axis, keepdim=keepdims)
    return out.to(torch.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg(x, axis, keepdims, torch.argmax)


def argmin(x, axis=None, keepdims=False):
    return _arg(x, axis, keepdims, torch.argmin)


def _nan_filled(x, fill):
    x = convert(x)
    if x.dtype.is_floating_point:
        return torch.where(torch.isnan(x), torch.as_tensor(fill, dtype=x.dtype, device=x.device), x)
    return x


def nanargmax(x, axis=None, keepdims=False):
    return argmax(_nan_filled(x, -float("inf")), axis=axis, keepdims=keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return argmin(_nan_filled(x, float("inf")), axis=axis, keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    x = convert(x)
    if not x.dtype.is_floating_point:
        return max(x, axis=axis, keepdims=keepdims)
    out = max(_nan_filled(x, -float("inf")), axis=axis, keepdims=keepdims)
    allnan = all(torch.isnan(x), axis=axis, keepdims=keepdims)
    return torch.where(allnan, torch.full_like(out, float("nan")), out)


def nanmin(x, axis=None, keepdims=False):
    x = convert(x)
    if not x.dtype.is_floating_point:
        return min(x, axis=axis, keepdims=keepdims)
    out = min(_nan_filled(x, float("inf")), axis=axis, keepdims=keepdims)
    allnan = all(torch.isnan(x), axis=axis, keepdims=keepdims)
    return torch.where(allnan, torch.full_like(out, float("nan")), out)


def nansum(x, axis=None, keepdims=False):
    return sum(_nan_filled(x, 0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_nan_filled(x, 1), axis=axis, keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = convert(x)
    if not x.dtype.is_floating_point:
        return mean(x, axis=axis, keepdims=keepdims)
    valid = ~torch.isnan(x)
    total = sum(torch.where(valid, x, torch.zeros((), dtype=x.dtype, device=x.device)), axis, keepdims)
    count = sum(valid, axis, keepdims).to(x.dtype)
    return total / count


def nanvar(x, axis=None, keepdims=False):
    x = convert(x)
    if not x.dtype.is_floating_point:
        return var(x, axis=axis, keepdims=keepdims)
    valid = ~torch.isnan(x)
    m = nanmean(x, axis=axis, keepdims=True)
    squares = torch.where(valid, torch.square(x - m), torch.zeros((), dtype=x.dtype, device=x.device))
    return sum(squares, axis, keepdims) / sum(valid, axis, keepdims).to(x.dtype)


def nanstd(x, axis=None, keepdims=False):
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def cumsum(x, axis=None, dtype=None):
    x = convert(x, dtype=dtype)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumsum(x, dim=axis, dtype=x.dtype)


def cumprod(x, axis=None, dtype=None):
    x = convert(x, dtype=dtype)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumprod(x, dim=axis, dtype=x.dtype)


def nancumsum(x, axis=None, dtype=None):
    return cumsum(_nan_filled(convert(x, dtype=dtype), 0), axis=axis)


def nancumprod(x, axis=None, dtype=None):
    return cumprod(_nan_filled(convert(x, dtype=dtype), 1), axis=axis)


def count_nonzero(x, axis=None):
    x = convert(x)
    return torch.count_nonzero(x, dim=axis_arg(axis)).to(torch.int32)


def average(x, axis=None, weights=None):
    x = convert(x)
    if weights is None:
        return mean(x, axis=axis)
    weights = convert(weights, device=x.device)
    dt = _TORCH_DTYPES[result_type(dtype_name(x), dtype_name(weights), float)]
    x, weights = x.to(dt), weights.to(dt)
    if weights.shape == x.shape:
        return torch.sum(x * weights, dim=_all_axes(x, axis)) / torch.sum(weights, dim=_all_axes(x, axis))
    if axis is None or weights.ndim != 1:
        raise ValueError(
            "`weights` must have the shape of `x`, or be 1-D along `axis`. Received: "
            f"`x` shape={tuple(x.shape)}, `weights` shape={tuple(weights.shape)}, `axis`={axis}"
        )
    shape = [1] * x.ndim
    shape[axis] = -1
    return torch.sum(x * weights.reshape(shape), dim=axis) / torch.sum(weights)


_METHODS = {"linear", "lower", "higher", "midpoint", "nearest"}


def _quantile(x, q, axis, method, keepdims, reduce):
    """quantile / nanquantile: `reduce` (torch.quantile or torch.nanquantile) over the flattened
    `axis` (all axes for None), in float32 (float64 for float64 inputs)."""
    if method not in _METHODS:
        raise ValueError(
            f"Invalid value for `method`. Expected one of {sorted(_METHODS)}. Received: `method`={method!r}"
        )
    x = convert(x)
    dt = _mean_dtype(x)
    compute = torch.float64 if dt == torch.float64 else torch.float32
    x = x.to(compute)
    q = convert(q, dtype=compute, device=x.device)
    axes = _all_axes(x, axis)
    axes = tuple(sorted({a % builtins.max(x.ndim, 1) for a in axes})) if x.ndim else ()
    rest = [i for i in range(x.ndim) if i not in axes]
    flat = x.permute(*rest, *axes).reshape(*[x.shape[i] for i in rest], -1)
    out = reduce(flat, q, dim=-1, interpolation=method)
    if keepdims:
        shape = [1 if i in axes else s for i, s in enumerate(x.shape)]
        out = out.reshape(*q.shape, *shape)
    return out.to(dt)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, torch.quantile)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    q = convert(q)
    return quantile(x, q / 100.0, axis=axis, method=method, keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(x, q, axis, method, keepdims, torch.nanquantile)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    q = convert(q)
    return nanquantile(x, q / 100.0, axis=axis, method=method, keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert(x)
    dt = _SUM_WIDENING.get(x.dtype, x.dtype)
    d = torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2)
    compute = torch.int64 if dt == getattr(torch, "uint32", None) else dt
    return torch.sum(d.to(compute), dim=-1).to(dt)
