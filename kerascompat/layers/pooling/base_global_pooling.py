"""BaseGlobalPooling: mean or max over all spatial axes."""

import torch

from ..._validation import check_bool, data_format as _data_format, incompatible_input
from ...engine.base_layer import Layer


class BaseGlobalPooling(Layer):
    """Mean or max over all spatial axes; `keepdims=True` keeps them with size 1.

    `pool_mode` is "max" or "average".
    """

    def __init__(self, rank, pool_mode, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        if pool_mode not in ("max", "average"):
            raise ValueError(f"`pool_mode` must be 'max' or 'average'. Received: pool_mode={pool_mode!r}")
        self.rank = rank
        self.mode = pool_mode
        self.data_format = _data_format(data_format)
        self.keepdims = check_bool(keepdims, "keepdims")
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))

    def _check(self, shape):
        if len(shape) != self.rank + 2:
            raise incompatible_input(self, f"expected ndim={self.rank + 2}", shape)

    def call(self, inputs):
        self._check(inputs.shape)
        if self.mode == "max":
            return torch.amax(inputs, dim=self._axes, keepdim=self.keepdims)
        return torch.mean(inputs, dim=self._axes, keepdim=self.keepdims)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        if self.keepdims:
            return tuple(1 if i in self._axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}
