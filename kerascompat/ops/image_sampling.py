"""Coordinate sampling for keras.ops.image: affine_transform (TensorFlow's ImageProjectiveTransformV3)
and map_coordinates (Keras's scipy-style implementation), with their fill modes."""

import itertools

import torch

from ._images import batched_nhwc as _batched_nhwc
from ._tensor import tensors

AFFINE_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def check_sampling_args(interpolation, fill_mode):
    """Keras's checks (and wording) of the resampling ops' `interpolation` and `fill_mode`."""
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError("Invalid value for argument `interpolation`. Expected of one of {'nearest', 'bilinear'}. "
                         f"Received: `interpolation`={interpolation!r}")
    if fill_mode not in AFFINE_FILL_MODES:
        raise ValueError(f"Invalid value for argument `fill_mode`. Expected of one {AFFINE_FILL_MODES}. "
                         f"Received: `fill_mode`={fill_mode!r}")


def _trunc(x):
    return torch.trunc(x)


def _tf_map_coordinate(c, length, mode):
    """TensorFlow's MapCoordinate for one axis (float coordinates)."""
    if mode == "constant":
        return c
    if length <= 1:
        return torch.zeros_like(c)
    if mode == "nearest":
        return c.clamp(0.0, length - 1)
    if mode == "reflect":
        sz2 = 2 * length
        low = sz2 * _trunc(-c / sz2) + c
        low = torch.where(low < -length, low + sz2, -low - 1)
        high = c - sz2 * _trunc(c / sz2)
        high = torch.where(high >= length, sz2 - high - 1, high)
        c = torch.where(c < 0, low, torch.where(c > length - 1, high, c))
    elif mode == "wrap":
        sz = length - 1
        low = c + length * (_trunc(-c / sz) + 1)
        high = c - length * _trunc(c / sz)
        c = torch.where(c < 0, low, torch.where(c > length - 1, high, c))
    elif mode == "mirror":
        # scipy's 'mirror' (d c b | a b c d | c b a): a triangle wave of period 2 (length - 1).
        period = 2 * (length - 1)
        c = torch.abs(torch.remainder(c, period))
        c = torch.where(c > length - 1, period - c, c)
    return c.clamp(0.0, length - 1)


def _round_half_away(x):
    return torch.sign(x) * torch.floor(torch.abs(x) + 0.5)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None):
    """Projective transform: output (x, y) reads input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k),
    k = c0 x + c1 y + 1, with `transform` = [a0, a1, a2, b0, b1, b2, c0, c1] (or one row per image)."""
    check_sampling_args(interpolation, fill_mode)
    images, transform = tensors(images, transform)
    x, restore = _batched_nhwc(images, data_format)
    if transform.ndim not in (1, 2):
        raise ValueError("Invalid transform rank: expected rank 1 (single transform) or rank 2 (batch of "
                         f"transforms). Received input with shape: transform.shape={tuple(transform.shape)}")
    t = transform.to(torch.float32).reshape(-1, 8)
    batch, height, width, channels = x.shape
    ys, xs = torch.meshgrid(torch.arange(height, dtype=torch.float32, device=x.device),
                            torch.arange(width, dtype=torch.float32, device=x.device), indexing="ij")
    t = t[:, :, None, None]
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    zero = k == 0
    k = torch.where(zero, torch.ones_like(k), k)
    in_x = _tf_map_coordinate((t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k, width, fill_mode)
    in_y = _tf_map_coordinate((t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k, height, fill_mode)
    in_x, in_y = in_x.expand(batch, height, width), in_y.expand(batch, height, width)
    source = x.to(torch.float32) if not x.dtype.is_floating_point else x
    fill = torch.tensor(float(fill_value), dtype=source.dtype, device=x.device)
    b_index = torch.arange(batch, device=x.device)[:, None, None]

    def read(row, col):
        inside = (row >= 0) & (row < height) & (col >= 0) & (col < width)
        values = source[b_index, row.long().clamp(0, height - 1), col.long().clamp(0, width - 1)]
        return torch.where(inside[..., None], values, fill)

    if interpolation == "nearest":
        out = read(_round_half_away(in_y), _round_half_away(in_x))
    else:
        y0, x0 = torch.floor(in_y), torch.floor(in_x)
        y1, x1 = y0 + 1, x0 + 1
        wx1, wx0 = (in_x - x0)[..., None], (x1 - in_x)[..., None]
        wy1, wy0 = (in_y - y0)[..., None], (y1 - in_y)[..., None]
        top = wx0 * read(y0, x0) + wx1 * read(y0, x1)
        bottom = wx0 * read(y1, x0) + wx1 * read(y1, x1)
        out = wy0 * top + wy1 * bottom
    out = torch.where(zero.expand(batch, height, width)[..., None], fill, out)
    return restore(out.to(x.dtype) if x.dtype.is_floating_point else torch.round(out).to(x.dtype))


MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _map_index(index, size, mode):
    """Keras's per-index fill handling (integer indices): (safe index, valid)."""
    if mode == "constant":
        return index.clamp(0, size - 1), (index >= 0) & (index < size)
    if mode == "nearest":
        return index.clamp(0, size - 1), None
    if mode == "mirror":
        # scipy's 'mirror' (d c b | a b c d | c b a). Keras's TensorFlow backend indexes one past the
        # end here (an error); its JAX backend and scipy give this.
        if size == 1:
            return torch.zeros_like(index), None
        period = 2 * (size - 1)
        coords = torch.remainder(index.abs(), period)
        return torch.where(coords >= size, period - coords, coords), None
    if mode == "reflect":
        coords = index.abs()
        size2 = size * 2
        mod = torch.remainder(coords, size2)
        under = mod < size
        return torch.where(under, mod, size2 - mod - 1), None
    return torch.remainder(index, size), None


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Sample `inputs` at `coordinates` (rank(inputs), ...) with order 0 (nearest, half to even) or 1 (linear)."""
    inputs, coordinates = tensors(inputs, coordinates)
    if coordinates.shape[0] != inputs.ndim:
        raise ValueError("First dim of `coordinates` must be the same as the rank of `inputs`. "
                         f"Received inputs with shape: {tuple(inputs.shape)} and coordinate leading dim of "
                         f"{coordinates.shape[0]}")
    if coordinates.ndim < 2:
        raise ValueError(f"Invalid coordinates rank: expected at least rank 2. Received input with shape: "
                         f"{tuple(coordinates.shape)}")
    if fill_mode not in MAP_FILL_MODES:
        raise ValueError(f"Invalid value for argument `fill_mode`. Expected one of {MAP_FILL_MODES}. "
                         f"Received: `fill_mode`={fill_mode!r}")
    if order not in (0, 1):
        raise NotImplementedError(f"map_coordinates currently requires order<=1. Received: `order`={order!r}")
    coords = coordinates if coordinates.dtype.is_floating_point else coordinates.to(torch.float32)
    per_axis = []
    for c, size in zip(coords, inputs.shape):
        if order == 0:
            nodes = [(torch.round(c).long(), torch.ones((), dtype=c.dtype, device=c.device))]
        else:
            lower = torch.floor(c)
            upper_weight = c - lower
            nodes = [(lower.long(), 1 - upper_weight), (lower.long() + 1, upper_weight)]
        per_axis.append([(*_map_index(index, size, fill_mode), weight) for index, weight in nodes])
    result = 0
    values = inputs.to(coords.dtype)
    fill = torch.tensor(float(fill_value), dtype=coords.dtype, device=coords.device)
    for items in itertools.product(*per_axis):
        indices, valids, weights = zip(*items)
        gathered = values[tuple(indices)]
        if fill_mode == "constant":
            valid = valids[0]
            for v in valids[1:]:
                valid = valid & v
            gathered = torch.where(valid, gathered, fill)
        weight = weights[0]
        for w in weights[1:]:
            weight = weight * w
        result = result + weight * gathered
    if not inputs.dtype.is_floating_point:
        result = torch.round(result)
    return result.to(inputs.dtype)


__all__ = ["affine_transform", "map_coordinates"]
