"""Argument checks the activation layers share."""

import numbers

from ..._validation import received


def non_negative(layer, value, argname, allow_none=False):
    """A number >= 0 (Keras's ReLU/LeakyReLU rule), or None where `allow_none`."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{layer}: `{argname}` must be a number. " + received(argname, value))
    if value < 0:
        raise ValueError(f"{layer}: `{argname}` cannot be None or a negative value. " + received(argname, value))
    return value
