"""GlobalMaxPooling1D/2D/3D."""

from .base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Max over the steps axis; `keepdims=True` keeps them with size 1."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=1, pool_mode="max", data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Max over height and width; `keepdims=True` keeps them with size 1."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=2, pool_mode="max", data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Max over depth, height and width; `keepdims=True` keeps them with size 1."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=3, pool_mode="max", data_format=data_format, keepdims=keepdims, **kwargs)
