"""keras.ops math functions (keras/src/ops/math.py): segments, top-k, FFTs, STFT and special functions.

Complex values travel as Keras's (real, imag) pairs of float tensors.
"""

import torch

from ._tensor import float_tensor, tensors, to_tensor


def _segment(data, segment_ids, num_segments, sorted, reduce):  # noqa: A002 (Keras's name)
    data, segment_ids = tensors(data, segment_ids)
    ids = segment_ids.long()
    if ids.ndim != 1:
        raise ValueError(f"`segment_ids` must be 1-D. Received: segment_ids.shape={tuple(segment_ids.shape)}")
    if num_segments is not None and sorted:
        raise ValueError("Argument `num_segments` cannot be set when sorted is True. "
                         f"Received: num_segments={num_segments}, sorted={sorted}.")
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.numel() else 0)
    keep = (ids >= 0) & (ids < n)  # TensorFlow drops negative (and out of range) ids
    ids, data_kept = ids[keep], data[keep]
    out = torch.zeros((n, *data.shape[1:]), dtype=data.dtype, device=data.device)
    index = ids.reshape(-1, *([1] * (data.ndim - 1))).expand_as(data_kept)
    if reduce == "sum":
        return out.index_add(0, ids, data_kept)
    if sorted:
        # TensorFlow's sorted segment reductions give 0 (1 for prod) to empty segments.
        include_self = False
        if reduce == "prod":
            out = out + 1
    else:
        # TensorFlow's unsorted ones give the reduction's identity: lowest/highest value, or 1.
        include_self = True
        lo, hi = ((torch.finfo if data.dtype.is_floating_point else torch.iinfo)(data.dtype).min,
                  (torch.finfo if data.dtype.is_floating_point else torch.iinfo)(data.dtype).max)
        out = out + {"amax": lo, "amin": hi, "prod": 1}[reduce]
    return out.scatter_reduce(0, index, data_kept, reduce, include_self=include_self)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(data, segment_ids, num_segments, sorted, "sum")


def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(data, segment_ids, num_segments, sorted, "amax")


def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(data, segment_ids, num_segments, sorted, "amin")


def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(data, segment_ids, num_segments, sorted, "prod")


def top_k(x, k, sorted=True):  # noqa: A002
    """(values, indices) of the k largest entries along the last axis; indices are int32 as in Keras;
    among equal values the lower index comes first, as in TensorFlow."""
    x = to_tensor(x)
    if sorted:
        values, indices = torch.sort(x, dim=-1, descending=True, stable=True)
        values, indices = values[..., :int(k)], indices[..., :int(k)]
    else:
        values, indices = torch.topk(x, int(k), dim=-1, largest=True, sorted=False)
    return values, indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    """Whether each target's prediction is among the k largest (ties count as in, as in TensorFlow)."""
    targets, predictions = tensors(targets, predictions)
    target_values = predictions.gather(-1, targets.long().unsqueeze(-1))
    better = (predictions > target_values).sum(-1)
    return (better < k) & torch.isfinite(target_values.squeeze(-1))


def logsumexp(x, axis=None, keepdims=False):
    x = float_tensor(x)
    dims = tuple(range(x.ndim)) if axis is None else axis
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


def cdist(x, y):
    """Pairwise Euclidean distances between the rows of x (..., P, M) and y (..., R, M)."""
    x, y = tensors(x, y)
    return torch.cdist(float_tensor(x), float_tensor(y))


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of the last axis: (..., num_sequences, sequence_length)."""
    x = to_tensor(x)
    return x.unfold(-1, int(sequence_length), int(sequence_stride))


def _complex(x, name="x"):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"`{name}` must be a tuple of two tensors (real part, imaginary part). "
                         f"Received: {name}={x!r}")
    real, imag = tensors(*x)
    real, imag = float_tensor(real), float_tensor(imag)
    if real.shape != imag.shape:
        raise ValueError(f"The real and imaginary parts of `{name}` must have the same shape. "
                         f"Received: {tuple(real.shape)} and {tuple(imag.shape)}")
    return torch.complex(real, imag.to(real.dtype))


def _pair(z):
    return z.real.contiguous(), z.imag.contiguous()


def fft(x):
    return _pair(torch.fft.fft(_complex(x), dim=-1))


def fft2(x):
    return _pair(torch.fft.fft2(_complex(x), dim=(-2, -1)))


def ifft2(x):
    return _pair(torch.fft.ifft2(_complex(x), dim=(-2, -1)))


def rfft(x, fft_length=None):
    return _pair(torch.fft.rfft(float_tensor(x), n=fft_length, dim=-1))


def irfft(x, fft_length=None):
    return torch.fft.irfft(_complex(x), n=fft_length, dim=-1)


def _window(window, sequence_length, fft_length, dtype, device):
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f'If a string is passed to `window`, it must be one of "hann", "hamming". '
                             f"Received: `window`={window!r}")
        make = torch.hann_window if window == "hann" else torch.hamming_window
        w = make(sequence_length, periodic=True, dtype=dtype, device=device)
    else:
        w = to_tensor(window, device=device).to(dtype)
        if w.ndim != 1 or w.shape[0] != sequence_length:
            raise ValueError("The shape of `window` must be equal to [sequence_length]. "
                             f"Received: window shape={tuple(w.shape)}")
    left = (fft_length - sequence_length) // 2
    return torch.nn.functional.pad(w, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform as Keras/TensorFlow: (real, imag) of shape (..., frames, fft_length // 2 + 1)."""
    x = to_tensor(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"Invalid input type. Expected `float32` or `float64`. Received: input type={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError("`fft_length` must equal or larger than `sequence_length`. "
                         f"Received: sequence_length={sequence_length}, fft_length={fft_length}")
    if center:
        pad = fft_length // 2
        shape = x.shape
        x = torch.nn.functional.pad(x.reshape(-1, 1, shape[-1]), (pad, pad), mode="reflect")
        x = x.reshape(*shape[:-1], -1)
    frames = x.unfold(-1, fft_length, sequence_stride)
    w = _window(window, sequence_length, fft_length, x.dtype, x.device)
    if w is not None:
        frames = frames * w
    return _pair(torch.fft.rfft(frames, n=fft_length, dim=-1))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Inverse STFT as TensorFlow's inverse_stft with its window normalization, trimmed as Keras."""
    z = _complex(x)
    frames = torch.fft.irfft(z, n=fft_length, dim=-1)[..., :fft_length]
    w = _window(window, sequence_length, fft_length, frames.dtype, frames.device)
    if w is not None:
        # tf.signal.inverse_stft_window_fn: w / sum of the squared windows that overlap each sample.
        overlaps = -(-fft_length // sequence_stride)
        denom = torch.nn.functional.pad(w * w, (0, overlaps * sequence_stride - fft_length))
        denom = denom.reshape(overlaps, sequence_stride).sum(0).repeat(overlaps)[:fft_length]
        frames = frames * (w / denom)
    n_frames = frames.shape[-2]
    total = fft_length + sequence_stride * (n_frames - 1)
    lead = frames.shape[:-2]
    flat = frames.reshape(-1, n_frames, fft_length).transpose(1, 2)
    signal = torch.nn.functional.fold(flat, (1, total), (1, fft_length), stride=(1, sequence_stride))
    signal = signal.reshape(*lead, total)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = total - fft_length // 2
    else:
        end = total
    return signal[..., start:end]


def rsqrt(x):
    return torch.rsqrt(float_tensor(x))


def erf(x):
    return torch.erf(float_tensor(x))


def erfc(x):
    return torch.erfc(float_tensor(x))


def erfinv(x):
    return torch.erfinv(float_tensor(x))


def logdet(x):
    """log(det(x)) of Hermitian positive definite matrices."""
    return torch.logdet(float_tensor(x))


def view_as_complex(x):
    """(..., 2) real tensor -> complex tensor (...)."""
    x = float_tensor(x)
    if x.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). Received shape: {tuple(x.shape)}")
    return torch.view_as_complex(x.contiguous())


def view_as_real(x):
    """complex tensor (...) -> real tensor (..., 2)."""
    x = to_tensor(x)
    if not x.dtype.is_complex:
        raise ValueError(f"Input must be a complex tensor. Received: dtype={x.dtype}")
    return torch.view_as_real(x)


__all__ = [
    "cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "ifft2", "in_top_k", "irfft", "istft",
    "logdet", "logsumexp", "rfft", "rsqrt", "segment_max", "segment_min", "segment_prod", "segment_sum", "stft",
    "top_k", "view_as_complex", "view_as_real",
]
