"""RandomGaussianBlur."""

import numbers

import torch

from ..._validation import received
from ...ops.image import gaussian_blur
from ._base import RandomLayer


def odd_kernel_size(value, argname):
    """Keras's `kernel_size`: an odd number, or a pair of odd numbers (height, width)."""
    message = f"{argname} must be an odd number. " + received(argname, value)
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"The `{argname}` argument should be a number or a list of two numbers. "
                             + received(argname, value))
        if value[0] % 2 == 0 or value[1] % 2 == 0:
            raise ValueError(message)
        return tuple(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if value % 2 == 0:
            raise ValueError(message)
        return (value, value)
    raise ValueError(message)


class RandomGaussianBlur(RandomLayer):
    """Blurs each image with probability drawn uniformly from `factor` (default 1.0: a number f in
    [0, 1] gives [0, f]) by keras.ops.image.gaussian_blur with `kernel_size` and a (height, width)
    sigma drawn uniformly from `sigma` (f gives [0, f]) for the batch, then clips to `value_range`."""

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.kernel_size = odd_kernel_size(kernel_size, "kernel_size")
        blur_factor = self.factor
        self._set_factor(sigma)
        self.sigma, self.factor = self.factor, blur_factor
        self.value_range = value_range

    def transform_images(self, images):
        images = images.to(self._dtype)
        batch = images.shape[0]
        probability = self._uniform((batch,), self.factor[0], self.factor[1], images)
        apply = (self._uniform((batch,), 0.0, 1.0, images) < probability).reshape(-1, 1, 1, 1)
        sigma = self._uniform((2,), self.sigma[0], self.sigma[1], images).to(self._dtype) + 1e-6
        blurred = gaussian_blur(images, kernel_size=self.kernel_size, sigma=tuple(float(s) for s in sigma),
                                data_format=self.data_format)
        return torch.where(apply, blurred, images).clamp(*self.value_range).to(self._dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "kernel_size": self.kernel_size, "sigma": self.sigma,
                "value_range": self.value_range, "seed": self.seed}
