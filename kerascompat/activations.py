"""Keras activations on torch tensors, with Keras 3's definitions.

`get(identifier)` accepts a name, a function or None (linear), as keras.activations.get does.
"""


import torch
import torch.nn.functional as F

from .ops._op_table import OPS as _OPS
from .ops.symbolic import dispatching as _dispatching
from .saving import object_registration as _reg
from .saving import serialization_lib as _lib


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras's ReLU with its optional slope, cap and threshold (same order of operations)."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return torch.relu(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return F.leaky_relu(x, negative_slope)
        negative_part = torch.relu(-x + threshold) if threshold != 0 else torch.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = torch.where(x > threshold, x, torch.zeros_like(x))
    elif max_value == 6:
        x = F.relu6(x)
        clip_max = False
    else:
        x = torch.relu(x)
    if clip_max:
        x = torch.clamp(x, 0.0, max_value)
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(x, negative_slope)


def relu6(x):
    return F.relu6(x)


def softmax(x, axis=-1):
    return torch.softmax(x, dim=axis)


def log_softmax(x, axis=-1):
    return torch.log_softmax(x, dim=axis)


def elu(x, alpha=1.0):
    return F.elu(x, alpha)


def selu(x):
    return F.selu(x)


def celu(x, alpha=1.0):
    return F.celu(x, alpha)


def softplus(x):
    return F.softplus(x)


def softsign(x):
    return F.softsign(x)


def soft_shrink(x, threshold=0.5):
    return F.softshrink(x, threshold)


def hard_shrink(x, threshold=0.5):
    return torch.where(torch.abs(x) > threshold, x, torch.zeros_like(x))


def sparse_plus(x):
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


def sparse_sigmoid(x):
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x >= 1, torch.ones_like(x), 0.5 * (x + 1)))


def silu(x):
    return F.silu(x)


swish = silu


def squareplus(x, b=4):
    return (x + torch.sqrt(x * x + b)) / 2


def gelu(x, approximate=False):
    return F.gelu(x, approximate="tanh" if approximate else "none")


def glu(x, axis=-1):
    if x.shape[axis] % 2:
        raise ValueError(
            f"axis size must be divisible by 2. Received: x.shape={tuple(x.shape)} with axis={axis}"
        )
    return F.glu(x, dim=axis)


def tanh(x):
    return torch.tanh(x)


def tanh_shrink(x):
    return x - torch.tanh(x)


def hard_tanh(x):
    return torch.clamp(x, -1.0, 1.0)


def threshold(x, threshold, default_value):
    return torch.where(x > threshold, x, torch.full_like(x, default_value))


def sigmoid(x):
    return torch.sigmoid(x)


def log_sigmoid(x):
    return F.logsigmoid(x)


def hard_sigmoid(x):
    # Keras 3: relu6(x + 3) / 6 (Keras 2 used 0.2 * x + 0.5).
    return F.relu6(x + 3.0) / 6.0


def hard_silu(x):
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def exponential(x):
    return torch.exp(x)


def mish(x):
    return x * torch.tanh(F.softplus(x))


def sparsemax(x, axis=-1):
    dim = axis % x.dim()
    z_sorted, _ = torch.sort(x, dim=dim, descending=True)
    cumsum = torch.cumsum(z_sorted, dim=dim)
    shape = [1] * x.dim()
    shape[dim] = -1
    r = torch.arange(1, x.shape[dim] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    support = z_sorted - (cumsum - 1) / r > 0
    k = support.sum(dim=dim, keepdim=True).to(x.dtype)
    cumsum_support = torch.where(support, cumsum, torch.zeros_like(cumsum)).sum(dim=dim, keepdim=True)
    tau = (cumsum_support - 1) / k
    return torch.clamp(x - tau, min=0)


def linear(x):
    return x


_ALL = {
    fn.__name__: fn
    for fn in (
        relu, leaky_relu, relu6, softmax, log_softmax, elu, selu, celu, softplus, softsign,
        soft_shrink, hard_shrink, sparse_plus, sparse_sigmoid, silu, squareplus, gelu, glu,
        tanh, tanh_shrink, hard_tanh, threshold, sigmoid, log_sigmoid, hard_sigmoid,
        hard_silu, exponential, mish, sparsemax, linear,
    )
}
_ALL["swish"] = silu
_ALL["hard_swish"] = hard_silu

# Calls on symbolic tensors record Keras's op node (ops/symbolic.py); one wrapper per function.
_DISPATCHING = {}
for _name, _fn in list(_ALL.items()):
    if f"activations.{_fn.__name__}" in _OPS:
        if _fn not in _DISPATCHING:
            _DISPATCHING[_fn] = _dispatching(f"activations.{_fn.__name__}", _fn)
        _ALL[_name] = globals()[_name] = _DISPATCHING[_fn]

# Names under which Keras serializes a function (aliases serialize as their target).
_NAME_OF = {fn: name for name, fn in _ALL.items() if name not in ("swish", "hard_swish")}


_reg.export("keras.activations", {**{name: fn for fn, name in _NAME_OF.items()}, **_ALL})


def get(identifier):
    """Return the activation function for a name, a config dict, a function, or None (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        fn = deserialize(identifier)
    elif isinstance(identifier, str):
        fn = _reg.get_registered_object(identifier, module_objects=_ALL)
        if fn is None:
            raise ValueError(
                f"Could not interpret activation function identifier: {identifier!r}. "
                f"Known names: {sorted(_ALL)}"
            )
    else:
        fn = identifier
    if callable(fn):
        return fn
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


def serialize(activation):
    """What Keras writes in a layer config: a built-in's name ('relu'), else the function's config
    dict (a registered function under its "package>name")."""
    name = _NAME_OF.get(activation)
    if name is not None:
        return name
    return _lib.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """The activation function a name or config dict describes."""
    if isinstance(config, str):
        with _reg.CustomObjectScope(custom_objects):
            return get(config)
    if isinstance(config, dict) and config.get("class_name") in _ALL and config.get("class_name") != "function":
        return _ALL[config["class_name"]]  # Keras 2's {"class_name": "relu", "config": ...}
    return _lib.deserialize_keras_object(config, custom_objects=custom_objects, module_objects=_ALL)


__all__ = sorted(_ALL) + ["get", "serialize", "deserialize"]
