"""keras.ops shape and indexing functions (keras/src/ops/numpy.py) on torch."""

import builtins

import numpy as np
import torch

from kerascompat.backend.dtypes import _TORCH_DTYPES, result_type
from kerascompat.ops._convert import convert, shape_arg


def _joined(xs):
    """Tensors of one promoted dtype on one device (for concatenate/stack/...)."""
    ts = [convert(x) for x in xs]
    if not ts:
        raise ValueError("Need at least one tensor to join. Received: `xs`=[]")
    dt = ts[0].dtype
    if builtins.any(t.dtype != dt for t in ts):
        dt = _TORCH_DTYPES[result_type(*(t.dtype for t in ts))]
    dev = ts[0].device
    return [t if t.dtype == dt and t.device == dev else t.to(dtype=dt, device=dev) for t in ts]


def reshape(x, newshape):
    x = convert(x)
    if isinstance(newshape, (tuple, list)) and any(d is None for d in newshape):
        newshape = _sizes_from_input(x, newshape)
    return torch.reshape(x, shape_arg(newshape))


def _sizes_from_input(x, newshape):
    """A None in a new shape is a size a functional model took from `ops.shape(x)` of a symbolic
    tensor (`ops.reshape(x, (ops.shape(x)[0], -1, 4))`): the input's size on that axis."""
    if len(newshape) > x.ndim and any(d is None for d in newshape[x.ndim:]):
        raise ValueError("reshape: a None size in `newshape` stands for the input's size on the same axis, and the "
                         f"input has only {x.ndim} axes. Received: `newshape`={tuple(newshape)}")
    return tuple(x.shape[i] if d is None else d for i, d in enumerate(newshape))


def transpose(x, axes=None):
    x = convert(x)
    if axes is None:
        return x.permute(*range(x.ndim - 1, -1, -1))
    return x.permute(*axes)


def expand_dims(x, axis):
    x = convert(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    ndim = x.ndim + len(axes)
    shape = list(x.shape)
    for a in sorted(a % ndim for a in axes):
        shape.insert(a, 1)
    return x.reshape(shape)


def squeeze(x, axis=None):
    x = convert(x)
    if axis is None:
        return torch.squeeze(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a}, because the dimension is not 1. Received: `axis`={axis}")
    return torch.squeeze(x, dim=axes)


def ravel(x):
    return torch.ravel(convert(x))


def broadcast_to(x, shape):
    return torch.broadcast_to(convert(x), shape_arg(shape))


def moveaxis(x, source, destination):
    return torch.movedim(convert(x), source, destination)


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(convert(x), axis1, axis2)


def concatenate(xs, axis=0):
    ts = _joined(xs)
    if axis is None:
        return torch.cat([t.reshape(-1) for t in ts])
    return torch.cat(ts, dim=axis)


def append(x1, x2, axis=None):
    x1, x2 = _joined([x1, x2])
    if axis is None:
        return torch.cat([x1.reshape(-1), x2.reshape(-1)])
    return torch.cat([x1, x2], dim=axis)


def stack(x, axis=0):
    return torch.stack(_joined(x), dim=axis)


def hstack(xs):
    return torch.hstack(_joined(xs))


def vstack(xs):
    return torch.vstack(_joined(xs))


def dstack(xs):
    return torch.dstack(_joined(xs))


def split(x, indices_or_sections, axis=0):
    x = convert(x)
    if isinstance(indices_or_sections, int):
        if x.shape[axis] % indices_or_sections:
            raise ValueError(
                "array split does not result in an equal division. Received: "
                f"`indices_or_sections`={indices_or_sections}, axis size {x.shape[axis]}"
            )
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, list(indices_or_sections), dim=axis))


def array_split(x, indices_or_sections, axis=0):
    if not isinstance(indices_or_sections, int) or isinstance(indices_or_sections, bool):
        raise TypeError(
            "Argument `indices_or_sections` must be of type `int`. "
            f"Received: `indices_or_sections`={indices_or_sections!r}"
        )
    if indices_or_sections <= 0:
        raise ValueError(
            "Argument `indices_or_sections` must be a positive integer. "
            f"Received: `indices_or_sections`={indices_or_sections}"
        )
    return list(torch.tensor_split(convert(x), indices_or_sections, dim=axis))


def hsplit(x, indices_or_sections):
    x = convert(x)
    return split(x, indices_or_sections, axis=0 if x.ndim == 1 else 1)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=2)


def flip(x, axis=None):
    x = convert(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    elif isinstance(axis, int):
        axis = (axis,)
    return torch.flip(x, dims=tuple(axis))


def fliplr(x):
    return torch.fliplr(convert(x))


def flipud(x):
    return torch.flipud(convert(x))


def rot90(array, k=1, axes=(0, 1)):
    x = convert(array)
    if x.ndim < 2:
        raise ValueError(f"Input array must have at least 2 dimensions. Received: `array`.ndim={x.ndim}")
    if len(axes) != 2 or axes[0] % x.ndim == axes[1] % x.ndim:
        raise ValueError(f"Invalid axes: {axes}. Axes must be a tuple of two different dimensions.")
    return torch.rot90(x, k, dims=tuple(axes))


def roll(x, shift, axis=None):
    x = convert(x)
    if axis is None:
        return torch.roll(x.reshape(-1), shift).reshape(x.shape)
    return torch.roll(x, shift, dims=axis)


def tile(x, repeats):
    x = convert(x)
    return torch.tile(x, (repeats,) if isinstance(repeats, int) else tuple(repeats))


def repeat(x, repeats, axis=None):
    x = convert(x)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = convert(repeats, dtype="int64", device=x.device)
    elif isinstance(repeats, torch.Tensor):
        repeats = repeats.to(device=x.device, dtype=torch.int64)
    return torch.repeat_interleave(x, repeats, dim=axis)


def take(x, indices, axis=None):
    x = convert(x)
    indices = convert(indices, device=x.device).long()
    if axis is None:
        x, axis = x.reshape(-1), 0
    size = x.shape[axis]
    indices = torch.where(indices < 0, indices + size, indices)
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(*x.shape[:axis % x.ndim], *indices.shape, *x.shape[axis % x.ndim + 1:])


def take_along_axis(x, indices, axis=None):
    x = convert(x)
    indices = convert(indices, device=x.device).long()
    if axis is None:
        x, axis = x.reshape(-1), 0
    indices = torch.where(indices < 0, indices + x.shape[axis], indices)
    shape = list(torch.broadcast_shapes(
        x.shape[:axis % x.ndim] + (1,) + x.shape[axis % x.ndim + 1:],
        indices.shape[:axis % x.ndim] + (1,) + indices.shape[axis % x.ndim + 1:],
    ))
    xs = list(shape)
    xs[axis % x.ndim] = x.shape[axis]
    ids = list(shape)
    ids[axis % x.ndim] = indices.shape[axis]
    return torch.gather(x.expand(xs), axis, indices.expand(ids))


def get_item(x, key):
    if type(key) is list:  # a tuple key that went through a JSON config (Keras reads it as a tuple)
        key = tuple(key)
    return convert(x)[key]


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(convert(x), offset=offset, dim1=axis1, dim2=axis2)


def diag(x, k=0):
    x = convert(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"`x` must be 1d or 2d. Received: `x`.shape={tuple(x.shape)}")
    return torch.diag(x, k)


def diagflat(x, k=0):
    return torch.diagflat(convert(x), offset=k)


def tril(x, k=0):
    return torch.tril(convert(x), diagonal=k)


def triu(x, k=0):
    return torch.triu(convert(x), diagonal=k)


_TORCH_PAD_MODES = {"edge": "replicate", "reflect": "reflect", "wrap": "circular", "circular": "circular"}
_STAT_PAD_MODES = ("maximum", "minimum", "mean", "median")
PAD_MODES = ("constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect",
             "symmetric", "wrap", "empty", "circular")


def _pad_widths(pad_width, ndim):
    """numpy's pad_width forms -- int, (pad,), ((before, after),), one pair per axis -- as (ndim, 2)."""
    widths = np.asarray(pad_width, dtype=np.int64)
    if widths.size == 1:
        widths = np.full((1, 2), int(widths.reshape(-1)[0]))
    try:
        return np.broadcast_to(widths.reshape(-1, 2), (ndim, 2))
    except ValueError:
        raise ValueError(
            f"`pad_width` must be an int, a pair or one pair per axis ({ndim}). Received: `pad_width`={pad_width!r}"
        )


def pad(x, pad_width, mode="constant", constant_values=None):
    if mode not in PAD_MODES:
        raise ValueError(f"`mode` must be one of {PAD_MODES}. Received: `mode`={mode!r}")
    if constant_values is not None and mode != "constant":
        raise ValueError(
            "Argument `constant_values` can only be provided when `mode == 'constant'`. "
            f"Received: `mode`={mode!r}"
        )
    x = convert(x)
    widths = _pad_widths(pad_width, x.ndim)
    if (widths < 0).any():
        raise ValueError(f"`pad_width` cannot contain negative values. Received: `pad_width`={pad_width!r}")
    if mode in ("constant", "empty"):  # 'empty' leaves the padding undefined: zeros are as good as any
        flat = [int(v) for pair in widths[::-1] for v in pair]
        value = 0 if constant_values is None else constant_values
        return torch.nn.functional.pad(x, flat, mode="constant", value=value)
    out = x
    for axis in range(x.ndim):  # numpy pads one axis after the other
        lo, hi = (int(v) for v in widths[axis])
        if lo or hi:
            out = _pad_axis(out, axis, lo, hi, mode)
    return out


def _pad_axis(x, axis, lo, hi, mode):
    if mode in _TORCH_PAD_MODES:
        # torch pads only the last axes of a batched tensor: move `axis` last and batch the rest.
        moved = x.movedim(axis, -1)
        shape = moved.shape
        padded = torch.nn.functional.pad(moved.reshape(1, -1, shape[-1]), (lo, hi), mode=_TORCH_PAD_MODES[mode])
        return padded.reshape(*shape[:-1], -1).movedim(-1, axis)
    n = x.shape[axis]
    if mode == "symmetric":
        before = torch.flip(x.narrow(axis, 0, lo), (axis,))
        after = torch.flip(x.narrow(axis, n - hi, hi), (axis,))
    elif mode == "linear_ramp":  # from 0 at the outer edge towards the edge value, as numpy's default end_values
        before = _ramp(x.narrow(axis, 0, 1), lo, axis, reverse=False)
        after = _ramp(x.narrow(axis, n - 1, 1), hi, axis, reverse=True)
    else:
        stat = _pad_stat(x, axis, mode)
        before, after = stat.expand(*_sized(x.shape, axis, lo)), stat.expand(*_sized(x.shape, axis, hi))
    return torch.cat([before, x, after], dim=axis)


def _sized(shape, axis, size):
    shape = list(shape)
    shape[axis] = size
    return shape


def _ramp(edge, width, axis, reverse):
    steps = torch.arange(width, dtype=torch.float64, device=edge.device) / max(width, 1)
    if reverse:
        steps = torch.flip(steps, (0,))
    steps = steps.reshape(_sized([1] * edge.ndim, axis, width))
    values = edge.to(torch.float64) * steps
    if not edge.dtype.is_floating_point:
        values = torch.trunc(values)  # numpy casts the float ramp back, truncating
    return values.to(edge.dtype)


def _pad_stat(x, axis, mode):
    if mode == "maximum":
        return torch.amax(x, dim=axis, keepdim=True)
    if mode == "minimum":
        return torch.amin(x, dim=axis, keepdim=True)
    values = x.to(torch.float64)
    if mode == "mean":
        stat = torch.mean(values, dim=axis, keepdim=True)
    else:
        stat = torch.quantile(values.movedim(axis, -1), 0.5, dim=-1, keepdim=True).movedim(-1, axis)
    if not x.dtype.is_floating_point:
        stat = torch.round(stat)  # numpy rounds the statistic for integer arrays
    return stat.to(x.dtype)


def ndim(x):
    return convert(x).ndim


def size(x):
    x = convert(x)
    return torch.tensor(x.numel(), dtype=torch.int32, device=x.device)
