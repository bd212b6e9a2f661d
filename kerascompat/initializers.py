"""Keras initializers producing torch tensors in Keras layout.

An initializer is called with a Keras-layout shape (a Dense kernel is (in, out), a
Conv2D kernel (kh, kw, in, out)) so that fans are computed exactly as Keras computes
them; the layer then moves the values into the torch layout of its parameter.

Seeds: an initializer built with `seed=` returns the same values on every call, as in
Keras 3; without a seed it draws from torch's global generator (so `torch.manual_seed`
makes a model's initial weights reproducible). The values differ from TensorFlow's for
the same seed (different random number generators); the distributions are the same.
"""

import math

import torch

from ._registry import Configurable, lookup_functions


def compute_fans(shape, input_axes=None, output_axes=None):
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[a] for a in input_axes)
        fan_out = math.prod(shape[a] for a in output_axes)
        return int(fan_in), int(fan_out)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer(Configurable):
    """Base class: `__call__(shape, dtype=None)` returns a torch tensor of that shape."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError


def _dtype(dtype):
    from ._validation import standardize_dtype

    return standardize_dtype(dtype, allow_int=True)


class _RandomInitializer(Initializer):
    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(
                "`seed` argument should be an instance of `int` or None. "
                f"Received: seed={seed!r}"
            )
        self.seed = seed

    def _generator(self):
        if self.seed is None:
            return None
        return torch.Generator().manual_seed(self.seed)

    def get_config(self):
        return {"seed": self.seed}


def _normal(shape, mean, stddev, dtype, generator):
    out = torch.empty(shape, dtype=torch.float64)
    out.normal_(mean, stddev, generator=generator)
    return out.to(dtype)


def _truncated_normal(shape, mean, stddev, dtype, generator):
    # Values more than two standard deviations from the mean are re-drawn (as tf.random.truncated_normal).
    out = torch.empty(shape, dtype=torch.float64)
    torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=generator)
    return (out * stddev + mean).to(dtype)


def _uniform(shape, low, high, dtype, generator):
    out = torch.empty(shape, dtype=torch.float64)
    out.uniform_(low, high, generator=generator)
    return out.to(dtype)


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return torch.zeros(tuple(shape), dtype=_dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return torch.ones(tuple(shape), dtype=_dtype(dtype))


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        value = torch.as_tensor(self.value, dtype=_dtype(dtype))
        return torch.broadcast_to(value, tuple(shape)).clone()

    def get_config(self):
        return {"value": self.value}


class RandomNormal(_RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return _normal(tuple(shape), self.mean, self.stddev, _dtype(dtype), self._generator())

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    def __call__(self, shape, dtype=None):
        return _truncated_normal(tuple(shape), self.mean, self.stddev, _dtype(dtype), self._generator())


class RandomUniform(_RandomInitializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return _uniform(tuple(shape), self.minval, self.maxval, _dtype(dtype), self._generator())

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class VarianceScaling(_RandomInitializer):
    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in self._MODES:
            raise ValueError(
                f"Invalid `mode` argument: expected one of {list(self._MODES)}. Received: mode={mode!r}"
            )
        if distribution == "normal":  # Keras alias
            distribution = "truncated_normal"
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(
                f"Invalid `distribution` argument: expected one of {list(self._DISTRIBUTIONS)}. "
                f"Received: distribution={distribution!r}"
            )
        super().__init__(seed)
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, fan)
        dtype, gen = _dtype(dtype), self._generator()
        if self.distribution == "truncated_normal":
            return _truncated_normal(shape, 0.0, math.sqrt(scale) / 0.87962566103423978, dtype, gen)
        if self.distribution == "untruncated_normal":
            return _normal(shape, 0.0, math.sqrt(scale), dtype, gen)
        limit = math.sqrt(3.0 * scale)
        return _uniform(shape, -limit, limit, dtype, gen)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    _ARGS = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(seed=seed, input_axes=input_axes, output_axes=output_axes, **self._ARGS)

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    _ARGS = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class GlorotNormal(_FixedVarianceScaling):
    _ARGS = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


class LecunUniform(_FixedVarianceScaling):
    _ARGS = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


class LecunNormal(_FixedVarianceScaling):
    _ARGS = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


class HeUniform(_FixedVarianceScaling):
    _ARGS = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


class HeNormal(_FixedVarianceScaling):
    _ARGS = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


class Orthogonal(_RandomInitializer):
    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        num_rows, num_cols = math.prod(shape[:-1]), shape[-1]
        flat = _normal((max(num_rows, num_cols), min(num_rows, num_cols)), 0.0, 1.0,
                       torch.float64, self._generator())
        q, r = torch.linalg.qr(flat)
        q = q * torch.sign(torch.diagonal(r))
        if num_rows < num_cols:
            q = q.T
        return (self.gain * q.reshape(shape)).to(_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        return (self.gain * torch.eye(*shape, dtype=torch.float64)).to(_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


# Keras's long aliases.
OrthogonalInitializer = Orthogonal
IdentityInitializer = Identity

_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "constant": Constant,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal,
    "orthogonal": Orthogonal, "identity": Identity,
}
_CLASSES = {cls.__name__: cls for cls in _BY_NAME.values()}
# Keras's short names (Embedding's default "uniform" is RandomUniform(-0.05, 0.05)).
_SHORT_NAMES = {"uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros}
_CLASSES.update(OrthogonalInitializer=Orthogonal, IdentityInitializer=Identity)

# Functional spellings: keras.initializers.glorot_uniform is the class itself.
zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal, identity = VarianceScaling, Orthogonal, Identity
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal
he_uniform, he_normal = HeUniform, HeNormal


get, serialize, deserialize = lookup_functions("initializer", Initializer, {**_BY_NAME, **_SHORT_NAMES}, _CLASSES)


__all__ = sorted(_CLASSES) + sorted(_BY_NAME) + ["Initializer", "get", "serialize", "deserialize", "compute_fans"]
