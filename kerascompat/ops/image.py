"""keras.ops.image on torch: colour conversions, resize, padding/cropping, patches.

Images are (batch, height, width, channels) by default (`data_format`, or
keras.config.image_data_format()); a 3-D input is a single image. Interpolation is
TensorFlow's (every resize kernel, antialiased or not; affine transforms; map_coordinates).
"""

import torch
import torch.nn.functional as F

from .padding import same_padding
from ._images import batched_nhwc as _batched_nhwc, data_format as _data_format
from ._tensor import to_tensor
from .image_filters import elastic_transform, gaussian_blur, perspective_transform, sobel_edges, ssim
from .image_sampling import affine_transform, map_coordinates
from .image_scale import area_weights, legacy_bicubic_weights, scale_and_translate

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def rgb_to_grayscale(images, data_format=None):
    """ITU-R 601-2 luma (0.2989, 0.5870, 0.1140); the channel axis is kept with size 1."""
    x, restore = _batched_nhwc(images, data_format)
    dtype = x.dtype
    weights = torch.tensor([0.2989, 0.5870, 0.1140], dtype=x.dtype if x.dtype.is_floating_point else torch.float32,
                           device=x.device)
    gray = (x.to(weights.dtype) * weights).sum(-1, keepdim=True)
    return restore(gray.to(dtype))


def rgb_to_hsv(images, data_format=None):
    """TensorFlow's RGB -> HSV for float images in [0, 1]; hue in [0, 1)."""
    x, restore = _batched_nhwc(images, data_format)
    if not x.dtype.is_floating_point:
        raise TypeError(f"Invalid images dtype: expected float dtype. Received: images.dtype={x.dtype}")
    r, g, b = x.unbind(-1)
    value = x.amax(-1)
    chroma = value - x.amin(-1)
    safe = torch.where(chroma > 0, chroma, torch.ones_like(chroma))
    saturation = torch.where(value > 0, chroma / torch.where(value > 0, value, torch.ones_like(value)),
                             torch.zeros_like(value))
    hue = torch.where(value == r, (g - b) / safe,
                      torch.where(value == g, 2.0 + (b - r) / safe, 4.0 + (r - g) / safe))
    hue = torch.where(chroma > 0, hue / 6.0, torch.zeros_like(hue))
    hue = torch.where(hue < 0, hue + 1.0, hue)
    return restore(torch.stack([hue, saturation, value], -1))


def hsv_to_rgb(images, data_format=None):
    """TensorFlow's HSV -> RGB for float images."""
    x, restore = _batched_nhwc(images, data_format)
    if not x.dtype.is_floating_point:
        raise TypeError(f"Invalid images dtype: expected float dtype. Received: images.dtype={x.dtype}")
    h, s, v = x.unbind(-1)
    dh = h * 6.0
    dr = (torch.abs(dh - 3.0) - 1.0).clamp(0.0, 1.0)
    dg = (2.0 - torch.abs(dh - 2.0)).clamp(0.0, 1.0)
    db = (2.0 - torch.abs(dh - 4.0)).clamp(0.0, 1.0)
    one_minus_s = 1.0 - s
    rgb = [(one_minus_s + s * d) * v for d in (dr, dg, db)]
    return restore(torch.stack(rgb, -1))


def _nearest_indices(in_size, out_size, device):
    """TensorFlow's half-pixel nearest neighbour: floor((i + 0.5) * in / out), clamped."""
    scale = torch.tensor(in_size / out_size, dtype=torch.float32)
    positions = (torch.arange(out_size, dtype=torch.float32) + 0.5) * scale
    return positions.floor().long().clamp(max=in_size - 1).to(device)


def _crop_or_pad_to_aspect(x, size, crop, pad, fill_value):
    height, width = x.shape[1], x.shape[2]
    target_h, target_w = size
    if crop:
        crop_h = max(min(height, int(width * target_h / target_w)), 1)
        crop_w = max(min(width, int(height * target_w / target_h)), 1)
        top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
        return x[:, top:top + crop_h, left:left + crop_w, :]
    if pad:
        pad_h = max(height, int(width * target_h / target_w))
        pad_w = max(width, int(height * target_w / target_h))
        top, left = int((pad_h - height) / 2), int((pad_w - width) / 2)
        # Keras pads the same amount on both sides (an odd difference loses one row/column).
        return F.pad(x.permute(0, 3, 1, 2), (left, left, top, top), value=float(fill_value)).permute(0, 2, 3, 1)
    return x


def _back_to_input_dtype(restore, dtype):
    """Keras returns integer images rounded and saturated back to their dtype."""
    if dtype.is_floating_point:
        return restore
    info = torch.iinfo(dtype) if dtype != torch.bool else None

    def back(y):
        y = torch.round(y)
        if info is not None:
            y = y.clamp(info.min, info.max)
        return restore(y.to(dtype))

    return back


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """tf.image.resize: half-pixel 'nearest', 'bilinear' and 'bicubic' (Keys, a = -0.5) as TensorFlow's
    resize ops, 'area' as its ResizeArea; 'lanczos3', 'lanczos5' and antialiased 'bilinear'/'bicubic'
    as its ScaleAndTranslate."""
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(f"Invalid value for argument `interpolation`. Expected of one of {RESIZE_INTERPOLATIONS}. "
                         f"Received: `interpolation`={interpolation!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be True.")
    if fill_mode != "constant":
        raise ValueError(f"`fill_mode` must be 'constant'. Received: `fill_mode`={fill_mode!r}")
    if len(tuple(size)) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers. Received: `size`={size!r}")
    out_h, out_w = (int(s) for s in size)
    x, restore = _batched_nhwc(images, data_format)
    x = _crop_or_pad_to_aspect(x, (out_h, out_w), crop_to_aspect_ratio, pad_to_aspect_ratio, fill_value)
    if interpolation == "nearest":
        rows = _nearest_indices(x.shape[1], out_h, x.device)
        cols = _nearest_indices(x.shape[2], out_w, x.device)
        return restore(x[:, rows][:, :, cols])
    dtype = x.dtype if x.dtype.is_floating_point else torch.float32
    restore = _back_to_input_dtype(restore, x.dtype)
    if (interpolation == "bicubic" and not antialias) or interpolation == "area":
        weights = area_weights if interpolation == "area" else legacy_bicubic_weights
        y = x.to(dtype)
        for axis, size in ((1, out_h), (2, out_w)):
            w = weights(y.shape[axis], size, y.device).to(dtype)
            y = torch.tensordot(y, w, dims=([axis], [0])).movedim(-1, axis)
        return restore(y)
    if interpolation != "bilinear" or antialias:
        # tf.image.resize runs these as ScaleAndTranslate with scale = out / in and no translation.
        method = {"bilinear": "linear", "bicubic": "cubic"}.get(interpolation, interpolation)
        scale = torch.tensor([out_h / x.shape[1], out_w / x.shape[2]], dtype=torch.float32)
        y = scale_and_translate(x.to(dtype), (x.shape[0], out_h, out_w, x.shape[3]), scale, torch.zeros(2), (1, 2),
                                method, antialias=antialias)
        return restore(y)
    y = F.interpolate(x.to(dtype).permute(0, 3, 1, 2), size=(out_h, out_w), mode="bilinear", align_corners=False)
    return restore(y.permute(0, 2, 3, 1))


def _tuple(value, rank, argname):
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    value = tuple(value)
    if len(value) != rank:
        raise ValueError(f"`{argname}` must be an int or a tuple of {rank} ints. Received: `{argname}`={value!r}")
    return value


def _patches(x, size, strides, dilation_rate, padding):
    """(B, *spatial, C) -> (B, *out, prod(size) * C), patch values in (offsets..., channel) order, as TF."""
    rank = x.ndim - 2
    size = _tuple(size, rank, "size")
    strides = size if strides is None else _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: `padding`={padding!r}")
    if padding == "same":
        pads = [same_padding(n, k, s, d) for n, k, s, d in zip(x.shape[1:-1], size, strides, dilation)]
        flat = [0, 0] + [p for pair in reversed(pads) for p in pair]
        x = F.pad(x, flat)
    for axis, (k, s, d) in enumerate(zip(size, strides, dilation)):
        x = x.unfold(1 + axis, (k - 1) * d + 1, s)
        if d > 1:
            x = x[..., ::d]
    # x: (B, *out, C, *size) -> (B, *out, *size, C)
    x = x.movedim(1 + rank, -1)
    return x.reshape(*x.shape[:1 + rank], -1)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """tf.image.extract_patches: (B, out_h, out_w, size_h * size_w * C)."""
    if isinstance(size, int):
        size = (size, size)
    x, restore = _batched_nhwc(images, data_format)
    return restore(_patches(x, size, strides, dilation_rate, padding))


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """3-D patches: (B, out_d, out_h, out_w, prod(size) * C)."""
    x = to_tensor(volumes)
    if x.ndim not in (4, 5):
        raise ValueError(f"Invalid volumes rank: expected rank 4 or 5. Received: volumes.shape={tuple(x.shape)}")
    unbatched = x.ndim == 4
    if unbatched:
        x = x.unsqueeze(0)
    first = _data_format(data_format) == "channels_first"
    if first:
        x = x.permute(0, 2, 3, 4, 1)
    y = _patches(x, size, strides, dilation_rate, padding)
    if first:
        y = y.permute(0, 4, 1, 2, 3)
    return y[0] if unbatched else y


def _resolve_pair(lo, hi, target, length, what, verb):
    if [lo, hi, target].count(None) != 1:
        raise ValueError(f"Must specify exactly two of top_{what}, bottom_{what}, target_height (or left_{what}, "
                         f"right_{what}, target_width). Received: {lo}, {hi}, {target}")
    if lo is None:
        lo = target - hi - length if verb == "pad" else length - hi - target
    if hi is None:
        hi = target - lo - length if verb == "pad" else length - lo - target
    if lo < 0 or hi < 0:
        raise ValueError(f"{what} must be >= 0. Received: ({lo}, {hi}) for an axis of length {length}")
    return lo, hi


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None):
    """Zero padding to a target size (two of the three numbers per axis)."""
    x, restore = _batched_nhwc(images, data_format)
    top, bottom = _resolve_pair(top_padding, bottom_padding, target_height, x.shape[1], "padding", "pad")
    left, right = _resolve_pair(left_padding, right_padding, target_width, x.shape[2], "padding", "pad")
    return restore(F.pad(x, (0, 0, left, right, top, bottom)))


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
                target_height=None, target_width=None, data_format=None):
    """Crop to a target size (two of the three numbers per axis)."""
    x, restore = _batched_nhwc(images, data_format)
    top, bottom = _resolve_pair(top_cropping, bottom_cropping, target_height, x.shape[1], "cropping", "crop")
    left, right = _resolve_pair(left_cropping, right_cropping, target_width, x.shape[2], "cropping", "crop")
    return restore(x[:, top:x.shape[1] - bottom, left:x.shape[2] - right, :])


__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches", "extract_patches_3d", "gaussian_blur",
    "hsv_to_rgb", "map_coordinates", "pad_images", "perspective_transform", "resize", "rgb_to_grayscale",
    "rgb_to_hsv", "scale_and_translate", "sobel_edges", "ssim",
]
