"""Colour layers on a `value_range`: RandomGrayscale, RandomInvert, Solarization,
RandomPosterization, RandomColorDegeneration, AutoContrast."""

import numbers

import torch

from ..._validation import received
from ...ops.image import rgb_to_grayscale
from ._base import BaseImagePreprocessingLayer, RandomLayer
from .random_color import value_range_arg


def to_range(images, source, target):
    """Map values linearly from the `source` range onto the `target` range (Keras's
    `_transform_value_range`, in float32)."""
    if source[0] == target[0] and source[1] == target[1]:
        return images
    images = images.to(torch.float32)
    return (images - source[0]) / (source[1] - source[0]) * (target[1] - target[0]) + target[0]


class RandomGrayscale(RandomLayer):
    """Turns each image to grayscale (ITU-R 601-2 luma, kept on every channel) with probability
    `factor`. The identity (input unchanged) at inference."""

    _USE_BASE_FACTOR = False
    _CAST_AT_INFERENCE = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or factor < 0 or factor > 1:
            raise ValueError("`factor` should be between 0 and 1. " + received("factor", factor))
        self.factor = factor

    def transform_images(self, images):
        apply = (self._uniform((images.shape[0],), 0.0, 1.0, images) < self.factor).reshape(-1, 1, 1, 1)
        gray = rgb_to_grayscale(images, data_format=self.data_format)
        return torch.where(apply, gray, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomInvert(RandomLayer):
    """Replaces each image by `value_range[1] - image` with a probability drawn uniformly from
    `factor` (default 1.0: a number f gives [0, f])."""

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _CAST_AT_INFERENCE = False

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range

    def transform_images(self, images):
        images = images.to(self._dtype)
        batch = images.shape[0]
        probability = self._uniform((batch,), self.factor[0], self.factor[1], images)
        apply = (self._uniform((batch,), 0.0, 1.0, images) < probability).reshape(-1, 1, 1, 1)
        return torch.where(apply, self.value_range[1] - images, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


def unit_factor(factor, argname):
    """Solarization's factors: a number f in [0, 1] gives (0, f), a pair is sorted."""
    message = (f"The `addition_factor` and `threshold_factor` arguments should be a number (or a list of two "
               f"numbers) in the range [0, 1]. " + received(argname, factor))

    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0 or value > 1:
            raise ValueError(message)

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message)
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    check(factor)
    return (0, factor)


class Solarization(RandomLayer):
    """Adds a random amount to each image (on a 0-255 scale, clipped) and inverts the values at or
    above a random threshold, as Keras draws them: addition in
    [addition_factor[0], addition_factor[1] * 255], threshold in
    [threshold_factor[0], threshold_factor[1] * 255]."""

    _USE_BASE_FACTOR = False

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.addition_factor = unit_factor(addition_factor, "addition_factor")
        self.threshold_factor = unit_factor(threshold_factor, "threshold_factor")
        self.value_range = sorted(value_range_arg(value_range))

    def transform_images(self, images):
        shape = (images.shape[0], 1, 1, 1)
        additions = self._uniform(shape, self.addition_factor[0], self.addition_factor[1] * 255, images)
        thresholds = self._uniform(shape, self.threshold_factor[0], self.threshold_factor[1] * 255, images)
        x = to_range(images.to(self._dtype), self.value_range, (0, 255))
        results = (x + additions).clamp(0, 255)
        results = torch.where(results < thresholds, results, 255 - results)
        return to_range(results, (0, 255), self.value_range).to(self._dtype)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "seed": self.seed}


class RandomPosterization(RandomLayer):
    """Keeps the `bits` most significant bits of each 8-bit value (on a 0-255 scale), `bits` drawn
    uniformly from the integers in [factor[0], factor[1]) (a number f in [1, 8] gives [1, f), a
    pair of equal numbers that exact count)."""

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (1, 8)
    _MAX_FACTOR = 8
    _CAST_AT_INFERENCE = False

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = sorted(value_range_arg(value_range))

    def transform_images(self, images):
        batch = images.shape[0]
        low, high = int(self.factor[0]), int(self.factor[1])
        if low != high:
            bits = torch.randint(low, high, (batch,), generator=self._random.generator(images.device),
                                 device=images.device)
        else:
            bits = torch.full((batch,), low, device=images.device)
        shift = (self._MAX_FACTOR - bits).to(torch.uint8).reshape(-1, 1, 1, 1)
        x = to_range(images, self.value_range, (0, 255)).to(self._dtype).to(torch.uint8)
        x = (x >> shift) << shift
        return to_range(x.to(self._dtype), (0, 255), self.value_range).to(self._dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class RandomColorDegeneration(RandomLayer):
    """Blends each image towards its grayscale version by a factor drawn uniformly from `factor`
    (f in [-1, 1] gives [-f, f]; a negative factor moves away from gray), then clips to
    `value_range`. The identity (input unchanged) at inference."""

    _CAST_AT_INFERENCE = False

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, seed=seed, data_format=data_format, **kwargs)
        self.value_range = sorted(value_range_arg(value_range))

    def transform_images(self, images):
        images = images.to(self._dtype)
        factor = self._uniform((images.shape[0], 1, 1, 1), self.factor[0], self.factor[1], images).to(self._dtype)
        gray = rgb_to_grayscale(images, data_format=self.data_format)
        return (images + factor * (gray - images)).clamp(*self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class AutoContrast(BaseImagePreprocessingLayer):
    """Stretches each image's values per channel so its minimum maps to `value_range[0]` and its
    maximum to `value_range[1]` (a constant channel is left as it is), returning floats. Deterministic: applied at
    inference too, as in Keras."""

    _USE_BASE_FACTOR = False
    _RANDOM = False

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = sorted(value_range_arg(value_range))

    def transform_images(self, images):
        original = images
        x = to_range(images, self.value_range, (0, 255)).to(self._dtype)
        # Keras reduces axes 1 and 2 of the batch whatever the data format.
        low = x.amin(dim=(1, 2), keepdim=True)
        high = x.amax(dim=(1, 2), keepdim=True)
        scale = 255.0 / (high - low)
        results = (x * scale + (-low * scale)).clamp(0.0, 255.0)
        results = to_range(results, (0, 255), self.value_range)
        # Keras compares the result's dtype with the cast images', so integer images come back as floats.
        return torch.where(torch.isnan(results), original.to(results.dtype), results)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}
