"""Channels-last views and TF-exact padding arithmetic, as small pure functions.

Activations stay in Keras's layout between layers. A channels_last layer hands torch a
*view*: `x.permute(0, 3, 1, 2)` of a contiguous NHWC tensor is an NCHW tensor in torch's
channels_last memory format, torch's conv/pool kernels keep that format, and permuting
the result back is again a contiguous NHWC view. 1-D layers run the 2-D op over a unit
height axis, because torch has no channels_last format for 3-D tensors.
"""


def to_channels_first(x, rank):
    """(N, *spatial, C) -> (N, C, *spatial), a view."""
    return x.permute(0, rank + 1, *range(1, rank + 1))


def to_channels_last(x, rank):
    """(N, C, *spatial) -> (N, *spatial, C), a view."""
    return x.permute(0, *range(2, rank + 2), 1)


def channels_last_parameter(param, rank):
    """Give a conv weight (O, I, *k) channels_last strides, in place of its data.

    torch's conv kernels convert the weight to the input's memory format on every call
    (and the weight gradient back); storing it that way once removes both copies. The shape
    stays torch's (O, I, *k). A 1-D weight (O, I, k) gets the strides that make its
    unsqueezed (O, I, 1, k) view channels_last.
    """
    import torch

    with torch.no_grad():
        if rank == 1:
            param.data = param.data.permute(0, 2, 1).contiguous().permute(0, 2, 1)
        else:
            fmt = torch.channels_last if rank == 2 else torch.channels_last_3d
            param.data = param.data.contiguous(memory_format=fmt)


def same_padding(size, kernel, stride, dilation=1):
    """TensorFlow's 'same' padding for one spatial axis: (lo, hi), extra cell at the end."""
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    lo = total // 2
    return lo, total - lo


def causal_padding(kernel, dilation=1):
    """Conv1D 'causal': (k - 1) * dilation on the left, none on the right."""
    return (kernel - 1) * dilation, 0


def conv_output_length(size, kernel, stride, padding, dilation=1):
    """Keras's output length of a convolution or pooling window (None stays None)."""
    if size is None:
        return None
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        return (size - effective) // stride + 1
    return -(-size // stride)  # 'same' and 'causal'


def conv_transpose_output_length(size, kernel, stride, padding, output_padding=None, dilation=1):
    """Keras's output length of a transposed convolution (None stays None)."""
    if size is None:
        return None
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return (size - 1) * stride + effective + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + effective % 2 + output_padding


def conv_transpose_consistent(size, kernel, stride, padding, output_padding, dilation=1):
    """TensorFlow accepts an output length only if the forward convolution maps it back to `size`."""
    out = conv_transpose_output_length(size, kernel, stride, padding, output_padding, dilation)
    return conv_output_length(out, kernel, stride, padding, dilation) == size


def conv_transpose_torch_args(size, kernel, stride, padding, output_padding=None, dilation=1):
    """torch (padding, output_padding, keep) reproducing TensorFlow's transposed convolution.

    TensorFlow computes the gradient of a forward convolution whose input has the Keras
    output length `out`: the full transposed result of length (size - 1) * stride +
    effective kernel, cropped by the forward 'same' padding's low side. torch crops
    `padding` from both sides and appends `output_padding`; where that cannot express the
    crop (an odd total), the result is one longer and `keep` says how much of it to keep.
    """
    out = conv_transpose_output_length(size, kernel, stride, padding, output_padding, dilation)
    effective = (kernel - 1) * dilation + 1
    full = (size - 1) * stride + effective
    lo = 0 if padding == "valid" else max(full - out, 0) // 2
    torch_output_padding = out - (full - 2 * lo)
    if torch_output_padding < 0:
        return lo, 0, out
    if torch_output_padding >= max(stride, dilation):
        raise ValueError(
            f"Transposed convolution output length {out} cannot be produced for input length {size} "
            f"(kernel {kernel}, stride {stride}, dilation {dilation})."
        )
    return lo, torch_output_padding, None


def torch_pool_output_length(size, kernel, stride, padding, ceil_mode):
    """Output length of torch's pooling (as torch computes it, ceil_mode's last-window rule included)."""
    numerator = size + 2 * padding - (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)
    out = numerator // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def ceil_mode_pool_padding(spatial, kernel, stride, pads):
    """torch padding that reproduces TF's asymmetric 'same' pads (lo, lo + 1) with ceil_mode.

    With `padding=lo` and `ceil_mode=True` torch's windows start where TF's do and the last
    one may hang over the end, where it sees only real cells: exactly TF's extra pad cell
    (-inf for max, not counted for average). Returns the per-axis padding, or None when
    some axis is not of that form or the window counts would differ.
    """
    for n, k, s, (lo, hi) in zip(spatial, kernel, stride, pads):
        if hi - lo not in (0, 1) or lo > k // 2:
            return None
        tf_out = -(-n // s)
        if torch_pool_output_length(n, k, s, lo, True) != tf_out:
            return None
    return tuple(lo for lo, _ in pads)


def normalize_padding_pairs(value, rank, argname):
    """ZeroPadding/Cropping forms: int, tuple of `rank` ints, or tuple of `rank` (lo, hi) pairs.

    For rank 1 a single (lo, hi) pair is the Keras form.
    """
    def bad():
        return ValueError(
            f"`{argname}` should be an int, a tuple of {rank} ints, or a tuple of {rank} tuples of 2 "
            f"non-negative ints. Received: {argname}={value!r}"
        )

    def nonneg_int(v):
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    if nonneg_int(value):
        return ((value, value),) * rank
    if not isinstance(value, (tuple, list)):
        raise bad()
    value = tuple(value)
    if rank == 1:
        if len(value) == 2 and all(nonneg_int(v) for v in value):
            return (value,)
        if len(value) == 1 and nonneg_int(value[0]):
            return ((value[0], value[0]),)
        raise bad()
    if len(value) != rank:
        raise bad()
    pairs = []
    for v in value:
        if nonneg_int(v):
            pairs.append((v, v))
        elif isinstance(v, (tuple, list)) and len(v) == 2 and all(nonneg_int(u) for u in v):
            pairs.append(tuple(v))
        else:
            raise bad()
    return tuple(pairs)

