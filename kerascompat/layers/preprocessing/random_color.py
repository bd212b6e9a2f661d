"""Random colour layers: RandomContrast, RandomBrightness."""

from ..._validation import received
from ._base import RandomLayer, spatial_axes


def value_range_arg(value_range):
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError("The `value_range` argument should be a list of two numbers. "
                         + received("value_range", value_range))
    return value_range


class RandomContrast(RandomLayer):
    """Scales each image's deviation from its per-channel mean by a factor drawn uniformly from
    [1 - factor[0], 1 + factor[1]] (a number f in [0, 1] gives [1, 1 + f], as Keras 3.15 reads it),
    then clips to `value_range`. The identity (input unchanged) at inference."""

    _FACTOR_BOUNDS = (0, 1)
    _CAST_AT_INFERENCE = False

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, seed=seed, **kwargs)
        self.value_range = value_range_arg(value_range)

    def transform_images(self, images):
        factor = self._uniform((images.shape[0], 1, 1, 1), 1.0 - self.factor[0], 1.0 + self.factor[1], images)
        return adjust_contrast(images, factor.to(self._dtype), self.data_format).clamp(*self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


def adjust_contrast(images, factor, data_format):
    h_axis, w_axis = spatial_axes(data_format, images.dim())
    mean = images.mean(dim=h_axis, keepdim=True).mean(dim=w_axis, keepdim=True)
    return (images - mean) * factor + mean


class RandomBrightness(RandomLayer):
    """Adds to each image a delta drawn uniformly from `factor` (f gives [-f, f]) times the width of
    `value_range`, then clips to `value_range`. The identity (input unchanged) at inference."""

    _CAST_AT_INFERENCE = False

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, seed=seed, **kwargs)
        self.value_range = sorted(value_range_arg(value_range))

    def transform_images(self, images):
        low, high = self.value_range
        delta = self._uniform((images.shape[0], 1, 1, 1), self.factor[0], self.factor[1], images) * (high - low)
        return (images + delta.to(images.dtype)).clamp(low, high)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}
