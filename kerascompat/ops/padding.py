"""TF-exact padding and output-size arithmetic, as small pure functions.

TensorFlow's 'same' pads (lo, hi) with the extra cell at the end; torch's conv and pool
ops only pad symmetrically. The `*_plan` functions turn Keras's padding for one input
size into torch arguments: symmetric pads go to the op, an asymmetric one becomes an
explicit `F.pad` list (last axis first, as F.pad takes it) or, for pooling, torch's
`ceil_mode`. Nothing here depends on a layer.
"""


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


def keras_pads(spatial, kernel, strides, padding, dilation=None):
    """Keras's (lo, hi) pads per spatial axis for 'valid', 'same' or 'causal' (1-D)."""
    dilation = dilation or (1,) * len(spatial)
    if padding == "valid":
        return ((0, 0),) * len(spatial)
    if padding == "causal":
        return (causal_padding(kernel[0], dilation[0]),)
    return tuple(same_padding(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation))


def explicit_pad(pads):
    """(lo, hi) per axis -> F.pad's flat list, last axis first."""
    return [v for lo_hi in reversed(pads) for v in lo_hi]


def conv_padding_plan(spatial, kernel, strides, dilation, padding):
    """torch arguments for a forward convolution: (op padding per axis, F.pad list or None).

    Symmetric pads are the op's own padding; otherwise the op gets none and the input is
    padded explicitly first.
    """
    pads = keras_pads(spatial, kernel, strides, padding, dilation)
    if all(lo == hi for lo, hi in pads):
        return tuple(lo for lo, _ in pads), None
    return (0,) * len(pads), explicit_pad(pads)


def pool_padding_plan(spatial, pool_size, strides, padding):
    """torch arguments for pooling: (op padding per axis, F.pad list or None, ceil_mode).

    An asymmetric 'same' pad of the (lo, lo + 1) form is torch's ceil_mode (no copy);
    any other is an explicit pad, and average pooling must then rescale by its real-cell count.
    """
    pads = keras_pads(spatial, pool_size, strides, padding)
    if all(lo == hi for lo, hi in pads):
        return tuple(lo for lo, _ in pads), None, False
    ceil_padding = ceil_mode_pool_padding(spatial, pool_size, strides, pads)
    if ceil_padding is not None:
        return ceil_padding, None, True
    return (0,) * len(pads), explicit_pad(pads), False


def conv_transpose_plan(spatial, kernel, strides, padding, output_padding, dilation):
    """torch arguments for a transposed convolution: (padding, output_padding, keep).

    `keep` is None, or per axis the length to keep of the op's output (None: all of it).
    `output_padding` is Keras's (a tuple, or None for Keras's default per axis).
    """
    output_padding = output_padding or (None,) * len(spatial)
    per_axis = [conv_transpose_torch_args(n, k, s, padding, op, d) for n, k, s, op, d in
                zip(spatial, kernel, strides, output_padding, dilation)]
    keep = tuple(a[2] for a in per_axis)
    return (tuple(a[0] for a in per_axis), tuple(a[1] for a in per_axis),
            keep if any(k is not None for k in keep) else None)
