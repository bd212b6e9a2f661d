"""The geometric augmentation layers' shared part: Keras's affine matrix (rotation, shear, scale,
translation about a centre) and the fill/interpolation arguments of keras.ops.image.affine_transform."""

import math

import torch

from ...ops.image import affine_transform
from ._base import RandomLayer, check_choice

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def affine_matrix(center_x, center_y, angle, translate_x, translate_y, scale, shear_x, shear_y, height, width):
    """(B, 8) projective transforms (output -> input coordinates) as Keras's
    `_compute_affine_matrix` builds them, in float32: scale * shear * rotation about
    (center_x * (width - 1), center_y * (height - 1)), then translation. Angles in degrees."""
    to_radians = torch.tensor(math.pi / 180.0, dtype=torch.float32, device=angle.device)
    angle = angle * to_radians
    shear_x = torch.tan(shear_x * to_radians)
    shear_y = torch.tan(shear_y * to_radians)
    cx = center_x * (width - 1)  # exact in float32 for image sizes
    cy = center_y * (height - 1)
    cos, sin = torch.cos(angle), torch.sin(angle)
    a0 = scale * (cos + shear_x * sin)
    a1 = scale * (-sin + shear_x * cos)
    a2 = translate_x + cx - cx * a0 - cy * a1
    b0 = scale * (shear_y * cos + sin)
    b1 = scale * (shear_y * -sin + cos)
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = torch.zeros_like(a0)
    return torch.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], dim=1)


class AffineLayer(RandomLayer):
    """A random layer that resamples images through keras.ops.image.affine_transform."""

    def __init__(self, factor=None, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(factor=factor, seed=seed, data_format=data_format, **kwargs)
        self.fill_mode = check_choice(fill_mode, "fill_mode", FILL_MODES, NotImplementedError)
        self.interpolation = check_choice(interpolation, "interpolation", INTERPOLATIONS, NotImplementedError)
        self.fill_value = fill_value

    def transform_images(self, images):
        images = images.to(self._dtype)
        height, width = self._hw(images)
        matrix = self.get_transform(images.shape[0], height, width, images)
        return self.apply_transform(images, matrix)

    def apply_transform(self, images, matrix):
        """Resample `images` (B, ...) with (B, 8) transforms, as the layer's training path does."""
        return affine_transform(images, matrix.to(images.device), interpolation=self.interpolation,
                                fill_mode=self.fill_mode, fill_value=self.fill_value, data_format=self.data_format)

    def get_transform(self, batch, height, width, like):
        raise NotImplementedError

    def _fill_config(self):
        return {"fill_mode": self.fill_mode, "fill_value": self.fill_value, "interpolation": self.interpolation,
                "seed": self.seed}
