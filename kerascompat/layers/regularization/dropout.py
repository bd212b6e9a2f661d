"""Dropout."""

import torch.nn.functional as F

from ..._random import DropoutMasks
from ..._validation import rate as _rate
from ...engine.base_layer import Layer
from . import _noise


class Dropout(Layer):
    """Zeroes a fraction `rate` of the inputs while training and scales the rest by 1/(1-rate).

    Active in torch's train mode (`model.train()`, the torch default) or with `training=True`;
    `noise_shape` shares one mask along axes of size 1 (None takes the input's size);
    `seed` makes the sequence of masks reproducible.
    """

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = _rate(rate)
        self.noise_shape = _noise.noise_shape(noise_shape)
        self.seed = _noise.seed(seed)
        self._masks = DropoutMasks(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, True)
        shape = _noise.concrete_noise_shape(self, self.noise_shape, inputs)
        return inputs * self._masks(shape, self.rate, inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}
