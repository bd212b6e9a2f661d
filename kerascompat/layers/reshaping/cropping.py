"""Cropping1D/2D/3D: slices (views) of the Keras layout."""

from ..._validation import normalize_padding_pairs
from ._spatial import SpatialLayer, reject_data_format


class _Cropping(SpatialLayer):
    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.cropping = normalize_padding_pairs(cropping, self.rank, "cropping")

    def _check_sizes(self, shape):
        first = self._first_spatial_axis
        for i, (lo, hi) in enumerate(self.cropping):
            n = shape[first + i]
            if n is not None and lo + hi >= n:
                raise ValueError(
                    f'Layer "{self.name}": values in `cropping` argument should be smaller than the '
                    f"corresponding spatial dimension of the input. Received: input_shape={tuple(shape)}, "
                    f"cropping={self.cropping}"
                )

    def call(self, inputs):
        self._check_rank(inputs.shape)
        self._check_sizes(tuple(inputs.shape))
        x = inputs
        first = self._first_spatial_axis
        for i, (lo, hi) in enumerate(self.cropping):
            if lo or hi:
                x = x.narrow(first + i, lo, x.shape[first + i] - lo - hi)
        return x

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        self._check_sizes(tuple(input_shape))
        return self._map_spatial(input_shape, lambda i, n: n - sum(self.cropping[i]))

    def get_config(self):
        config = {**super().get_config(), "cropping": self.cropping if self.rank > 1 else self.cropping[0]}
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class Cropping1D(_Cropping):
    """Crops the steps axis: `cropping` is an int or (start, end)."""

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        reject_data_format(self, kwargs)
        super().__init__(cropping=cropping, **kwargs)


class Cropping2D(_Cropping):
    """Crops rows and columns: int, (rows, cols), or ((top, bottom), (left, right))."""

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping=cropping, data_format=data_format, **kwargs)


class Cropping3D(_Cropping):
    """Crops depth, rows and columns: int, 3 ints, or 3 (start, end) pairs."""

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping=cropping, data_format=data_format, **kwargs)
