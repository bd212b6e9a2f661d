"""Dropout."""

import numbers

import torch.nn.functional as F

from ..._random import DropoutMasks
from ..._validation import rate as _rate
from ...engine.base_layer import Layer


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
        if noise_shape is not None:
            noise_shape = tuple(noise_shape)
            if not all(d is None or (isinstance(d, numbers.Integral) and d > 0) for d in noise_shape):
                raise ValueError(
                    f"The `noise_shape` argument must be a tuple of positive integers or None. "
                    f"Received: noise_shape={noise_shape!r}"
                )
        self.noise_shape = noise_shape
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"The `seed` argument must be an integer or None. Received: seed={seed!r}")
        self.seed = seed
        self._masks = DropoutMasks(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, True)
        if self.noise_shape is not None:
            if len(self.noise_shape) != inputs.dim():
                raise ValueError(
                    f'Layer "{self.name}": `noise_shape` {self.noise_shape} has {len(self.noise_shape)} '
                    f"dimensions but the input has shape {tuple(inputs.shape)}."
                )
            shape = tuple(s if d is None else d for d, s in zip(self.noise_shape, inputs.shape))
        else:
            shape = inputs.shape
        return inputs * self._masks(shape, self.rate, inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}
