"""keras.ops convolution and pooling: Keras's kernel layouts and TensorFlow's 'same' padding.

Keras kernels are (*kernel_size, in_channels / groups, out_channels) for `conv`,
(*kernel_size, out_channels, in_channels) for `conv_transpose` and (*kernel_size,
in_channels, multiplier) for `depthwise_conv`. 'same' pads as TensorFlow does: the odd cell
at the end; max pooling sees the pad as -inf and average pooling divides by the real cells.
channels_last inputs run as channels-first views (no copy).
"""

import torch
import torch.nn.functional as F

from .layout import to_channels_first, to_channels_last
from .padding import conv_transpose_torch_args, same_padding
from ._tensor import tensors, to_tensor

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}


def _data_format(data_format):
    if data_format is None:
        from ..backend import image_data_format

        return image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("`data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: `data_format`={data_format!r}")
    return data_format


def _padding(padding):
    mode = padding.lower() if isinstance(padding, str) else padding
    if mode not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: `padding`={padding!r}")
    return mode


def _tuple(value, rank, argname):
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    value = tuple(value)
    if len(value) == 1:
        value = value * rank
    if len(value) != rank or not all(isinstance(v, int) and v > 0 for v in value):
        raise ValueError(f"`{argname}` must be an int or a tuple of {rank} positive ints. "
                         f"Received: `{argname}`={value!r}")
    return value


def _spatial_rank(x, argname="inputs"):
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"`{argname}` must be a 3D, 4D or 5D tensor (batch, *spatial, channels). "
                         f"Received: {argname}.shape={tuple(x.shape)}")
    return x.ndim - 2


def _channels_first(x, data_format):
    rank = x.ndim - 2
    return to_channels_first(x, rank) if data_format == "channels_last" else x


def _restore(y, data_format):
    rank = y.ndim - 2
    return to_channels_last(y, rank) if data_format == "channels_last" else y


def _same_pads(spatial, kernel, strides, dilation):
    return [same_padding(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation)]


def _pad(x, pads, value=0.0):
    """Pad the trailing spatial axes of a channels-first tensor by [(lo, hi), ...]."""
    flat = [p for lo_hi in reversed(pads) for p in lo_hi]
    return F.pad(x, flat, value=value) if any(flat) else x


def _run_conv(x, weight, strides, padding, dilation, groups):
    rank = x.ndim - 2
    if padding == "same":
        pads = _same_pads(x.shape[2:], weight.shape[2:], strides, dilation)
        if all(lo == hi for lo, hi in pads):
            return _CONV[rank](x, weight, None, strides, tuple(lo for lo, _ in pads), dilation, groups)
        x = _pad(x, pads)
    return _CONV[rank](x, weight, None, strides, 0, dilation, groups)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution; `kernel` is (*kernel_size, in_channels / groups, out_channels)."""
    inputs, kernel = tensors(inputs, kernel)
    rank = _spatial_rank(inputs)
    data_format, padding = _data_format(data_format), _padding(padding)
    strides, dilation = _tuple(strides, rank, "strides"), _tuple(dilation_rate, rank, "dilation_rate")
    x = _channels_first(inputs, data_format)
    if kernel.ndim != rank + 2:
        raise ValueError(f"`kernel` must have rank {rank + 2} for {rank}D inputs. "
                         f"Received: kernel.shape={tuple(kernel.shape)}")
    in_channels = x.shape[1]
    if in_channels % kernel.shape[-2]:
        raise ValueError(f"The number of input channels ({in_channels}) must be a multiple of the kernel's "
                         f"input channels. Received: kernel.shape={tuple(kernel.shape)}")
    weight = kernel.permute(rank + 1, rank, *range(rank)).to(x.dtype)
    y = _run_conv(x, weight, strides, padding, dilation, in_channels // kernel.shape[-2])
    return _restore(y, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution; `kernel` is (*kernel_size, in_channels, channel_multiplier)."""
    inputs, kernel = tensors(inputs, kernel)
    rank = _spatial_rank(inputs)
    data_format, padding = _data_format(data_format), _padding(padding)
    strides, dilation = _tuple(strides, rank, "strides"), _tuple(dilation_rate, rank, "dilation_rate")
    x = _channels_first(inputs, data_format)
    channels, multiplier = kernel.shape[-2], kernel.shape[-1]
    if x.shape[1] != channels:
        raise ValueError(f"`kernel` input channels ({channels}) must equal the input's ({x.shape[1]}). "
                         f"Received: kernel.shape={tuple(kernel.shape)}")
    weight = kernel.reshape(*kernel.shape[:rank], channels * multiplier).permute(rank, *range(rank))
    weight = weight.unsqueeze(1).to(x.dtype)
    y = _run_conv(x, weight, strides, padding, dilation, channels)
    return _restore(y, data_format)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution followed by a 1x1 convolution with `pointwise_kernel` (1.., C * m, out)."""
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    """Transposed convolution with TensorFlow's output size; `kernel` is (*kernel_size, out, in)."""
    inputs, kernel = tensors(inputs, kernel)
    rank = _spatial_rank(inputs)
    data_format, padding = _data_format(data_format), _padding(padding)
    strides, dilation = _tuple(strides, rank, "strides"), _tuple(dilation_rate, rank, "dilation_rate")
    if output_padding is not None:
        output_padding = (output_padding,) * rank if isinstance(output_padding, int) else tuple(output_padding)
        if len(output_padding) != rank:
            raise ValueError(f"`output_padding` must be an int or a tuple of {rank} ints. "
                             f"Received: `output_padding`={output_padding!r}")
    x = _channels_first(inputs, data_format)
    weight = kernel.permute(rank + 1, rank, *range(rank)).to(x.dtype)
    torch_pad, torch_out_pad, keep = [], [], []
    for axis in range(rank):
        args = conv_transpose_torch_args(x.shape[2 + axis], kernel.shape[axis], strides[axis], padding,
                                         None if output_padding is None else output_padding[axis], dilation[axis])
        torch_pad.append(args[0])
        torch_out_pad.append(args[1])
        keep.append(args[2])
    y = _CONV_T[rank](x, weight, None, strides, tuple(torch_pad), tuple(torch_out_pad), 1, dilation)
    if any(k is not None for k in keep):
        y = y[(slice(None), slice(None)) + tuple(slice(0, k) for k in keep)]
    return _restore(y, data_format)


def _pool(inputs, pool_size, strides, padding, data_format, kind):
    x = to_tensor(inputs)
    rank = _spatial_rank(x)
    data_format, padding = _data_format(data_format), _padding(padding)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    x = _channels_first(x, data_format)
    pads = _same_pads(x.shape[2:], pool_size, strides, (1,) * rank) if padding == "same" else [(0, 0)] * rank
    if kind == "max":
        y = _MAX[rank](_pad(x, pads, float("-inf")), pool_size, strides)
    else:
        y = _AVG[rank](_pad(x, pads), pool_size, strides)
        if any(lo or hi for lo, hi in pads):
            # TensorFlow divides by the number of real cells under the window.
            ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
            y = y / _AVG[rank](_pad(ones, pads), pool_size, strides)
    return _restore(y, data_format)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(inputs, pool_size, strides, padding, data_format, "max")


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(inputs, pool_size, strides, padding, data_format, "avg")


def _adaptive(inputs, output_size, data_format, table):
    x = to_tensor(inputs)
    rank = _spatial_rank(x)
    data_format = _data_format(data_format)
    output_size = _tuple(output_size, rank, "output_size")
    y = table[rank](_channels_first(x, data_format), output_size)
    return _restore(y[0] if isinstance(y, tuple) else y, data_format)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, _ADAPTIVE_MAX)


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive(inputs, output_size, data_format, _ADAPTIVE_AVG)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """im2col of a channels-first (N, C, H, W) tensor: (N, C * kH * kW, L), as torch's unfold."""
    x = to_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"Input must be a 4D tensor. Received: input.shape={tuple(x.shape)}")
    return F.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im, the inverse arrangement of `unfold` (overlaps summed): (N, C, oH, oW)."""
    x = to_tensor(x)
    if x.ndim != 3:
        raise ValueError(f"Input must be a 3D tensor. Received: input.shape={tuple(x.shape)}")
    return F.fold(x, output_size, kernel_size, dilation=dilation, padding=padding, stride=stride)


def depth_to_space(x, block_size, data_format="channels_last"):
    """TensorFlow's depth_to_space (channel index (i * b + j) * C_out + c), not torch's pixel_shuffle."""
    x = to_tensor(x)
    data_format = _data_format(data_format)
    if x.ndim != 4:
        raise ValueError(f"Input must be a 4D tensor. Received: input.shape={tuple(x.shape)}")
    b = int(block_size)
    if data_format == "channels_last":
        n, h, w, c = x.shape
        if c % (b * b):
            raise ValueError(f"Channels ({c}) must be divisible by block_size**2. Received: block_size={b}")
        return x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5).reshape(n, h * b, w * b, -1)
    n, c, h, w = x.shape
    if c % (b * b):
        raise ValueError(f"Channels ({c}) must be divisible by block_size**2. Received: block_size={b}")
    return x.reshape(n, b, b, c // (b * b), h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, -1, h * b, w * b)


def space_to_depth(x, block_size, data_format="channels_last"):
    """TensorFlow's space_to_depth, the inverse of `depth_to_space`."""
    x = to_tensor(x)
    data_format = _data_format(data_format)
    if x.ndim != 4:
        raise ValueError(f"Input must be a 4D tensor. Received: input.shape={tuple(x.shape)}")
    b = int(block_size)
    spatial = x.shape[1:3] if data_format == "channels_last" else x.shape[2:4]
    if spatial[0] % b or spatial[1] % b:
        raise ValueError(f"Height and width {tuple(spatial)} must be divisible by block_size. Received: block_size={b}")
    if data_format == "channels_last":
        n, h, w, c = x.shape
        return x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5).reshape(n, h // b, w // b, -1)
    n, c, h, w = x.shape
    return x.reshape(n, c, h // b, b, w // b, b).permute(0, 3, 5, 1, 2, 4).reshape(n, -1, h // b, w // b)


__all__ = [
    "adaptive_average_pool", "adaptive_max_pool", "average_pool", "conv", "conv_transpose", "depth_to_space",
    "depthwise_conv", "fold", "max_pool", "separable_conv", "space_to_depth", "unfold",
]
