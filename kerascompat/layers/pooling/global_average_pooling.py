"""GlobalAveragePooling1D/2D/3D."""

import torch

from .base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over the steps axis; with a `mask` (batch, steps) only unmasked steps count."""

    supports_masking = True

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=1, pool_mode="average", data_format=data_format, keepdims=keepdims, **kwargs)

    def compute_mask(self, inputs, mask=None):
        return None

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        self._check(inputs.shape)
        axis = self._axes[0]
        weights = mask.to(torch.bool).unsqueeze(2 if axis == 1 else 1)
        summed = torch.where(weights, inputs, torch.zeros((), dtype=inputs.dtype, device=inputs.device))
        return summed.sum(dim=axis, keepdim=self.keepdims) / weights.to(inputs.dtype).sum(dim=axis, keepdim=self.keepdims)


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Mean over height and width; `keepdims=True` keeps them with size 1."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=2, pool_mode="average", data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Mean over depth, height and width; `keepdims=True` keeps them with size 1."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=3, pool_mode="average", data_format=data_format, keepdims=keepdims, **kwargs)
