"""keras.ops core functions (keras/src/ops/core.py): conversion, indexing and control flow.

Control flow runs as plain Python over torch tensors (eager, like Keras's torch backend),
so torch.compile sees through it; nested structures follow keras.tree's rules.
"""

import builtins

import numpy as np
import torch

from .. import _tree
from ._tensor import dtype_name, tensors, to_tensor, torch_dtype


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A torch tensor with Keras's dtype rules (Python float -> floatx, int -> int32)."""
    if sparse:
        raise NotImplementedError("Sparse tensors are not supported by kerascompat. Received: `sparse`=True")
    if ragged:
        raise NotImplementedError("Ragged tensors are not supported by kerascompat. Received: `ragged`=True")
    return to_tensor(x, dtype=dtype)


def convert_to_numpy(x):
    """A numpy array (bfloat16 becomes float32: numpy has no bfloat16)."""
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.cpu().numpy() if x.device.type != "cpu" else x.numpy().copy()
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def shape(x):
    """The static shape as a tuple of ints."""
    return tuple(x.shape) if hasattr(x, "shape") else tuple(np.shape(x))


def dtype(x):
    """Keras's dtype name of `x` ('float32', 'int32', ...)."""
    if isinstance(x, torch.Tensor) or hasattr(x, "dtype"):
        return dtype_name(x.dtype)
    return dtype_name(to_tensor(x).dtype)


def cast(x, dtype):
    return to_tensor(x).to(torch_dtype(dtype))


def _limits(dt):
    if dt == torch.bool:
        return 0, 1
    info = torch.finfo(dt) if dt.is_floating_point else torch.iinfo(dt)
    return info.min, info.max


def saturate_cast(x, dtype):
    """Cast with values clipped to the target dtype's range (no wrap-around, no inf from overflow)."""
    x = to_tensor(x)
    target = torch_dtype(dtype)
    lo, hi = _limits(target)
    src_lo, src_hi = _limits(x.dtype)
    if x.dtype.is_floating_point and not target.is_floating_point:
        # Clip in float64 where the integer bounds are exact enough, then step inside them.
        y = x.double().clamp(lo, hi)
        y = torch.where(y >= float(hi), torch.tensor(float(hi) - (1024.0 if hi > 2 ** 53 else 0.0),
                                                     dtype=torch.float64, device=x.device), y)
        return y.to(target)
    if lo > src_lo or hi < src_hi:
        x = x.clamp(max(lo, src_lo), min(hi, src_hi))
    return x.to(target)


def stop_gradient(variable):
    return to_tensor(variable).detach()


def unstack(x, num=None, axis=0):
    x = to_tensor(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"`num` must equal the size of axis {axis} ({x.shape[axis]}). Received: `num`={num}")
    return list(torch.unbind(x, dim=axis))


def scatter(indices, values, shape):
    """Zeros of `shape` with `values` added at `indices` (N, k); duplicates add up, as in TensorFlow."""
    indices, values = tensors(indices, values)
    out = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    index = tuple(indices.long().reshape(-1, indices.shape[-1]).T)
    return out.index_put(index, values.reshape(-1, *out.shape[indices.shape[-1]:]), accumulate=True)


def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of `inputs` with the slices at `indices` (N, k) replaced by `updates`, or combined with
    them by `reduction` ('add', 'max', 'min', 'mul')."""
    if reduction not in (None, "add", "max", "min", "mul"):
        raise ValueError("`reduction` must be one of None, 'add', 'max', 'min', 'mul'. "
                         f"Received: `reduction`={reduction!r}")
    inputs, indices, updates = tensors(inputs, indices, updates)
    k = indices.shape[-1]
    index = indices.long().reshape(-1, k)
    updates = updates.to(inputs.dtype).reshape(-1, *inputs.shape[k:])
    if reduction is None:
        return inputs.index_put(tuple(index.T), updates)
    if reduction == "add":
        return inputs.index_put(tuple(index.T), updates, accumulate=True)
    strides = torch.tensor([int(torch.tensor(inputs.shape[i + 1:k]).prod()) for i in range(k)], device=index.device)
    flat_index = (index * strides).sum(-1)
    flat = inputs.reshape(-1, *inputs.shape[k:])
    target = flat_index.reshape(-1, *([1] * (updates.ndim - 1))).expand_as(updates)
    op = {"max": "amax", "min": "amin", "mul": "prod"}[reduction]
    return flat.scatter_reduce(0, target, updates, op, include_self=True).reshape(inputs.shape)


def _starts(start_indices):
    if isinstance(start_indices, torch.Tensor):
        return [int(s) for s in start_indices.tolist()]
    return [int(s) for s in start_indices]


def slice(inputs, start_indices, shape):  # noqa: A001 (Keras's name)
    """inputs[start:start + size] on every axis."""
    inputs = to_tensor(inputs)
    starts, sizes = _starts(start_indices), [int(s) for s in shape]
    if len(starts) != inputs.ndim or len(sizes) != inputs.ndim:
        raise ValueError(f"`start_indices` and `shape` must have {inputs.ndim} entries. "
                         f"Received: start_indices={start_indices!r}, shape={shape!r}")
    return inputs[tuple(builtins.slice(s, s + n) for s, n in zip(starts, sizes))]


def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with `updates` written at `start_indices`."""
    inputs, updates = tensors(inputs, updates)
    starts = _starts(start_indices)
    out = inputs.clone()
    out[tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))] = updates.to(inputs.dtype)
    return out


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def switch(index, branches, *operands):
    """branches[index](*operands), index clamped to the valid range as in Keras."""
    index = min(max(int(index), 0), len(branches) - 1)
    return branches[index](*(_tree.map_structure(to_tensor, op) for op in operands))


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if is_sequence else (loop_vars,)
    values = tuple(_tree.map_structure(to_tensor, v) for v in values)
    step = 0
    while (maximum_iterations is None or step < maximum_iterations) and bool(cond(*values)):
        values = body(*values)
        values = tuple(values) if isinstance(values, (tuple, list)) else (values,)
        step += 1
    return values if is_sequence else values[0]


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def _stack(structures):
    first = structures[0]
    flat = [torch.stack([to_tensor(leaf) for leaf in leaves]) for leaves in zip(*builtins.map(_tree.flatten, structures))]
    return _tree.pack_like(first, flat)


def _slices(xs, length):
    flat = [to_tensor(leaf) for leaf in _tree.flatten(xs)]
    return [_tree.pack_like(xs, [leaf[i] for leaf in flat]) for i in range(length)]


def _leading(xs):
    flat = _tree.flatten(xs)
    return int(to_tensor(flat[0]).shape[0]) if flat else 0


def map(f, xs):  # noqa: A001 (Keras's name)
    """Stack f(x) over the leading axis of `xs` (a tensor or a nested structure of tensors)."""
    return _stack([f(x) for x in _slices(xs, _leading(xs))])


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """carry, y = f(carry, x) over the leading axis; returns (final carry, stacked ys)."""
    if xs is None and length is None:
        raise ValueError("Got no `xs` to scan over and `length` not provided.")
    n = _leading(xs) if xs is not None else int(length)
    if xs is not None and length is not None and length != n:
        raise ValueError(f"`length` ({length}) does not match the leading axis of `xs` ({n}).")
    items = _slices(xs, n) if xs is not None else [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = _tree.map_structure(to_tensor, init), [None] * n
    for i in order:
        carry, ys[i] = f(carry, items[i])
    if n == 0 or ys[0] is None:
        return carry, None
    return carry, _stack(ys)


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan with an associative `f` along `axis` (f sees slices that keep the axis)."""
    flat = [to_tensor(leaf) for leaf in _tree.flatten(elems)]
    if not flat:
        return elems
    n = flat[0].shape[axis]
    order = range(n - 1, -1, -1) if reverse else range(n)
    outputs, carry = [None] * n, None
    for i in order:
        item = _tree.pack_like(elems, [leaf.narrow(axis, i, 1) for leaf in flat])
        carry = item if carry is None else f(carry, item)
        outputs[i] = carry
    pieces = [_tree.flatten(o) for o in outputs]
    return _tree.pack_like(elems, [torch.cat(parts, axis) for parts in zip(*pieces)])


def vectorized_map(function, elements):
    """torch.vmap of `function` over the leading axis of `elements`."""
    return torch.vmap(function)(elements)


class _CustomGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, forward_fn, *args):
        output, grad_fn = forward_fn(*args)
        ctx.grad_fn = grad_fn
        return output

    @staticmethod
    def backward(ctx, *upstream):
        grads = ctx.grad_fn(*upstream)
        if not isinstance(grads, (tuple, list)):
            grads = (grads,)
        return (None, *grads)


def custom_gradient(f):
    """Decorator: `f(*args)` returns (output, grad_fn) and grad_fn(upstream) the input gradients."""
    def wrapper(*args, **kwargs):
        if kwargs:
            return _CustomGradient.apply(lambda *a: f(*a, **kwargs), *args)
        return _CustomGradient.apply(f, *args)

    wrapper.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapper.__doc__ = getattr(f, "__doc__", None)
    return wrapper


__all__ = [
    "associative_scan", "cast", "cond", "convert_to_numpy", "convert_to_tensor", "custom_gradient", "dtype",
    "fori_loop", "is_tensor", "map", "saturate_cast", "scan", "scatter", "scatter_update", "shape", "slice",
    "slice_update", "stop_gradient", "switch", "unstack", "vectorized_map", "while_loop",
]
