"""Axis arithmetic the normalization layers share (pure functions)."""

import numbers

from ..._validation import received


def canonical_axis(axis, ndim, layer_name):
    """`axis` (negative counts from the end) as an index in [0, ndim); ValueError when out of range."""
    if not -ndim <= axis < ndim:
        raise ValueError(
            f'Layer "{layer_name}": axis {axis} is out of bounds for an input of rank {ndim}. '
            + received("axis", axis))
    return axis % ndim


def axis_list(axis, argname="axis"):
    """An int, or a list/tuple of ints, as a list of ints (Keras's LayerNormalization `axis`)."""
    values = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    if not values or any(isinstance(a, bool) or not isinstance(a, numbers.Integral) for a in values):
        raise TypeError(
            f"Expected an int or a list/tuple of ints for the argument `{argname}`. " + received(argname, axis))
    return [int(a) for a in values]


def canonical_axes(axes, ndim, layer_name):
    """Every axis of `axes` canonical, sorted, without repeats."""
    return sorted({canonical_axis(a, ndim, layer_name) for a in axes})


def sorted_axes_and_weight_shape(axis, input_shape, layer_name):
    """Keras's LayerNormalization/RMSNormalization weight layout: the axes sorted as given
    (negative ones first) and the gamma/beta shape in that order; ValueError when a normalized
    axis has no known size."""
    axes = sorted(axis_list(axis))
    shape = tuple(input_shape[a] for a in axes)
    if any(d is None for d in shape):
        raise ValueError(
            f'Layer "{layer_name}": the normalized axes {axes} of the input must be defined. '
            f"Received: input_shape={tuple(input_shape)}")
    return axes, shape


def scale_and_shift(out, weight, bias, broadcast):
    """`out * weight + bias` with each (optional) weight reshaped to the `broadcast` shape."""
    if weight is not None:
        out = out * weight.reshape(broadcast)
    if bias is not None:
        out = out + bias.reshape(broadcast)
    return out
