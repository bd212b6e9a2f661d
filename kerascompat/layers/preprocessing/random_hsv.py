"""RandomHue, RandomSaturation and RandomSharpness."""

import torch
import torch.nn.functional as F

from ... import backend
from ...ops.image import hsv_to_rgb, rgb_to_hsv
from ._base import RandomLayer, channel_axis
from .color_adjustments import to_range
from .random_color import value_range_arg


def _random_sign(layer, batch, like):
    return torch.where(layer._uniform((batch,), 0.0, 1.0, like) > 0.5, -1.0, 1.0)


def shift_hue(images, shift, data_format):
    """Rotate the hue of float RGB images in [0, 1] by `shift` (B,) turns, clipped back to [0, 1]."""
    axis = channel_axis(data_format)
    hsv = rgb_to_hsv(images, data_format=data_format)
    h, s, v = hsv.unbind(axis)
    h = h + shift.reshape(-1, 1, 1).to(h.dtype)
    h = torch.where(h > 1.0, h - 1.0, h)
    h = torch.where(h < 0.0, h + 1.0, h)
    return hsv_to_rgb(torch.stack([h, s, v], axis), data_format=data_format).clamp(0, 1)


class RandomHue(RandomLayer):
    """Rotates each image's hue by half a factor drawn uniformly from `factor` (f in [0, 1] gives
    [0, f]), in a random direction, on images in `value_range`. The identity (input unchanged) at
    inference."""

    _FACTOR_BOUNDS = (0, 1)
    _CAST_AT_INFERENCE = False

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range

    def transform_images(self, images):
        batch = images.shape[0]
        sign = _random_sign(self, batch, images)
        shift = sign * self._uniform((batch,), self.factor[0], self.factor[1], images) * 0.5
        x = to_range(images.to(self._dtype), self.value_range, (0, 1))
        return to_range(shift_hue(x, shift, self.data_format), (0, 1), self.value_range).to(self._dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class RandomSaturation(RandomLayer):
    """Scales each image's saturation by f / (1 - f + epsilon), f drawn uniformly from `factor`
    (0: grayscale, 0.5: unchanged, 1: fully saturated), clipping the saturation to `value_range`
    as Keras 3.15 does. The identity (input unchanged) at inference."""

    _CAST_AT_INFERENCE = False

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, seed=seed, data_format=data_format, **kwargs)
        self.value_range = sorted(value_range_arg(value_range))

    def transform_images(self, images):
        factor = self._uniform((images.shape[0],), self.factor[0], self.factor[1], images)
        factor = (factor / (1 - factor + backend.epsilon())).to(self._dtype).reshape(-1, 1, 1)
        axis = channel_axis(self.data_format)
        h, s, v = rgb_to_hsv(images, data_format=self.data_format).unbind(axis)
        s = (s * factor).clamp(*self.value_range)
        return hsv_to_rgb(torch.stack([h, s, v], axis), data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class RandomSharpness(RandomLayer):
    """Blends each image with a 3x3 smoothed copy (kernel 1/13 around 5/13, zero 'same' padding):
    image + (1 - 2 f) * (smoothed - image), f drawn uniformly from `factor` (f in [0, 1] gives
    [0, f]; 0.5 leaves the image unchanged), clipped to `value_range`."""

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = sorted(value_range_arg(value_range))

    def transform_images(self, images):
        images = images.to(self._dtype)
        factor = self._uniform((images.shape[0],), self.factor[0], self.factor[1], images) * 2
        factor = factor.to(self._dtype).reshape(-1, 1, 1, 1)
        first = self.data_format == "channels_first"
        nchw = images if first else images.permute(0, 3, 1, 2)
        channels = nchw.shape[1]
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = torch.tensor([[a, a, a], [a, b, a], [a, a, a]], dtype=images.dtype, device=images.device)
        smoothed = F.conv2d(nchw, kernel.expand(channels, 1, 3, 3), padding=1, groups=channels)
        smoothed = smoothed if first else smoothed.permute(0, 2, 3, 1)
        return (images + (1.0 - factor) * (smoothed - images)).clamp(*self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class RandomColorJitter(RandomLayer):
    """Applies, in this order and each only when its factor is given, RandomBrightness,
    RandomContrast, RandomSaturation and RandomHue with `value_range`, all drawing from this
    layer's generator. The identity (input unchanged) at inference."""

    _USE_BASE_FACTOR = False
    _CAST_AT_INFERENCE = False

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
                 hue_factor=None, seed=None, data_format=None, **kwargs):
        from .random_color import RandomBrightness, RandomContrast

        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        steps = []
        for cls, factor in ((RandomBrightness, brightness_factor), (RandomContrast, contrast_factor),
                            (RandomSaturation, saturation_factor), (RandomHue, hue_factor)):
            if factor is not None:
                step = cls(factor=factor, value_range=value_range, seed=seed, data_format=data_format)
                step._random = self._random  # one sequence of draws, as Keras's one seed generator
                steps.append(step)
        self._steps = steps

    def transform_images(self, images):
        images = images.to(self._dtype)
        for step in self._steps:
            images = step.transform_images(images).to(self._dtype)
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "brightness_factor": self.brightness_factor, "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor, "seed": self.seed}
