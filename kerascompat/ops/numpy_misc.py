"""keras.ops products, sorting, searching and counting (keras/src/ops/numpy.py) on torch.

Products of integers compute in floats and cast back, as Keras's TensorFlow backend does
(int8 @ int8 is int32); indices come back as int32.
"""

import builtins

import torch

from kerascompat.backend.dtypes import _TORCH_DTYPES, result_type
from kerascompat.ops._convert import binary_tensors, convert, dtype_name, floatx_dtype


def _product_operands(x1, x2):
    """(x1, x2, result dtype): operands in a float compute dtype when the result is integral."""
    x1, x2, dt = binary_tensors(x1, x2)
    if dt.is_floating_point or dt.is_complex:
        return x1, x2, dt
    compute = _TORCH_DTYPES[result_type(dtype_name(x1), float)]
    return x1.to(compute), x2.to(compute), dt


def matmul(x1, x2):
    if isinstance(x1, torch.Tensor) and isinstance(x2, torch.Tensor) and x1.dtype == x2.dtype and x1.dtype.is_floating_point:
        return torch.matmul(x1, x2)
    x1, x2 = convert(x1), convert(x2)
    if x1.dtype == torch.int8 and x2.dtype == torch.int8:
        return torch.matmul(x1.to(torch.float32), x2.to(torch.float32)).round().to(torch.int32)
    a, b, dt = _product_operands(x1, x2)
    return torch.matmul(a, b).to(dt)


def dot(x1, x2):
    a, b, dt = _product_operands(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        out = a * b
    elif b.ndim == 1:
        out = torch.tensordot(a, b, dims=([-1], [0]))
    else:
        out = torch.tensordot(a, b, dims=([a.ndim - 1], [b.ndim - 2]))
    return out.to(dt)


def tensordot(x1, x2, axes=2):
    a, b, dt = _product_operands(x1, x2)
    if not isinstance(axes, int):
        axes = [list(ax) if isinstance(ax, (list, tuple)) else [ax] for ax in axes]
    return torch.tensordot(a, b, dims=axes).to(dt)


def einsum(subscripts, *operands, **kwargs):
    if kwargs:
        raise NotImplementedError(
            f"einsum keyword arguments are not supported by kerascompat. Received: {sorted(kwargs)}"
        )
    ts = [convert(t) for t in operands]
    dt = _TORCH_DTYPES[result_type(*(t.dtype for t in ts))]
    if builtins.all(t.dtype == torch.int8 for t in ts):
        dt = torch.int32
    compute = dt if (dt.is_floating_point or dt.is_complex) else _TORCH_DTYPES[result_type(dtype_name(ts[0]), float)]
    dev = ts[0].device
    return torch.einsum(subscripts, *(t.to(dtype=compute, device=dev) for t in ts)).to(dt)


def outer(x1, x2):
    a, b, dt = _product_operands(x1, x2)
    return torch.outer(a.reshape(-1), b.reshape(-1)).to(dt)


def inner(x1, x2):
    a, b, dt = _product_operands(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return (a * b).to(dt)
    return torch.inner(a, b).to(dt)


def vdot(x1, x2):
    a, b, dt = _product_operands(x1, x2)
    a = a.reshape(-1)
    if a.dtype.is_complex:
        a = a.conj()
    return torch.dot(a, b.reshape(-1)).to(dt)


def kron(x1, x2):
    a, b, dt = binary_tensors(x1, x2)
    return torch.kron(a, b)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b, dt = binary_tensors(x1, x2)
    a, b = torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1)
    na, nb = a.shape[-1], b.shape[-1]
    for n, name in ((na, "x1"), (nb, "x2")):
        if n not in (2, 3):
            raise ValueError(
                f"Dimension of vectors for cross product must be 2 or 3. Received: `{name}` has {n}"
            )
    if na == 2 and nb == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    if na == 2:
        a = torch.nn.functional.pad(a, (0, 1))
    if nb == 2:
        b = torch.nn.functional.pad(b, (0, 1))
    a, b = torch.broadcast_tensors(a, b)
    c = torch.linalg.cross(a, b, dim=-1)
    return torch.movedim(c, -1, axisc)


def correlate(x1, x2, mode="valid"):
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"`mode` must be 'valid', 'same' or 'full'. Received: `mode`={mode!r}")
    a, b, dt = binary_tensors(x1, x2)
    if dt == torch.int64:
        dt = torch.float64
    elif dt not in (torch.bfloat16, torch.float16, torch.float64):
        dt = torch.float32
    a, b = a.to(dt), b.to(dt)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"`x1` and `x2` must be 1-D. Received: shapes {tuple(a.shape)}, {tuple(b.shape)}")
    swap = b.shape[0] > a.shape[0]
    if swap:
        a, b = b, a
    n = b.shape[0]
    pad = {"valid": (0, 0), "full": (n - 1, n - 1), "same": ((n - 1) // 2 + (0 if not swap else (n - 1) % 2), n - 1 - ((n - 1) // 2 + (0 if not swap else (n - 1) % 2)))}[mode]
    compute = torch.float32 if dt in (torch.float16, torch.bfloat16) else dt
    out = torch.nn.functional.conv1d(
        torch.nn.functional.pad(a.to(compute), pad).reshape(1, 1, -1), b.to(compute).reshape(1, 1, -1)
    ).reshape(-1)
    if swap:
        out = torch.flip(out, (0,))
    return out.to(dt)


def corrcoef(x):
    x = convert(x)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(floatx_dtype())
    return torch.corrcoef(x)


def slogdet(x):
    x = convert(x)
    sign, logabsdet = torch.linalg.slogdet(x)
    return sign, logabsdet


def sort(x, axis=-1):
    x = convert(x)
    if x.dtype == torch.bool:
        return torch.sort(x.to(torch.uint8), dim=axis, stable=True)[0].to(torch.bool)
    return torch.sort(x, dim=axis, stable=True)[0]


def argsort(x, axis=-1):
    x = convert(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def argpartition(x, kth, axis=-1):
    x = convert(x)
    n = x.shape[axis] if x.ndim else 1
    if not -n <= kth < n:
        raise ValueError(f"`kth` must be in [{-n}, {n}) for an axis of size {n}. Received: `kth`={kth}")
    # Any partition around `kth` is valid; a stable argsort is one.
    return argsort(x, axis=axis)


def nonzero(x):
    x = convert(x)
    return tuple(i.to(torch.int32) for i in torch.nonzero(x, as_tuple=True))


def searchsorted(sorted_sequence, values, side="left"):
    if side not in ("left", "right"):
        raise ValueError(f"`side` must be 'left' or 'right'. Received: `side`={side!r}")
    seq = convert(sorted_sequence)
    if seq.ndim != 1:
        raise ValueError(
            "`searchsorted` only supports 1-D sorted sequences. Received: "
            f"`sorted_sequence`.shape={tuple(seq.shape)}"
        )
    values = convert(values, device=seq.device)
    dt = _TORCH_DTYPES[result_type(seq.dtype, values.dtype)]
    return torch.searchsorted(seq.to(dt), values.to(dt), side=side, out_int32=True)


def digitize(x, bins):
    x = convert(x)
    bins = convert(bins, device=x.device)
    dt = _TORCH_DTYPES[result_type(x.dtype, bins.dtype)]
    if dt == torch.bool:
        dt = torch.int32
    return torch.bucketize(x.to(dt), bins.to(dt), right=True, out_int32=True)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise NotImplementedError("`sparse`=True is not supported by kerascompat's bincount. Received: `sparse`=True")
    x = convert(x)
    if x.ndim == 2:  # one count per row, all rows as long as the longest
        length = builtins.max(minlength, int(x.max()) + 1 if x.numel() else 0)
        w = None if weights is None else convert(weights)
        rows = [bincount(row, None if w is None else w[i], length) for i, row in enumerate(x)]
        return torch.stack(rows) if rows else torch.zeros(0, length, dtype=torch.int32)
    if x.ndim != 1:
        raise ValueError(f"`x` must be 1-D or 2-D. Received: `x`.shape={tuple(x.shape)}")
    if weights is None:
        dt = _TORCH_DTYPES[result_type(x.dtype)]
        if dt not in (torch.int32, torch.int64):
            dt = torch.int32
        return torch.bincount(x.long(), minlength=minlength).to(dt)
    weights = convert(weights, device=x.device)
    dt = _TORCH_DTYPES[result_type(x.dtype, weights.dtype)]
    compute = torch.float64 if dt in (torch.float64, torch.int64) else torch.float32
    return torch.bincount(x.long(), weights=weights.to(compute), minlength=minlength).to(dt)


def histogram(x, bins=10, range=None):
    x = convert(x)
    if x.ndim != 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: `x`.ndim={x.ndim}")
    if range is None:
        lo, hi = torch.min(x), torch.max(x)
    else:
        lo = torch.as_tensor(range[0], dtype=x.dtype, device=x.device)
        hi = torch.as_tensor(range[1], dtype=x.dtype, device=x.device)
    edges = torch.linspace(0.0, 1.0, bins + 1, dtype=torch.float64, device=x.device)
    edges = (lo.to(torch.float64) + edges * (hi - lo).to(torch.float64)).to(x.dtype)
    inside = (x >= lo) & (x <= hi)
    idx = torch.bucketize(x, edges, right=True) - 1
    idx = torch.clamp(idx, 0, bins - 1)
    counts = torch.zeros(bins, dtype=x.dtype, device=x.device)
    counts = counts.index_add(0, idx[inside], torch.ones_like(x[inside]))
    return counts, edges


def isin(x1, x2, assume_unique=False, invert=False):
    a, b, _ = binary_tensors(x1, x2)
    return torch.isin(a, b, assume_unique=assume_unique, invert=invert)


def diff(a, n=1, axis=-1):
    a = convert(a)
    return torch.diff(a, n=n, dim=axis)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = convert(y)
    if not y.dtype.is_floating_point:
        y = y.to(floatx_dtype())
    if x is None:
        return torch.trapezoid(y, dx=dx, dim=axis)
    return torch.trapezoid(y, convert(x, dtype=y.dtype, device=y.device), dim=axis)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    x = convert(x)
    along = 0 if axis is None else axis
    values, inverse, counts = torch.unique(x.reshape(-1) if axis is None else x, sorted=True,
                                           return_inverse=True, return_counts=True, dim=axis)
    n = values.shape[along]
    positions = torch.arange(inverse.shape[0], device=x.device)
    first = torch.full((n,), inverse.shape[0], dtype=torch.int64, device=x.device)
    first = first.scatter_reduce(0, inverse, positions, "amin")  # first position of each value
    if not sorted:  # unique values in order of first appearance, as tf.keras
        order = torch.argsort(first)
        rank = torch.empty_like(order)
        rank[order] = torch.arange(n, device=x.device)
        values, first, counts, inverse = values.index_select(along, order), first[order], counts[order], rank[inverse]
    outputs = [values]
    if return_index:
        outputs.append(first.to(torch.int32))
    if return_inverse:
        outputs.append(inverse.to(torch.int32).reshape(x.shape) if axis is None else inverse.to(torch.int32))
    if return_counts:
        outputs.append(counts.to(torch.int32))
    if size is not None:  # pad or cut to `size` unique values (padded indices are 1, counts 0, as tf.keras)
        outputs[0] = _fit(values, size, 0 if fill_value is None else fill_value, along)
        if return_index:
            outputs[1] = _fit(outputs[1], size, 1, 0)
        if return_counts:
            outputs[-1] = _fit(outputs[-1], size, 0, 0)
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _fit(t, size, fill_value, axis):
    n = t.shape[axis]
    if n >= size:
        return t.narrow(axis, 0, size)
    shape = list(t.shape)
    shape[axis] = size - n
    return torch.cat([t, torch.full(shape, fill_value, dtype=t.dtype, device=t.device)], dim=axis)


def unravel_index(indices, shape):
    indices = convert(indices)
    dims = tuple(int(s) for s in shape)
    return tuple(torch.unravel_index(indices.long(), dims)[i].to(indices.dtype) for i in range(len(dims)))


def _core_dims(signature):
    """'(m,n),(n)->(m)' -> number of core dimensions of each input: [2, 1]."""
    try:
        inputs, _ = signature.replace(" ", "").split("->")
        groups = inputs[1:-1].split("),(") if inputs else []
        return [0 if not g else len(g.split(",")) for g in groups]
    except ValueError:
        raise ValueError(f"Invalid `signature`, expected e.g. '(m,n),(n)->(m)'. Received: `signature`={signature!r}")


def vectorize(pyfunc, *, excluded=None, signature=None):
    excluded = frozenset(excluded or ())
    if any(not isinstance(e, int) for e in excluded):
        raise NotImplementedError(
            f"`excluded` takes positional indices only (keyword names are not vectorized over). Received: `excluded`={set(excluded)}"
        )
    core = _core_dims(signature) if signature is not None else None

    def vectorized(*args):
        positions = [i for i in range(len(args)) if i not in excluded]
        ts = [convert(args[i]) for i in positions]
        cores = core if core is not None else [0] * len(ts)
        if len(cores) != len(ts):
            raise ValueError(f"`signature` {signature!r} has {len(cores)} inputs. Received: {len(ts)} arguments")
        loop = torch.broadcast_shapes(*(t.shape[:t.ndim - c] for t, c in zip(ts, cores)))
        flat = [t.expand(*loop, *t.shape[t.ndim - c:]).reshape(-1, *t.shape[t.ndim - c:]) for t, c in zip(ts, cores)]

        def call(*values):
            full = list(args)
            for i, v in zip(positions, values):
                full[i] = v
            return pyfunc(*full)

        out = torch.vmap(call)(*flat)
        if isinstance(out, (tuple, list)):
            return type(out)(o.reshape(*loop, *o.shape[1:]) for o in out)
        return out.reshape(*loop, *out.shape[1:])

    return vectorized
