"""LeakyReLU."""

import warnings

import torch.nn.functional as F

from ...engine.base_layer import Layer
from ._checks import non_negative


class LeakyReLU(Layer):
    """`x` where `x >= 0`, `negative_slope * x` elsewhere (default 0.3, as Keras). Keras 2's
    `alpha` is accepted with Keras's deprecation warning."""

    supports_masking = True

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None:
            raise ValueError("LeakyReLU: `negative_slope` cannot be None or a negative value. "
                             "Received: `negative_slope`=None")
        self.negative_slope = non_negative("LeakyReLU", negative_slope, "negative_slope")

    def call(self, inputs):
        return F.leaky_relu(inputs, self.negative_slope)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
