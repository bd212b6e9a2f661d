"""RandomZoom and RandomTranslation: the factor pairs of height and width."""

import numbers

import torch

from ..._validation import received
from ._affine import AffineLayer


def factor_range(factor, argname, lowest, exclusive_low):
    """Keras's (lower, upper) of a zoom/translation factor: a number f gives (-|f|, |f|), a pair is
    sorted; every number must lie in (lowest, 1] (zoom: exclusive) or [lowest, 1] (translation)."""
    what = f"in the range {'(' if exclusive_low else '['}{lowest}, 1.0]"
    message = (f"The `{argname}` argument should be a number (or a list of two numbers) {what}. "
               + received(argname, factor))

    def check(value):
        too_low = value <= lowest if exclusive_low else value < lowest
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or too_low or value > 1.0:
            raise ValueError(message)

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message)
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    check(factor)
    return (-abs(factor), abs(factor))


class RandomZoom(AffineLayer):
    """Zooms each image about its centre: the sampled window is (1 + z) times the image, z drawn
    uniformly from the `height_factor` range (negative zooms in, positive out; f gives [-f, f]) and,
    when `width_factor` is given, independently from its range (otherwise the same z keeps the
    aspect ratio). Filling and interpolation as RandomRotation."""

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(height_factor, "height_factor", -1.0, True)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_range(width_factor, "width_factor", -1.0, True)

    def get_transform(self, batch, height, width, like):
        device = like.device
        height_zoom = self._random.uniform((batch, 1), 1.0 + self.height_lower, 1.0 + self.height_upper, device)
        if self.width_factor is not None:
            width_zoom = self._random.uniform((batch, 1), 1.0 + self.width_lower, 1.0 + self.width_upper, device)
        else:
            width_zoom = height_zoom
        return zoom_matrix(width_zoom, height_zoom, height, width)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                **self._fill_config()}


def zoom_matrix(width_zoom, height_zoom, height, width):
    """(B, 8) transforms of Keras's RandomZoom for (B, 1) zooms."""
    x_offset = ((width - 1.0) / 2.0) * (1.0 - width_zoom)  # (size - 1) / 2 is exact in float32
    y_offset = ((height - 1.0) / 2.0) * (1.0 - height_zoom)
    zeros = torch.zeros_like(width_zoom)
    return torch.cat([width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros, zeros], dim=1)


class RandomTranslation(AffineLayer):
    """Shifts each image by fractions of its height and width drawn uniformly from the
    `height_factor` and `width_factor` ranges (f gives [-f, f]; positive moves down / right).
    Filling and interpolation as RandomRotation."""

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(height_factor, "height_factor", -1.0, False)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = factor_range(width_factor, "width_factor", -1.0, False)

    def get_transform(self, batch, height, width, like):
        device = like.device
        dy = self._random.uniform((batch, 1), self.height_lower, self.height_upper, device) * height
        dx = self._random.uniform((batch, 1), self.width_lower, self.width_upper, device) * width
        return translation_matrix(dx, dy)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                **self._fill_config()}


def translation_matrix(dx, dy):
    """(B, 8) transforms moving images by (dx, dy) pixels, each (B, 1)."""
    ones, zeros = torch.ones_like(dx), torch.zeros_like(dx)
    return torch.cat([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], dim=1)
