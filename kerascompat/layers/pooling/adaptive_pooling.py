"""Adaptive pooling: AdaptiveAveragePooling1D/2D/3D and AdaptiveMaxPooling1D/2D/3D."""

import numbers

from ..._validation import incompatible_input
from ...engine.base_layer import Layer
from ...ops._images import data_format as _data_format
from ...ops.nn import adaptive_average_pool, adaptive_max_pool

_SHAPE_NAMES = {1: "1 integer", 2: "(height, width) tuple", 3: "(depth, height, width) tuple"}


def output_size_tuple(output_size, rank):
    """Keras's `output_size`: an int for every spatial axis, or one int per axis."""
    if isinstance(output_size, numbers.Integral) and not isinstance(output_size, bool):
        return (int(output_size),) * rank
    if isinstance(output_size, (tuple, list)):
        if len(output_size) == rank:
            return tuple(output_size)
        if rank == 1:
            raise ValueError(f"For 1D input, `output_size` tuple must have length 1. Received: {output_size}")
    raise TypeError(f"`output_size` must be an integer or {_SHAPE_NAMES[rank]}. "
                    f"Received: {output_size} of type {type(output_size)}")


class BaseAdaptivePooling(Layer):
    """Pools each spatial axis of length L into `output_size` bins, bin i covering
    [floor(i * L / n), ceil((i + 1) * L / n)) — tf.keras's bins, which are torch's
    (`F.adaptive_avg_pool*d` / `F.adaptive_max_pool*d`)."""

    _RANK = None
    _POOL = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.output_size = output_size_tuple(output_size, self._RANK)
        self.data_format = _data_format(data_format)

    def call(self, inputs):
        if inputs.dim() != self._RANK + 2:
            raise incompatible_input(self, f"expected ndim={self._RANK + 2}", inputs.shape)
        return type(self)._POOL(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size, "data_format": self.data_format}


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Average over adaptive bins of a (batch, steps, features) input."""
    _RANK, _POOL = 1, adaptive_average_pool


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Average over adaptive bins of a (batch, height, width, channels) input."""
    _RANK, _POOL = 2, adaptive_average_pool


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Average over adaptive bins of a (batch, depth, height, width, channels) input."""
    _RANK, _POOL = 3, adaptive_average_pool


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Maximum over adaptive bins of a (batch, steps, features) input."""
    _RANK, _POOL = 1, adaptive_max_pool


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Maximum over adaptive bins of a (batch, height, width, channels) input."""
    _RANK, _POOL = 2, adaptive_max_pool


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Maximum over adaptive bins of a (batch, depth, height, width, channels) input."""
    _RANK, _POOL = 3, adaptive_max_pool
