"""keras.ops activation functions (keras/src/ops/nn.py), each a thin call of torch's.

Every function accepts torch tensors, numpy arrays and Python numbers; integer and bool
inputs of the smooth functions become floatx(), as in Keras.
"""

import torch
import torch.nn.functional as F

from ._tensor import canonical_axis, float_tensor, to_tensor

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def relu(x):
    return torch.relu(to_tensor(x))


def relu6(x):
    x = to_tensor(x)
    return F.relu6(x) if x.dtype.is_floating_point else x.clamp(0, 6)


def sigmoid(x):
    return torch.sigmoid(float_tensor(x))


def sparse_sigmoid(x):
    """0 below -1, 1 above 1, (x + 1) / 2 between."""
    x = float_tensor(x)
    return ((x + 1) * 0.5).clamp(0.0, 1.0)


def softplus(x):
    return F.softplus(float_tensor(x))


def softsign(x):
    return F.softsign(float_tensor(x))


def soft_shrink(x, threshold=0.5):
    return F.softshrink(float_tensor(x), threshold)


def sparse_plus(x):
    """0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1."""
    x = float_tensor(x)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


def silu(x):
    return F.silu(float_tensor(x))


swish = silu


def squareplus(x, b=4):
    x = float_tensor(x)
    return (x + torch.sqrt(x * x + b)) / 2


def log_sigmoid(x):
    return F.logsigmoid(float_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(float_tensor(x), negative_slope)


def hard_sigmoid(x):
    """relu6(x + 3) / 6, as Keras (not Keras 2's 0.2 x + 0.5)."""
    return F.hardsigmoid(float_tensor(x))


def hard_silu(x):
    return F.hardswish(float_tensor(x))


hard_swish = hard_silu


def elu(x, alpha=1.0):
    return F.elu(float_tensor(x), alpha)


def selu(x):
    x = float_tensor(x)
    return _SELU_SCALE * F.elu(x, _SELU_ALPHA)


def gelu(x, approximate=True):
    """Keras's default is the tanh approximation (torch's is the exact erf form)."""
    return F.gelu(float_tensor(x), approximate="tanh" if approximate else "none")


def celu(x, alpha=1.0):
    return F.celu(float_tensor(x), alpha)


def glu(x, axis=-1):
    x = float_tensor(x)
    axis = canonical_axis(axis, x.ndim)
    if x.shape[axis] % 2:
        raise ValueError(f"axis size must be divisible by 2. Received: x.shape={tuple(x.shape)} with axis={axis}")
    return F.glu(x, axis)


def tanh_shrink(x):
    return F.tanhshrink(float_tensor(x))


def hard_tanh(x):
    return F.hardtanh(float_tensor(x))


def hard_shrink(x, threshold=0.5):
    return F.hardshrink(float_tensor(x), threshold)


def threshold(x, threshold, default_value):
    """x where x > threshold, else default_value."""
    x = float_tensor(x)
    return torch.where(x > threshold, x, torch.as_tensor(default_value, dtype=x.dtype, device=x.device))


def _over_axes(fn, x, axis):
    """Apply a one-axis normalizer `fn(x, dim)` over one axis or over several axes jointly."""
    if axis is None:
        axis = tuple(range(x.ndim))
    if isinstance(axis, int):
        return fn(x, canonical_axis(axis, x.ndim))
    axes = sorted({canonical_axis(a, x.ndim) for a in axis})
    rest = [d for d in range(x.ndim) if d not in axes]
    moved = x.permute(*rest, *axes)
    flat = moved.reshape(*moved.shape[:len(rest)], -1)
    out = fn(flat, -1).reshape(moved.shape)
    inverse = [0] * x.ndim
    for position, d in enumerate(rest + axes):
        inverse[d] = position
    return out.permute(*inverse)


def softmax(x, axis=-1):
    """`axis` may be an int or a tuple of ints (softmax over those axes together)."""
    return _over_axes(lambda t, d: torch.softmax(t, d), float_tensor(x), axis)


def log_softmax(x, axis=-1):
    return _over_axes(lambda t, d: torch.log_softmax(t, d), float_tensor(x), axis)


def sparsemax(x, axis=-1):
    """Keras's sparsemax, formula for formula.

    Keras (every backend, 3.15) takes the threshold as (sum over the support of the sorted
    partial sums - 1) / k rather than Martins & Astudillo's (k-th partial sum - 1) / k, so
    rows with a support of more than one element need not sum to 1. We follow Keras, so
    ported models compute what they computed before.
    """
    x = float_tensor(x)
    axis = canonical_axis(axis, x.ndim)
    z = torch.sort(x, dim=axis, descending=True).values
    cumulative = z.cumsum(axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    r = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    support = z - (cumulative - 1) / r > 0
    count = support.sum(dim=axis, keepdim=True).to(x.dtype)
    tau = (torch.where(support, cumulative, 0.0).sum(dim=axis, keepdim=True) - 1) / count
    return torch.clamp(x - tau, min=0)


def polar(abs_, angle):
    """The complex number abs_ * exp(i * angle)."""
    abs_, angle = float_tensor(abs_), float_tensor(angle, device=None)
    return torch.polar(abs_, angle.to(abs_.device, abs_.dtype))


__all__ = [
    "celu", "elu", "hard_swish", "swish", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_tanh", "leaky_relu",
    "log_sigmoid", "log_softmax", "polar", "relu", "relu6", "selu", "sigmoid", "silu", "soft_shrink", "softmax",
    "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink", "threshold",
]
