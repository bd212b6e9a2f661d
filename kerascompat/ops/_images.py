"""Image layout helpers shared by the keras.ops.image modules."""

from ._tensor import to_tensor


def data_format(value):
    if value is None:
        from ..backend import image_data_format

        return image_data_format()
    if value not in ("channels_last", "channels_first"):
        raise ValueError("`data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: `data_format`={value!r}")
    return value


def batched_nhwc(images, fmt, argname="images"):
    """(x as (B, H, W, C), restore) with restore undoing the batching and layout change."""
    x = to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"Invalid {argname} rank: expected rank 3 (single image) or rank 4 (batch of images). "
                         f"Received: {argname}.shape={tuple(x.shape)}")
    unbatched = x.ndim == 3
    if unbatched:
        x = x.unsqueeze(0)
    first = data_format(fmt) == "channels_first"
    if first:
        x = x.permute(0, 2, 3, 1)

    def restore(y):
        if first:
            y = y.permute(0, 3, 1, 2)
        return y[0] if unbatched else y

    return x, restore
