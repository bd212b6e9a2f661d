"""keras.ops statistics, normalizations and attention (keras/src/ops/nn.py)."""

import math
import warnings

import torch
import torch.nn.functional as F

from ._tensor import canonical_axis, float_tensor, tensors


def _epsilon(value):
    if value is not None:
        return value
    from ..backend import epsilon

    return epsilon()


def _axes(axes, ndim):
    if isinstance(axes, int):
        axes = (axes,)
    return tuple(sorted({canonical_axis(a, ndim, "axes") for a in axes}))


def moments(x, axes, keepdims=False, synchronized=False):
    """(mean, variance) over `axes`; the variance is the biased (population) one."""
    if synchronized:
        raise NotImplementedError("Cross-replica moments are not supported by kerascompat; under DDP use "
                                  "torch.nn.SyncBatchNorm. Received: `synchronized`=True")
    x = float_tensor(x)
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):
        x = x.float()  # statistics in float32, as Keras does for half precision
    axes = _axes(axes, x.ndim)
    variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=keepdims)
    return mean.to(dtype), variance.to(dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset, the 1-D statistics along `axis`."""
    x, mean, variance, offset, scale = tensors(x, mean, variance, offset, scale)
    x = float_tensor(x)
    axis = canonical_axis(axis, x.ndim)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def along(t):
        return None if t is None else t.to(x.dtype).reshape(shape)

    inv = torch.rsqrt(along(variance) + epsilon)
    if scale is not None:
        inv = inv * along(scale)
    res = -along(mean) * inv
    if offset is not None:
        res = res + along(offset)
    return x * inv + res


def normalize(x, axis=-1, order=2, epsilon=None):
    """x divided by its `order`-norm along `axis` (L2: x * min(rsqrt(sum x^2), 1 / epsilon))."""
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: `order`={order!r}")
    x = float_tensor(x)
    if x.ndim == 0:
        x = x.reshape(1)
    eps = _epsilon(epsilon)
    if order == 2:
        inv = torch.rsqrt((x * x).sum(axis, keepdim=True)).clamp(max=1.0 / eps)
        return x * inv
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / norm.clamp(min=eps)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """x * rsqrt(mean(x^2, axis) + epsilon) * scale."""
    x, scale = tensors(x, scale)
    x = float_tensor(x)
    eps = _epsilon(epsilon)
    axes = _axes(axis, x.ndim)
    y = x * torch.rsqrt((x * x).mean(axes, keepdim=True) + eps)
    return y if scale is None else y * scale.to(x.dtype)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """(x - mean) / sqrt(var + epsilon) * gamma + beta over `axis`; the deprecated
    `rms_scaling=True` is Keras's x * rsqrt(var + epsilon) * gamma (use rms_normalization)."""
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization() got unexpected keyword arguments {sorted(kwargs)}.")
    x, gamma, beta = tensors(x, gamma, beta)
    x = float_tensor(x)
    eps = _epsilon(epsilon)
    axes = _axes(axis, x.ndim)
    shape = [x.shape[d] if d in axes else 1 for d in range(x.ndim)]
    variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=True)
    if rms_scaling:
        warnings.warn("You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the "
                      "input by the variance, not the root mean square. To correctly use RMS Normalization, please "
                      "use `keras.ops.rms_normalization` instead.", UserWarning, stacklevel=2)
        # Keras's deprecated form divides by the standard deviation without centring x.
        y = x * torch.rsqrt(variance + eps)
        return y if gamma is None else y * gamma.to(x.dtype).reshape(shape)
    y = (x - mean) * torch.rsqrt(variance + eps)
    if gamma is not None:
        y = y * gamma.to(x.dtype).reshape(shape)
    if beta is not None:
        y = y + beta.to(x.dtype).reshape(shape)
    return y


def _large_negative(dtype):
    return -0.7 * (65500.0 if dtype == torch.float16 else torch.finfo(torch.bfloat16).max)


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention on Keras's (batch, seq, heads, head_dim) layout.

    Runs torch's scaled_dot_product_attention; masked logits (`mask` False, or above the
    diagonal with `is_causal`) get a large negative value, as in Keras, so a fully masked
    row attends uniformly instead of giving NaN.
    """
    if attn_logits_soft_cap is not None:
        raise NotImplementedError("`attn_logits_soft_cap` is only supported by Keras's JAX TPU backend. "
                                  f"Received: `attn_logits_soft_cap`={attn_logits_soft_cap!r}")
    query, key, value, bias, mask = tensors(query, key, value, bias, mask)
    if query.ndim != 4:
        raise ValueError("`dot_product_attention` only supports 4D inputs. "
                         f"Received: query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
                         f"value.shape={tuple(value.shape)}.")
    query, key, value = float_tensor(query), float_tensor(key), float_tensor(value)
    dtype = torch.promote_types(torch.promote_types(query.dtype, key.dtype), value.dtype)
    q, k, v = (t.to(dtype).transpose(1, 2) for t in (query, key, value))
    if scale is None:
        scale = 1.0 / math.sqrt(key.shape[-1])
    attn_bias = None if bias is None else bias.to(dtype)
    if mask is not None or is_causal:
        keep = torch.ones((), dtype=torch.bool, device=q.device)
        if mask is not None:
            keep = keep & mask.bool()
        if is_causal:
            t_len, s_len = q.shape[2], k.shape[2]
            keep = keep & torch.ones(t_len, s_len, dtype=torch.bool, device=q.device).tril()
        base = torch.zeros((), dtype=dtype, device=q.device) if attn_bias is None else attn_bias
        attn_bias = torch.where(keep, base, torch.tensor(_large_negative(dtype), dtype=dtype, device=q.device))
    if flash_attention is None:
        from ..backend import _CONFIG

        flash_attention = _CONFIG["flash_attention"]  # None: torch picks its kernel; False: never flash
    if flash_attention is None:
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias, scale=scale)
    else:
        from torch.nn.attention import SDPBackend, sdpa_kernel

        kernels = ([SDPBackend.FLASH_ATTENTION] if flash_attention
                   else [SDPBackend.MATH, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.CUDNN_ATTENTION])
        try:
            with sdpa_kernel(kernels):
                out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias, scale=scale)
        except RuntimeError as error:
            if not flash_attention:
                raise
            raise ValueError("Flash attention is not available for these inputs on this device "
                             f"({error}). Received: `flash_attention`=True") from None
    return out.transpose(1, 2)


__all__ = ["batch_normalization", "dot_product_attention", "layer_normalization", "moments", "normalize",
           "rms_normalization"]
