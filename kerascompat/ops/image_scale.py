"""keras.ops.image.scale_and_translate: separable resampling with Keras's kernels (as jax.image)."""

import math

import torch

from ._tensor import to_tensor

SCALE_AND_TRANSLATE_METHODS = ("linear", "bilinear", "trilinear", "triangle", "cubic", "bicubic", "tricubic",
                               "lanczos3", "lanczos5")


def _triangle(x):
    return torch.clamp(1 - x.abs(), min=0)


def _keys_cubic(x):
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = torch.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return torch.where(x >= 2.0, torch.zeros_like(x), out)


def _lanczos(radius, x):
    y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
    safe = torch.where(x != 0, math.pi ** 2 * x ** 2, torch.ones_like(x))
    out = torch.where(x > 1e-3, y / safe, torch.ones_like(x))
    return torch.where(x > radius, torch.zeros_like(x), out)


_KERNELS = {"linear": _triangle, "cubic": _keys_cubic, "lanczos3": lambda x: _lanczos(3.0, x),
            "lanczos5": lambda x: _lanczos(5.0, x)}


def _weights(input_size, output_size, scale, translation, kernel, antialias):
    """(input_size, output_size) resampling weights for one axis."""
    inv_scale = 1.0 / scale
    kernel_scale = torch.clamp(inv_scale, min=1.0) if antialias else torch.ones_like(inv_scale)
    sample = ((torch.arange(output_size, dtype=scale.dtype, device=scale.device) + 0.5) * inv_scale
              - translation * inv_scale - 0.5)
    x = (sample[None, :] - torch.arange(input_size, dtype=scale.dtype, device=scale.device)[:, None]).abs()
    w = kernel(x / kernel_scale)
    total = w.sum(0, keepdim=True)
    eps = 1000.0 * float(torch.finfo(torch.float32).eps)
    w = torch.where(total.abs() > eps, w / torch.where(total != 0, total, torch.ones_like(total)), torch.zeros_like(w))
    inside = (sample >= -0.5) & (sample <= input_size - 0.5)
    return torch.where(inside[None, :], w, torch.zeros_like(w))


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    """Resample `images` along `spatial_dims` to `output_shape` (the full output shape), output
    coordinate = input * scale + translation, with the `method` kernel (antialiased when downscaling)."""
    if method not in SCALE_AND_TRANSLATE_METHODS:
        raise ValueError(f"Invalid value for argument `method`. Expected of one {SCALE_AND_TRANSLATE_METHODS}. "
                         f"Received: `method`={method!r}")
    if method in ("linear", "bilinear", "trilinear", "triangle"):
        method = "linear"
    elif method in ("cubic", "bicubic", "tricubic"):
        method = "cubic"
    x = to_tensor(images)
    scale, translation = to_tensor(scale, device=x.device), to_tensor(translation, device=x.device)
    dtype = torch.promote_types(scale.dtype, translation.dtype)
    if not dtype.is_floating_point:
        dtype = torch.float32
    scale, translation = scale.to(dtype).reshape(-1), translation.to(dtype).reshape(-1)
    integer = not x.dtype.is_floating_point
    out = x.to(torch.float32) if integer else x
    for i, d in enumerate(spatial_dims):
        d = d % x.ndim
        w = _weights(x.shape[d], int(output_shape[d]), scale[i], translation[i], _KERNELS[method], antialias)
        out = torch.tensordot(out, w.to(out.dtype), dims=([d], [0])).movedim(-1, d)
    if integer:
        out = torch.clamp(torch.round(out), x.min().item(), x.max().item()).to(x.dtype)
    return out


def _keys_cubic_a(x, a=-0.5):
    x = x.abs()
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return torch.where(x <= 1, near, far)


def legacy_bicubic_weights(input_size, output_size, device=None):
    """(input_size, output_size) weights of TensorFlow's ResizeBicubic (half-pixel centres, Keys
    a = -0.5): the fractional position is quantized to 1/1024 as TF's coefficient table does, taps
    outside the image get weight 0 and the rest are renormalized."""
    scale = torch.tensor(input_size / output_size, dtype=torch.float32)
    position = (torch.arange(output_size, dtype=torch.float32) + 0.5) * scale - 0.5
    base = torch.floor(position)
    t = torch.round((position - base) * 1024) / 1024  # lrintf: round half to even, as torch.round
    t = t.double()
    taps = torch.stack([_keys_cubic_a(1 + t), _keys_cubic_a(t), _keys_cubic_a(1 - t), _keys_cubic_a(2 - t)], 1)
    index = base.long()[:, None] + torch.arange(-1, 3)[None, :]
    inside = (index >= 0) & (index < input_size)
    taps = torch.where(inside, taps, torch.zeros_like(taps))
    taps = taps / taps.sum(1, keepdim=True)
    weights = torch.zeros(input_size, output_size, dtype=torch.float64)
    cols = torch.arange(output_size)[:, None].expand_as(index)
    weights.index_put_((index.clamp(0, input_size - 1)[inside], cols[inside]), taps[inside], accumulate=True)
    return weights.to(device)


def area_weights(input_size, output_size, device=None):
    """(input_size, output_size) weights of TensorFlow's ResizeArea: each output cell averages the
    input cells under [i * s, (i + 1) * s), s = input / output, by their covered fraction."""
    scale = input_size / output_size
    starts = torch.arange(output_size, dtype=torch.float64) * scale
    ends = starts + scale
    cells = torch.arange(input_size, dtype=torch.float64)[:, None]
    overlap = (torch.minimum(cells + 1, ends[None, :]) - torch.maximum(cells, starts[None, :])).clamp(min=0)
    return (overlap / scale).to(device)


__all__ = ["scale_and_translate"]
