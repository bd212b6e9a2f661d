"""Base of the reshaping layers that act on the spatial axes."""

from ..._validation import data_format as _data_format, incompatible_input
from ...engine.base_layer import Layer


def reject_data_format(layer, kwargs):
    # Keras's UpSampling1D and Cropping1D have no `data_format` argument.
    if "data_format" in kwargs:
        raise ValueError(
            f"Unrecognized keyword arguments passed to {type(layer).__name__}: "
            f"{{'data_format': {kwargs['data_format']!r}}}"
        )


class SpatialLayer(Layer):
    """Base of the layers acting on the spatial axes of (N, *spatial, C) / (N, C, *spatial)."""

    rank = None

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)

    @property
    def _first_spatial_axis(self):
        return 1 if self.data_format == "channels_last" else 2

    def _check_rank(self, shape):
        if len(shape) != self.rank + 2:
            raise incompatible_input(self, f"expected ndim={self.rank + 2}", shape)

    def _map_spatial(self, input_shape, fn):
        self._check_rank(input_shape)
        shape = list(input_shape)
        first = self._first_spatial_axis
        for i in range(self.rank):
            shape[first + i] = None if shape[first + i] is None else fn(i, shape[first + i])
        return tuple(shape)
