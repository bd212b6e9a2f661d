"""RandomCrop."""

import torch

from ...ops.image import resize
from ._base import RandomLayer
from .center_crop import CenterCrop


class RandomCrop(RandomLayer):
    """Crops a random `height` x `width` window, one offset for the whole batch, drawn uniformly as
    Keras draws it. An image not larger than the target on both axes is sliced from where Keras
    starts a centred crop to the target's aspect ratio and resized (bilinear) to the target. As in
    Keras 3.15, the layer returns its input unchanged at inference (`training=False`), and
    `seed=None` picks a random seed (which the config then records)."""

    _USE_BASE_FACTOR = False
    _CAST_AT_INFERENCE = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        if seed is None:
            seed = int(torch.randint(0, 2 ** 31 - 1, ()).item())
        super().__init__(seed=seed, data_format=data_format, name=name, **kwargs)
        self.height = height
        self.width = width

    def transform_images(self, images):
        images = images.to(self._dtype)
        in_h, in_w = self._hw(images)
        if in_h > self.height and in_w > self.width:
            top = int(self._uniform((), 0.0, float(in_h - self.height + 1), images).item())
            left = int(self._uniform((), 0.0, float(in_w - self.width + 1), images).item())
        else:
            # Keras starts the window where a centred crop to the target's aspect ratio would, but
            # still slices `height` x `width` cells from there (fewer at the image's edge).
            crop_h = max(min(in_h, int(float(in_w * self.height) / self.width)), 1)
            crop_w = max(min(in_w, int(float(in_h * self.width) / self.height)), 1)
            top, left = int(float(in_h - crop_h) / 2), int(float(in_w - crop_w) / 2)
        height, width = self.height, self.width
        if self.data_format == "channels_first":
            out = images[:, :, top:top + height, left:left + width]
        else:
            out = images[:, top:top + height, left:left + width, :]
        if tuple(self._hw(out)) != (self.height, self.width):
            out = resize(out, (self.height, self.width), data_format=self.data_format).to(self._dtype)
        return out

    compute_output_shape = CenterCrop.compute_output_shape

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed}
