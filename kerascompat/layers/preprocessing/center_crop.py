"""CenterCrop."""

from ...ops.image import resize
from ._base import BaseImagePreprocessingLayer


def center_offsets(size, target):
    """Start of a centred window of `target` cells in `size` (Keras: (size - target) // 2)."""
    return (size - target) // 2


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central `height` x `width` window of the images; an image smaller than the target
    on either axis is instead cropped to the target's aspect ratio and resized (bilinear), as Keras's
    `smart_resize` does. Inputs are cast to the layer's dtype."""

    _USE_BASE_FACTOR = False
    _RANDOM = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def transform_images(self, images):
        images = images.to(self._dtype)
        in_h, in_w = self._hw(images)
        if in_h >= self.height and in_w >= self.width:
            top, left = center_offsets(in_h, self.height), center_offsets(in_w, self.width)
            if self.data_format == "channels_first":
                return images[:, :, top:top + self.height, left:left + self.width]
            return images[:, top:top + self.height, left:left + self.width, :]
        return resize(images, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if len(shape) not in (3, 4):
            raise ValueError("`input_shape` must be a non-nested tuple or list of rank-1 with size 3 (unbatched) "
                             f"or 4 (batched). Received: input_shape={tuple(input_shape)}")
        h_axis = len(shape) - (2 if self.data_format == "channels_first" else 3)
        shape[h_axis], shape[h_axis + 1] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
