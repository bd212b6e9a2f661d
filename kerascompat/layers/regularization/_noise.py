"""Argument checks the random regularization layers share (pure functions)."""

import numbers

from ..._validation import received


def noise_shape(value):
    """`noise_shape`: None, or a tuple of positive ints and Nones (None takes the input's size)."""
    if value is None:
        return None
    value = tuple(value)
    if not all(d is None or (isinstance(d, numbers.Integral) and not isinstance(d, bool) and d > 0) for d in value):
        raise ValueError("The `noise_shape` argument must be a tuple of positive integers or None. "
                         + received("noise_shape", value))
    return value


def seed(value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        raise ValueError("The `seed` argument must be an integer or None. " + received("seed", value))
    return value


def concrete_noise_shape(layer, noise_shape, inputs):
    """`noise_shape` with its Nones replaced by the input's sizes; ValueError on a rank mismatch."""
    if noise_shape is None:
        return inputs.shape
    if len(noise_shape) != inputs.dim():
        raise ValueError(
            f'Layer "{layer.name}": `noise_shape` {noise_shape} has {len(noise_shape)} '
            f"dimensions but the input has shape {tuple(inputs.shape)}.")
    return tuple(s if d is None else d for d, s in zip(noise_shape, inputs.shape))
