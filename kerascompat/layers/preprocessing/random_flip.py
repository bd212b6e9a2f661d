"""RandomFlip."""

from ._base import RandomLayer, check_choice, spatial_axes

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


class RandomFlip(RandomLayer):
    """Flips each image with probability 1/2: left-right ('horizontal'), upside down ('vertical'),
    or both at once ('horizontal_and_vertical': one draw per image decides both, as in Keras)."""

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = check_choice(mode, "mode", (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))

    def transform_images(self, images):
        images = images.to(self._dtype)
        flips = self._uniform((images.shape[0], 1, 1, 1), 0.0, 1.0, images) <= 0.5
        return flip_images(images, flips, self.mode, self.data_format)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}


def flip_images(images, flips, mode, data_format):
    """Flip the images where `flips` (broadcast over (B, 1, 1, 1)) is True."""
    h_axis, w_axis = spatial_axes(data_format, images.dim())
    axes = [a for m, a in ((HORIZONTAL, w_axis), (VERTICAL, h_axis)) if mode in (m, HORIZONTAL_AND_VERTICAL)]
    flipped = images.flip(axes)
    return flipped.where(flips, images)
