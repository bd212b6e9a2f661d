"""Flatten."""

import math

from ..._validation import data_format as _data_format, incompatible_input
from ...engine.base_layer import Layer


class Flatten(Layer):
    """Flattens all axes but the batch axis. With data_format='channels_first' the channels
    axis is moved last first, so the element order is Keras's channels_last order."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)

    def call(self, inputs):
        if inputs.dim() < 1:
            raise incompatible_input(self, "expected min_ndim=1", inputs.shape)
        if self.data_format == "channels_first" and inputs.dim() > 2:
            inputs = inputs.movedim(1, -1)
        if inputs.dim() == 1:
            return inputs.unsqueeze(1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
