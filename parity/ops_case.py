"""The keras.ops parity case record and input helpers (TensorFlow-free).

An OpCase names a keras.ops function by its dotted path under `ops` ("relu",
"image.resize", "linalg.qr"), the positional arguments (numpy arrays or Python values, fed
unchanged to both frameworks), keyword arguments, and which positional arguments to
differentiate: the gradient of sum(output * R) for a fixed random R is compared too.
"""

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

DEFAULT_TOL = 1e-5


class PerSide:
    """An argument built for each side from its ops namespace: `PerSide(lambda ops: lambda x: ops.sin(x))`."""

    def __init__(self, make):
        self.make = make


@dataclass
class OpCase:
    id: str
    fn: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    grad: tuple = ()                     # indices of positional float arguments to differentiate
    rtol: float = DEFAULT_TOL
    atol: float = DEFAULT_TOL
    tol_reason: Optional[str] = None     # required when the tolerance differs from the default
    check_dtype: bool = True
    xfail: Optional[str] = None
    compare: Any = None                  # optional fn(ours_numpy_list, tf_numpy_list) replacing value checks
    call: Any = None                     # a PerSide building the callable to run instead of ops.<fn>
                                         # (for decorators and higher-order ops such as custom_gradient)


def rand(*shape, seed=0, dtype="float32", low=None, high=None):
    rng = np.random.RandomState(seed)
    if low is not None:
        return rng.uniform(low, high, size=shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def randint(*shape, high, seed=0, dtype="int32", low=0):
    return np.random.RandomState(seed).randint(low, high, size=shape).astype(dtype)


def probs(*shape, seed=0, axis=-1):
    x = np.exp(rand(*shape, seed=seed))
    return (x / x.sum(axis, keepdims=True)).astype("float32")


def spd(n, batch=(), seed=0):
    a = rand(*batch, n, n, seed=seed).astype("float64")
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype("float32")
