"""UpSampling1D/2D/3D: nearest repeats as one expand + reshape (a single copy); 2-D bilinear."""

import torch.nn.functional as F

from ..._validation import normalize_tuple, positive_int
from ...ops.layout import to_channels_first, to_channels_last
from ._spatial import SpatialLayer, reject_data_format


class _UpSampling(SpatialLayer):
    def __init__(self, size, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.size = normalize_tuple(size, self.rank, "size")

    def _nearest(self, x):
        # Repeat each cell along every spatial axis: one expand (a view) and one reshape (the copy).
        first = self._first_spatial_axis
        shape = list(x.shape)
        view_shape, expand_shape, out_shape = list(shape[:first]), list(shape[:first]), list(shape[:first])
        for i, s in enumerate(self.size):
            n = shape[first + i]
            view_shape += [n, 1]
            expand_shape += [n, s]
            out_shape.append(n * s)
        rest = shape[first + self.rank:]
        return x.reshape(view_shape + rest).expand(expand_shape + rest).reshape(out_shape + rest)

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return self._nearest(inputs)

    def compute_output_shape(self, input_shape):
        return self._map_spatial(input_shape, lambda i, n: n * self.size[i])

    def get_config(self):
        config = {**super().get_config(), "size": self.size}
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class UpSampling1D(_UpSampling):
    """Repeats each time step `size` times: (N, steps, C) -> (N, steps * size, C)."""

    rank = 1

    def __init__(self, size=2, **kwargs):
        reject_data_format(self, kwargs)
        super().__init__(size=positive_int(size, "size"), **kwargs)

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size[0]
        return config


class UpSampling2D(_UpSampling):
    """Repeats rows and columns (`interpolation='nearest'`) or resizes bilinearly
    (`'bilinear'`, TensorFlow's half-pixel-centre resize). 'bicubic', 'lanczos3' and
    'lanczos5' raise NotImplementedError (torch's kernels differ from TensorFlow's)."""

    rank = 2
    _INTERPOLATIONS = ("nearest", "bilinear")

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size=size, data_format=data_format, **kwargs)
        if not isinstance(interpolation, str):
            raise ValueError(f"Invalid value for argument `interpolation`. Received: interpolation={interpolation!r}")
        interpolation = interpolation.lower()
        if interpolation in ("bicubic", "lanczos3", "lanczos5", "area"):
            raise NotImplementedError(
                f"UpSampling2D: `interpolation`={interpolation!r} is not supported by kerascompat "
                "(torch's resize kernel differs from TensorFlow's); use 'nearest' or 'bilinear'."
            )
        if interpolation not in self._INTERPOLATIONS:
            raise ValueError(
                "Invalid value for argument `interpolation`. Expected one of ['bicubic', 'bilinear', "
                f"'lanczos3', 'lanczos5', 'nearest']. Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation

    def call(self, inputs):
        self._check_rank(inputs.shape)
        if self.interpolation == "nearest":
            return self._nearest(inputs)
        x = to_channels_first(inputs, 2) if self.data_format == "channels_last" else inputs
        y = F.interpolate(x, scale_factor=self.size, mode="bilinear", align_corners=False)
        return to_channels_last(y, 2) if self.data_format == "channels_last" else y

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(_UpSampling):
    """Repeats each cell `size` times along depth, height and width."""

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size=size, data_format=data_format, **kwargs)
