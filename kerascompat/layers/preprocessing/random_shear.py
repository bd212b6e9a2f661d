"""RandomShear."""

import torch

from ._affine import AffineLayer
from .random_zoom import factor_range


class RandomShear(AffineLayer):
    """Shears each image: output (x, y) reads input (x + sx * y, sy * x + y), sx and sy drawn
    uniformly from the `x_factor` and `y_factor` ranges (f in [0, 1] gives [-f, f]) and both
    negated for a random half of the images, as Keras draws them. Filling and interpolation as
    RandomRotation."""

    _USE_BASE_FACTOR = False

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 data_format=None, seed=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.x_factor = factor_range(x_factor, "x_factor", 0.0, False)
        self.y_factor = factor_range(y_factor, "y_factor", 0.0, False)

    def get_transform(self, batch, height, width, like):
        device = like.device
        invert = torch.where(self._random.uniform((batch, 1), 0.0, 1.0, device) > 0.5, -1.0, 1.0)
        shear_y = self._random.uniform((batch, 1), self.y_factor[0], self.y_factor[1], device)
        shear_x = self._random.uniform((batch, 1), self.x_factor[0], self.x_factor[1], device)
        return shear_matrix(torch.cat([shear_x, shear_y], dim=1) * invert)

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor, **self._fill_config()}


def shear_matrix(shear):
    """(B, 8) transforms for (B, 2) shear factors (x, y)."""
    ones, zeros = torch.ones_like(shear[:, 0]), torch.zeros_like(shear[:, 0])
    return torch.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], dim=1)
