"""UpSampling1D/2D/3D, ZeroPadding1D/2D/3D, Cropping1D/2D/3D and RepeatVector.

All work on the Keras layout directly: cropping is a slice (a view), zero padding one
F.pad, nearest up-sampling one expand + reshape (a single copy).
"""

import torch.nn.functional as F

from .._validation import normalize_padding_pairs
from ..ops.layout import to_channels_first, to_channels_last
from .._validation import data_format as _data_format, incompatible_input, normalize_tuple, positive_int
from ..engine.base_layer import Layer



def _reject_data_format(layer, kwargs):
    # Keras's UpSampling1D and Cropping1D have no `data_format` argument.
    if "data_format" in kwargs:
        raise ValueError(
            f"Unrecognized keyword arguments passed to {type(layer).__name__}: "
            f"{{'data_format': {kwargs['data_format']!r}}}"
        )


class _SpatialLayer(Layer):
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


# ------------------------------------------------------------------------ up-sampling
class _UpSampling(_SpatialLayer):
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
        _reject_data_format(self, kwargs)
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


# ----------------------------------------------------------------------- zero padding
class _ZeroPadding(_SpatialLayer):
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


# --------------------------------------------------------------------------- cropping
class _Cropping(_SpatialLayer):
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
        _reject_data_format(self, kwargs)
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


class RepeatVector(Layer):
    """Repeats a (N, features) input n times: (N, n, features)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = positive_int(n, "n")

    def call(self, inputs):
        if inputs.dim() != 2:
            raise incompatible_input(self, "expected ndim=2", inputs.shape)
        return inputs.unsqueeze(1).expand(inputs.shape[0], self.n, inputs.shape[1])

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise incompatible_input(self, "expected ndim=2", input_shape)
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
