"""Pure pieces of the attention layers: Keras's projection and attention einsum equations, its
masks (causal, sliding window, the merge of query/value/key masks), the masked softmax, and
the call into torch's fused `scaled_dot_product_attention`."""

import string

import torch
import torch.nn.functional as F

_LETTERS = string.ascii_lowercase


def build_proj_equation(free_dims, bound_dims, output_dims):
    """Keras's projection einsum inside multi-head attention: (equation, bias_axes, output_rank).
    `free_dims` input axes pass through, `bound_dims` are contracted with the kernel, and the
    kernel adds `output_dims` axes (which carry the bias)."""
    free = _LETTERS[:free_dims]
    bound = _LETTERS[free_dims:free_dims + bound_dims]
    out = _LETTERS[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out, free_dims + output_dims


def build_attention_equation(rank, attn_axes):
    """Keras's (dot_product_equation, combine_equation, scores_rank) for projected tensors of
    `rank` (batch, <axes>, heads, channels) attending over `attn_axes`.

    dot product: key (source), query (target) -> scores (<batch dims>, heads, <query attention
    dims>, <key attention dims>); combine: scores, value -> (batch, <axes>, heads, channels)."""
    target = _LETTERS[:rank]
    batch_dims = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    source, offset = "", rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _LETTERS[offset]
            offset += 1
    product = ("".join(target[i] for i in batch_dims) + "".join(target[i] for i in attn_axes)
               + "".join(source[i] for i in attn_axes))
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def causal_mask(q_len, v_len, device):
    """(1, T, S) booleans: query position i sees key positions j <= i (Keras's lower triangle)."""
    return torch.ones(q_len, v_len, dtype=torch.bool, device=device).tril().unsqueeze(0)


def sliding_window_mask(q_len, v_len, window, device):
    """(1, T, S) booleans: |i - j| < window (a symmetric band, as Keras's `sliding_window`)."""
    rows = torch.arange(q_len, device=device).view(1, q_len, 1)
    cols = torch.arange(v_len, device=device).view(1, 1, v_len)
    return (rows - cols).abs() < window


def merge_masks(query_mask, value_mask, key_mask, causal, window, attention_mask, q_len, v_len, device):
    """Keras's attention mask (B, T, S) from the Keras masks of query (B, T), value and key
    (B, S), the causal and sliding-window masks and an explicit `attention_mask`, all ANDed;
    None when there is none."""
    auto = None
    if query_mask is not None:
        auto = query_mask.bool().unsqueeze(-1)
    for mask in (value_mask, key_mask):
        if mask is not None:
            mask = mask.bool().unsqueeze(-2)
            auto = mask if auto is None else auto & mask
    if causal:
        mask = causal_mask(q_len, v_len, device)
        auto = mask if auto is None else auto & mask
    if window is not None:
        mask = sliding_window_mask(q_len, v_len, window, device)
        auto = mask if auto is None else auto & mask
    if attention_mask is not None:
        attention_mask = attention_mask.bool() if attention_mask.dtype is not torch.bool else attention_mask
        return attention_mask if auto is None else attention_mask & auto
    return auto


def expand_mask(mask, rank, n_attention_axes):
    """Insert axes before the attention axes until the mask has the scores' rank (Keras inserts
    the heads axis and missing batch axes at -2 * len(attention_axes) - 1)."""
    axis = -2 * n_attention_axes - 1
    while mask.dim() < rank:
        mask = mask.unsqueeze(axis if axis >= -mask.dim() - 1 else 0)
    return mask


def masked_softmax(scores, mask, axes):
    """Keras's Softmax layer with a mask: masked scores become -1e9 before and 0 after; over
    several axes at once as exp(x - logsumexp(x))."""
    if mask is not None:
        scores = torch.where(mask, scores, -3e4 if scores.dtype == torch.float16 else -1e9)
    if len(axes) == 1:
        probs = torch.softmax(scores, dim=axes[0])
    else:
        probs = torch.exp(scores - torch.logsumexp(scores, dim=axes, keepdim=True))
    if mask is not None:
        probs = torch.where(mask, probs, 0.0)
    return probs


def fused_attention(q, k, v, mask, *, scale, is_causal=False, dropout_p=0.0, uniform_masked_rows=True,
                    enable_gqa=False, flash=None):
    """torch's scaled_dot_product_attention on (B, heads, T, H) tensors with a boolean mask
    broadcastable to (B, heads, T, S).

    `uniform_masked_rows`: a fully masked query row attends uniformly (Keras's dot-product
    attention); otherwise such a row gives zeros (Keras's einsum path: its masked softmax is
    zero everywhere), as torch's kernel does."""
    kwargs = {"enable_gqa": True} if enable_gqa else {}
    out = _sdpa(q, k, v, mask, dropout_p, is_causal, scale, flash, kwargs)
    if mask is not None and uniform_masked_rows:
        # torch gives a fully masked row zeros; TensorFlow's masked logits (-0.7 x max float, set
        # with `where`, so no gradient reaches them) make it the plain mean of the values.
        empty = ~mask.any(-1, keepdim=True)
        if enable_gqa:
            v = v.repeat_interleave(q.shape[1] // v.shape[1], dim=1)
        out = out + empty.to(out.dtype) * v.mean(-2, keepdim=True)
    return out


def _sdpa(q, k, v, attn_mask, dropout_p, is_causal, scale, flash, kwargs):
    if flash is None:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=dropout_p,
                                              is_causal=is_causal, scale=scale, **kwargs)
    from torch.nn.attention import SDPBackend, sdpa_kernel

    kernels = ([SDPBackend.FLASH_ATTENTION] if flash
               else [SDPBackend.MATH, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.CUDNN_ATTENTION])
    try:
        with sdpa_kernel(kernels):
            return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=dropout_p,
                                                  is_causal=is_causal, scale=scale, **kwargs)
    except RuntimeError as error:
        if not flash:
            raise
        raise ValueError(f"Flash attention is not available for these inputs on this device ({error}). "
                         "Received: `flash_attention`=True") from None
