"""RandomRotation."""

import torch

from ._affine import AffineLayer, affine_matrix


class RandomRotation(AffineLayer):
    """Rotates each image about its centre by an angle drawn uniformly from
    [factor[0] * 360, factor[1] * 360] degrees (`factor` f: [-f, f]; positive is counter-clockwise),
    filling the uncovered area by `fill_mode` ('reflect', 'wrap', 'constant' with `fill_value`,
    'nearest') and sampling with `interpolation` ('bilinear', 'nearest'), as TensorFlow's
    ImageProjectiveTransform does."""

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(factor=factor, fill_mode=fill_mode, interpolation=interpolation, seed=seed,
                         fill_value=fill_value, data_format=data_format, **kwargs)

    def get_transform(self, batch, height, width, like):
        angle = self._random.uniform((batch,), self.factor[0] * 360.0, self.factor[1] * 360.0, like.device)
        return rotation_matrix(angle, height, width)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, **self._fill_config()}


def rotation_matrix(angle_degrees, height, width):
    zeros = torch.zeros_like(angle_degrees)
    return affine_matrix(0.5, 0.5, angle_degrees, zeros, zeros, torch.ones_like(angle_degrees), zeros, zeros,
                         height, width)
