"""AveragePooling1D/2D/3D."""

from .base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Mean over windows of (batch, steps, channels) (or channels_first); 'same' averages real cells only, as TensorFlow.

    `strides` defaults to `pool_size`; `padding` is 'valid' or 'same'.
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(rank=1, pool_mode="average", pool_size=pool_size, strides=strides, padding=padding,
                         data_format=data_format, name=name, **kwargs)


class AveragePooling2D(BasePooling):
    """Mean over 2-D windows of (batch, height, width, channels) (or channels_first); 'same' averages real cells only, as TensorFlow.

    `strides` defaults to `pool_size`; `padding` is 'valid' or 'same'.
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(rank=2, pool_mode="average", pool_size=pool_size, strides=strides, padding=padding,
                         data_format=data_format, name=name, **kwargs)


class AveragePooling3D(BasePooling):
    """Mean over 3-D windows of (batch, depth, height, width, channels) (or channels_first); 'same' averages real cells only, as TensorFlow.

    `strides` defaults to `pool_size`; `padding` is 'valid' or 'same'.
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(rank=3, pool_mode="average", pool_size=pool_size, strides=strides, padding=padding,
                         data_format=data_format, name=name, **kwargs)
