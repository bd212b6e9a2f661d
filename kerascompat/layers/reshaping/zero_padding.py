"""ZeroPadding1D/2D/3D: one F.pad on the Keras layout."""

import torch.nn.functional as F

from ..._validation import normalize_padding_pairs
from ._spatial import SpatialLayer


class _ZeroPadding(SpatialLayer):
    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.padding = normalize_padding_pairs(padding, self.rank, "padding")
        # F.pad takes pairs from the last axis backwards.
        pads = []
        spatial = list(self.padding)
        if self.data_format == "channels_last":
            pads += [0, 0]
        for lo, hi in reversed(spatial):
            pads += [lo, hi]
        self._torch_pads = pads

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return F.pad(inputs, self._torch_pads)

    def compute_output_shape(self, input_shape):
        return self._map_spatial(input_shape, lambda i, n: n + sum(self.padding[i]))

    def get_config(self):
        return {**super().get_config(), "padding": self.padding if self.rank > 1 else self.padding[0],
                "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Pads the steps axis with zeros: `padding` is an int or (left, right)."""

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding=padding, data_format=data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Pads rows and columns with zeros: int, (rows, cols), or ((top, bottom), (left, right))."""

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding=padding, data_format=data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Pads depth, rows and columns with zeros: int, 3 ints, or 3 (lo, hi) pairs."""

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding=padding, data_format=data_format, **kwargs)
