"""Masking."""

import numbers

import torch

from ...engine.base_layer import Layer


class Masking(Layer):
    """Masks time steps whose features all equal `mask_value`: the output is the input with
    those steps zeroed, and carries a (batch, steps) mask that downstream layers receive
    (RNNs skip masked steps, GlobalAveragePooling1D ignores them)."""

    supports_masking = True
    _produces_mask = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(mask_value, numbers.Real) or isinstance(mask_value, bool):
            raise TypeError(f"The `mask_value` argument must be a number. Received: mask_value={mask_value!r}")
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        return torch.any(inputs != self.mask_value, dim=-1)

    def call(self, inputs):
        keep = torch.any(inputs != self.mask_value, dim=-1, keepdim=True)
        return inputs * keep.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
