"""Softmax."""

import torch

from ..._validation import received
from ...engine.base_layer import Layer


def large_negative(dtype):
    """What Keras puts at masked positions before the softmax (-1e9; -3e4 for float16)."""
    return -3e4 if dtype == torch.float16 else -1e9


def check_mask_shape(mask_shape, input_shape):
    """Keras's rule: the mask broadcasts to the inputs and has no more dimensions."""
    if len(mask_shape) > len(input_shape) or any(
            m != 1 and m != i for m, i in zip(reversed(mask_shape), reversed(input_shape))):
        raise ValueError(
            "The `mask` must be broadcastable to `inputs`: each mask dimension must be 1 or match the "
            f"corresponding input dimension, and it must not have more dimensions. Received: "
            f"inputs.shape={tuple(input_shape)}, mask.shape={tuple(mask_shape)}")


class Softmax(Layer):
    """Softmax over `axis` (an int, or a list of ints: normalised over all of them together).

    Call argument `mask` (or the mask of the incoming tensor): positions where it is False
    (or <= 0.5) get -1e9 before the softmax and 0 after, as Keras does."""

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            if not axis or any(isinstance(a, bool) or not isinstance(a, int) for a in axis):
                raise TypeError("Softmax: `axis` must be an int or a non-empty list of ints. " + received("axis", axis))
        elif isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError("Softmax: `axis` must be an int or a non-empty list of ints. " + received("axis", axis))
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            check_mask_shape(mask.shape, inputs.shape)
            if mask.dtype != torch.bool:
                mask = mask > 0.5
            inputs = torch.where(mask, inputs, large_negative(inputs.dtype))
        axis = self.axis
        if isinstance(axis, (list, tuple)) and len(axis) > 1:
            outputs = torch.exp(inputs - torch.logsumexp(inputs, dim=tuple(axis), keepdim=True))
        else:
            outputs = torch.softmax(inputs, dim=axis[0] if isinstance(axis, (list, tuple)) else axis)
        if mask is not None:
            outputs = torch.where(mask, outputs, 0.0)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
