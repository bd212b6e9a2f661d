"""keras.random on torch generators.

Seeds behave as in Keras: an integer `seed` gives the same draw at every call (stateless);
a `SeedGenerator` gives a new draw at every call, the sequence reproducible from its seed;
`seed=None` draws from torch's global generator (so `torch.manual_seed` governs it).
Values cannot match TensorFlow's bit for bit (different generators); the distributions do.
"""

import torch

from .backend.seeds import SeedGenerator, generator as _generator, seed_value as _seed_value
from .ops._tensor import float_tensor, to_tensor, torch_dtype


def _float_dtype(dtype):
    if dtype is None:
        from .backend import floatx

        dtype = floatx()
    dt = torch_dtype(dtype)
    if not dt.is_floating_point:
        raise ValueError(f"`dtype` must be a floating point type. Received: `dtype`={dtype!r}")
    return dt


def _shape(shape):
    if isinstance(shape, torch.Tensor):
        shape = shape.tolist()
    if isinstance(shape, int):
        shape = (shape,)
    return tuple(int(s) for s in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    out = torch.empty(_shape(shape), dtype=dt)
    return out.normal_(float(mean), float(stddev), generator=_generator(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    out = torch.empty(_shape(shape), dtype=dt)
    return out.uniform_(float(minval), float(maxval), generator=_generator(seed))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dt = torch_dtype(dtype)
    if dt.is_floating_point:
        raise ValueError(f"`dtype` must be an integer type. Received: `dtype`={dtype!r}")
    return torch.randint(int(minval), int(maxval), _shape(shape), generator=_generator(seed)).to(dt)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values redrawn until within two standard deviations of the mean, as TensorFlow's."""
    dt = _float_dtype(dtype)
    mean, stddev = float(mean), float(stddev)
    out = torch.empty(_shape(shape), dtype=torch.float32 if dt in (torch.float16, torch.bfloat16) else dt)
    torch.nn.init.trunc_normal_(out, mean, stddev, mean - 2 * stddev, mean + 2 * stddev,
                                generator=_generator(seed))
    return out.to(dt)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """(batch, num_samples) class indices drawn from softmax(logits) with replacement."""
    logits = float_tensor(logits)
    if logits.ndim != 2:
        raise ValueError(f"`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
                         f"Received: logits.shape={tuple(logits.shape)}")
    probs = torch.softmax(logits.float(), -1)
    draws = torch.multinomial(probs, int(num_samples), replacement=True,
                              generator=_generator(seed, logits.device))
    return draws.to(torch_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """inputs * keep_mask / (1 - rate); `noise_shape` entries of None take the input's size."""
    inputs = to_tensor(inputs)
    if not 0 <= rate < 1:
        raise ValueError(f"`rate` must be in [0, 1). Received: `rate`={rate}")
    if noise_shape is None:
        noise_shape = tuple(inputs.shape)
    else:
        noise_shape = tuple(inputs.shape[i] if s is None else int(s) for i, s in enumerate(noise_shape))
    keep = 1.0 - rate
    mask = torch.empty(noise_shape, dtype=inputs.dtype, device=inputs.device)
    mask.bernoulli_(keep, generator=_generator(seed, inputs.device))
    return inputs * mask / keep


def shuffle(x, axis=0, seed=None):
    x = to_tensor(x)
    perm = torch.randperm(x.shape[axis], generator=_generator(seed, x.device), device=x.device)
    return x.index_select(axis, perm)


def _with_seed(seed, draw, device=None):
    """Run `draw()` (a torch.distributions sampler, which takes no generator) under the seed."""
    value = _seed_value(seed)
    if value is None:
        return draw()
    devices = [device] if device is not None and torch.device(device).type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(value)
        return draw()


def gamma(shape, alpha, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    alpha = torch.as_tensor(alpha, dtype=torch.float64)
    concentration = alpha.expand(_shape(shape)) if alpha.ndim == 0 else torch.broadcast_to(alpha, _shape(shape))
    return _with_seed(seed, lambda: torch._standard_gamma(concentration)).to(dt)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Number of successes in `counts` trials of probability `probabilities` (float dtype, as Keras)."""
    dt = _float_dtype(dtype)
    shape = _shape(shape)
    counts = torch.broadcast_to(torch.as_tensor(counts, dtype=torch.float64), shape)
    probabilities = torch.broadcast_to(torch.as_tensor(probabilities, dtype=torch.float64), shape)
    return torch.binomial(counts, probabilities, generator=_generator(seed)).to(dt)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    shape = _shape(shape)
    a = torch.broadcast_to(torch.as_tensor(alpha, dtype=torch.float64), shape)
    b = torch.broadcast_to(torch.as_tensor(beta, dtype=torch.float64), shape)

    def draw():
        x, y = torch._standard_gamma(a), torch._standard_gamma(b)
        return x / (x + y)

    return _with_seed(seed, draw).to(dt)


__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
           "truncated_normal", "uniform"]
