"""keras.ops one-hot encodings, cross-entropies, CTC and PSNR (keras/src/ops/nn.py).

The probability forms clip to [epsilon(), 1 - epsilon()] before the log, as TensorFlow's
Keras backend does; the losses are per sample (no reduction).
"""

import torch
import torch.nn.functional as F

from ._tensor import canonical_axis, float_tensor, tensors, to_tensor, torch_dtype


def _epsilon():
    from ..backend import epsilon

    return epsilon()


def _float_dtype(dtype):
    if dtype is None:
        from ..backend import floatx

        dtype = floatx()
    return torch_dtype(dtype)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """Indices outside [0, num_classes) give all-zero rows, as in TensorFlow."""
    if sparse:
        raise NotImplementedError("Sparse one-hot tensors are not supported by kerascompat. Received: `sparse`=True")
    x = to_tensor(x)
    if x.dtype.is_floating_point:
        x = x.to(torch.int64)
    out_dtype = _float_dtype(dtype)
    valid = (x >= 0) & (x < num_classes)
    encoded = F.one_hot(torch.where(valid, x, 0).long(), num_classes) * valid.unsqueeze(-1)
    encoded = encoded.to(out_dtype)
    axis = canonical_axis(axis, encoded.ndim)
    return encoded if axis == encoded.ndim - 1 else encoded.movedim(-1, axis)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """1 at every class index present in each sample: (num_classes,) or (batch, num_classes)."""
    if "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"multi_hot() got unexpected keyword arguments {sorted(kwargs)}.")
    if num_classes is None:
        raise ValueError("Argument `num_classes` must be specified. Received: `num_classes`=None")
    inputs = to_tensor(inputs)
    encoded = one_hot(inputs, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return encoded.amax(dim=1 if inputs.ndim > 1 else 0)


def binary_crossentropy(target, output, from_logits=False):
    target, output = tensors(target, output)
    output = float_tensor(output)
    target = target.to(output.dtype)
    if target.shape != output.shape:
        raise ValueError("Arguments `target` and `output` must have the same shape. "
                         f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}")
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = _epsilon()
    output = output.clamp(eps, 1.0 - eps)
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = tensors(target, output)
    output = float_tensor(output)
    target = target.to(output.dtype)
    if target.shape != output.shape:
        raise ValueError("Arguments `target` and `output` must have the same shape. "
                         f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}")
    if output.ndim < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: output.shape={tuple(output.shape)}")
    axis = canonical_axis(axis, output.ndim)
    if from_logits:
        return -(target * torch.log_softmax(output, axis)).sum(axis)
    output = output / output.sum(axis, keepdim=True)
    eps = _epsilon()
    return -(target * torch.log(output.clamp(eps, 1.0 - eps))).sum(axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = tensors(target, output)
    output = float_tensor(output)
    if output.ndim < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: output.shape={tuple(output.shape)}")
    if canonical_axis(axis, output.ndim) != output.ndim - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: `axis`={axis}")
    target = target.long()
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target.squeeze(-1)
    if tuple(target.shape) != tuple(output.shape[:-1]):
        raise ValueError("Arguments `target` and `output` must have the same shape up until the last dimension: "
                         f"target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}")
    if from_logits:
        log_probs = torch.log_softmax(output, -1)
    else:
        eps = _epsilon()
        log_probs = torch.log_softmax(torch.log(output.clamp(eps, 1.0 - eps)), -1)
    return -log_probs.gather(-1, target.unsqueeze(-1)).squeeze(-1)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Per-sample CTC loss; `output` holds logits (batch, time, classes), `target` (batch, max_len) ints."""
    target, output, target_length, output_length = tensors(target, output, target_length, output_length)
    output = float_tensor(output)
    log_probs = torch.log_softmax(output, -1).transpose(0, 1)
    return F.ctc_loss(log_probs, target.long(), output_length.long(), target_length.long(), blank=mask_index,
                      reduction="none", zero_infinity=False)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
               mask_index=0):
    """Greedy CTC decoding as tf.nn.ctc_greedy_decoder: (decoded (1, batch, time) padded with -1,
    scores (batch, 1) = minus the sum over time of the best logit)."""
    if strategy == "beam_search":
        raise NotImplementedError("CTC beam search decoding is not implemented in kerascompat (TensorFlow's beam "
                                  "scorer has no torch counterpart). Received: `strategy`='beam_search'")
    if strategy != "greedy":
        raise ValueError(f"Invalid strategy {strategy}. Supported values are 'greedy' and 'beam_search'. "
                         f"Received: `strategy`={strategy!r}")
    inputs, sequence_lengths = tensors(inputs, sequence_lengths)
    inputs = float_tensor(inputs)
    batch, steps, classes = inputs.shape
    mask_index = mask_index % classes
    best, best_class = inputs.max(-1)
    valid = torch.arange(steps, device=inputs.device)[None, :] < sequence_lengths.long()[:, None]
    scores = -(best * valid).sum(-1, keepdim=True)
    previous = torch.cat([torch.full_like(best_class[:, :1], -1), best_class[:, :-1]], 1)
    keep = valid & (best_class != mask_index)
    if merge_repeated:
        keep &= best_class != previous
    decoded = torch.full((batch, steps), -1, dtype=torch.int32, device=inputs.device)
    position = keep.long().cumsum(1) - 1
    rows = torch.arange(batch, device=inputs.device)[:, None].expand(batch, steps)
    decoded[rows[keep], position[keep]] = best_class[keep].to(torch.int32)
    return decoded.unsqueeze(0), scores


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio over all elements, in dB."""
    x1, x2 = tensors(x1, x2)
    x1, x2 = float_tensor(x1), float_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"Input shapes {tuple(x1.shape)} and {tuple(x2.shape)} must match for PSNR calculation.")
    mse = torch.mean((x1 - x2) ** 2)
    max_val = torch.as_tensor(max_val, dtype=x2.dtype, device=x2.device)
    return 20 * torch.log10(max_val) - 10 * torch.log10(mse)


__all__ = [
    "binary_crossentropy", "categorical_crossentropy", "ctc_decode", "ctc_loss", "multi_hot", "one_hot", "psnr",
    "sparse_categorical_crossentropy",
]
