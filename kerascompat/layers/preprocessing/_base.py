"""The base of Keras's image preprocessing and augmentation layers.

Images are (batch, height, width, channels) by default (`data_format`, or
keras.config.image_data_format()); a 3-D input is a single image. Random layers draw their
parameters from a seeded torch.Generator per device (`seed`) or torch's global generator, and are
the identity at inference (`training=False`, or torch's eval mode), as in Keras.
"""

import numbers

import torch

from ..._validation import received
from ...engine.base_layer import Layer
from ...ops._images import data_format as standardize_data_format


class RandomSource:
    """Uniform draws from a seeded torch.Generator per device (reproducible sequence), or from
    torch's global generator when `seed` is None."""

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"The `seed` argument must be an integer or None. {received('seed', seed)}")
        self.seed = seed
        self._generators = {}

    def generator(self, device):
        if self.seed is None:
            return None
        generator = self._generators.get(device)
        if generator is None:
            generator = torch.Generator(device=device).manual_seed(int(self.seed))
            self._generators[device] = generator
        return generator

    def uniform(self, shape, low, high, device, dtype=torch.float32):
        """U[low, high) of `shape` (low == high gives exactly low, as Keras's draw does)."""
        u = torch.rand(shape, generator=self.generator(device), device=device, dtype=dtype)
        return u * (high - low) + low

    def normal(self, shape, device, dtype=torch.float32):
        return torch.randn(shape, generator=self.generator(device), device=device, dtype=dtype)


def spatial_axes(data_format, ndim):
    """(height axis, width axis) of an image tensor of rank `ndim` (3 or 4)."""
    return (-2, -1) if data_format == "channels_first" else (-3, -2)


def channel_axis(data_format):
    return -3 if data_format == "channels_first" else -1


def check_choice(value, argname, choices, error=ValueError):
    if value not in choices:
        raise error(f"Invalid value for argument `{argname}`. Expected one of {tuple(choices)}. "
                    + received(argname, value))
    return value


class BaseImagePreprocessingLayer(Layer):
    """Keras's BaseImagePreprocessingLayer: `data_format`, the `factor` argument of the layers that
    take one (a number f in _FACTOR_BOUNDS gives (-f, f) clipped to the bounds, a pair is sorted),
    and `call(inputs, training)`: the identity (cast to the layer's dtype) when not training for
    random layers, `transform_images` otherwise.

    Dict inputs (images with bounding boxes, labels or segmentation masks) raise NotImplementedError.
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)
    _RANDOM = True  # False for deterministic layers (Resizing, CenterCrop): they always transform
    _CAST_AT_INFERENCE = True  # Keras's colour layers return their input unchanged (even integers)
    supports_masking = False

    def __init__(self, factor=None, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if bounding_box_format is not None:
            raise NotImplementedError(
                f"{type(self).__name__}: bounding boxes are not supported yet. "
                + received("bounding_box_format", bounding_box_format))
        self.bounding_box_format = None
        self.data_format = standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(f"Layer {type(self).__name__} does not take a `factor` argument. "
                             + received("factor", factor))

    def _set_factor(self, factor):
        low_bound, high_bound = self._FACTOR_BOUNDS
        message = ("The `factor` argument should be a number (or a list of two numbers) in the range "
                   f"[{low_bound}, {high_bound}]. " + received("factor", factor))
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high_bound or factor[1] < low_bound:
                raise ValueError(message)
            lower, upper = sorted(factor)
        elif isinstance(factor, numbers.Real) and not isinstance(factor, bool):
            if factor < low_bound or factor > high_bound:
                raise ValueError(message)
            factor = abs(factor)
            lower, upper = max(-factor, low_bound), factor
        else:
            raise ValueError(message)
        self.factor = (lower, upper)

    # ------------------------------------------------------------------ calling
    def _images(self, inputs):
        if isinstance(inputs, dict):
            raise NotImplementedError(
                f"{type(self).__name__}: dict inputs (images with bounding boxes, labels or segmentation "
                f"masks) are not supported yet; pass the images tensor. Received: `inputs` with keys "
                f"{sorted(inputs)}")
        if inputs.dim() not in (3, 4):
            raise ValueError("Expected image tensor to have rank 3 (single image) or 4 (batch of images). "
                             f"Received: data.shape={tuple(inputs.shape)}")
        return inputs

    def call(self, inputs, training=None):
        images = self._images(inputs)
        if self._RANDOM and not training:
            return images.to(self._dtype) if self._CAST_AT_INFERENCE else images
        unbatched = images.dim() == 3
        if unbatched:
            images = images.unsqueeze(0)
        out = self.transform_images(images)
        return out[0] if unbatched else out

    def transform_images(self, images):
        """The training-mode transformation of a batch (rank 4) of images."""
        raise NotImplementedError

    def _hw(self, images):
        h_axis, w_axis = spatial_axes(self.data_format, images.dim())
        return images.shape[h_axis], images.shape[w_axis]

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        return config


class RandomLayer(BaseImagePreprocessingLayer):
    """A random augmentation layer: `seed` and its torch generators."""

    def __init__(self, factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.seed = seed
        self._random = RandomSource(seed)

    def _uniform(self, shape, low, high, like):
        return self._random.uniform(shape, low, high, like.device)
