"""Batch statistics for BatchNormalization's general training path: masked moments, moments
all-reduced over the torch.distributed process group (`synchronized=True`), and batch
renormalization's correction (Ioffe, 2017) as Keras computes it."""

import torch

_MASK_EPSILON = 1e-7  # Keras's backend.epsilon(), added to the masked element count
RENORM_CLIPPING_KEYS = ("rmax", "rmin", "dmax")


def masked_moments(inputs, mask, dims):
    """Keras's masked moments: the mask covers inputs.shape[:-1] and is broadcast over the last axis."""
    keep = mask.to(torch.bool).unsqueeze(-1).expand(inputs.shape)
    count = keep.to(inputs.dtype).sum(dim=dims, keepdim=True) + _MASK_EPSILON
    mean = torch.where(keep, inputs, 0.0).sum(dim=dims, keepdim=True) / count
    var = torch.where(keep, inputs - mean, 0.0).square().sum(dim=dims, keepdim=True) / count
    return mean.reshape(-1), var.reshape(-1)


def _process_group_size():
    dist = torch.distributed
    if dist.is_available() and dist.is_initialized():
        return dist.get_world_size()
    return 1


def synchronized_moments(inputs, dims):
    """Mean and variance over the whole global batch: per-feature sums, sums of squares and counts
    all-reduced (differentiably) over the default process group; var = E[x^2] - E[x]^2, floored at
    0, as Keras's TensorFlow backend computes synchronized moments. Without an initialized
    process group (or with one process) these are the local moments."""
    if _process_group_size() == 1:
        var, mean = torch.var_mean(inputs, dim=dims, correction=0)
        return mean, var
    sums = inputs.sum(dim=dims)
    count = torch.full_like(sums, inputs.numel() // max(1, sums.numel()))
    local = torch.stack([sums, inputs.square().sum(dim=dims), count])
    total = _AllReduceSum.apply(local)
    mean = total[0] / total[2]
    var = torch.clamp(total[1] / total[2] - mean.square(), min=0.0)
    return mean, var


class _AllReduceSum(torch.autograd.Function):
    """Sum over the process group, differentiable: the gradient of every rank's input is the sum
    of the ranks' output gradients (each rank's loss depends on every rank's input)."""

    @staticmethod
    def forward(ctx, tensor):
        out = tensor.clone()
        torch.distributed.all_reduce(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        torch.distributed.all_reduce(grad)
        return grad


def check_renorm_clipping(renorm_clipping):
    """Keras's checks of `renorm_clipping` (a dict with keys rmax, rmin, dmax); returns it ({} for None)."""
    renorm_clipping = renorm_clipping or {}
    if set(renorm_clipping) - set(RENORM_CLIPPING_KEYS):
        raise ValueError(f"Received invalid keys for `renorm_clipping` argument: {renorm_clipping}. "
                         f"Supported values: {list(RENORM_CLIPPING_KEYS)}.")
    rmax, rmin, dmax = (renorm_clipping.get(k) for k in RENORM_CLIPPING_KEYS)
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError("rmax should be greater than rmin in the `renorm_clipping` argument. "
                         f"Received: rmax={rmax}, rmin={rmin}.")
    if dmax is not None and dmax < 0:
        raise ValueError(f"dmax should be non-negative in the `renorm_clipping` argument. Received: dmax={dmax}.")
    return renorm_clipping


def renorm_correction(mean, var, renorm_mean, renorm_stddev, epsilon, clipping):
    """Batch renormalization's (r, d), clipped and without gradient."""
    with torch.no_grad():
        stddev = torch.sqrt(var + epsilon)
        renorm_stddev = torch.clamp(renorm_stddev.to(mean.dtype), min=epsilon ** 0.5)
        r = stddev / renorm_stddev
        d = (mean - renorm_mean.to(mean.dtype)) / renorm_stddev
        if clipping.get("rmin") is not None:
            r = torch.clamp(r, min=clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = torch.clamp(r, max=clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = torch.clamp(d, -clipping["dmax"], clipping["dmax"])
    return r, d


def renorm_affine(r, d, weight, bias):
    """(x * r + d) * gamma + beta as a scale and an offset: (r * gamma, d * gamma + beta)."""
    scale = r if weight is None else r * weight
    offset = d if weight is None else d * weight
    return scale, (offset if bias is None else offset + bias)
