"""Resizing."""

from ..._validation import received
from ...ops.image import RESIZE_INTERPOLATIONS, resize
from ._base import BaseImagePreprocessingLayer, check_choice
from .center_crop import CenterCrop


class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `height` x `width` with TensorFlow's kernels (keras.ops.image.resize):
    'bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', `antialias`,
    `crop_to_aspect_ratio` / `pad_to_aspect_ratio` (padding with `fill_value`). Integer images are
    rounded and saturated back to their dtype, floating ones computed in the layer's dtype."""

    _USE_BASE_FACTOR = False
    _RANDOM = False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        check_choice(interpolation, "interpolation", RESIZE_INTERPOLATIONS)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be True. "
                             f"Received: `crop_to_aspect_ratio`=True, `pad_to_aspect_ratio`=True")
        if fill_mode != "constant":
            raise ValueError("`fill_mode` must be 'constant'. " + received("fill_mode", fill_mode))
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def transform_images(self, images):
        if images.is_floating_point():
            images = images.to(self._dtype)
        return resize(images, (self.height, self.width), interpolation=self.interpolation, antialias=self.antialias,
                      crop_to_aspect_ratio=self.crop_to_aspect_ratio, pad_to_aspect_ratio=self.pad_to_aspect_ratio,
                      fill_mode=self.fill_mode, fill_value=self.fill_value, data_format=self.data_format)

    compute_output_shape = CenterCrop.compute_output_shape

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}
