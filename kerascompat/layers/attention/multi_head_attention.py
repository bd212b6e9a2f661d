"""MultiHeadAttention."""

import math

from ...engine.base_layer import Layer
from ..core.einsum_dense import EinsumDense
from . import _common
from ._multi_head import MultiHeadBase


def _positive(value, argname, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        extra = " or `None`" if allow_none else ""
        raise ValueError(f"Received an invalid value for argument `{argname}`, expected a positive integer{extra}. "
                         f"Received: {argname}={value}")
    return value


def _partial_shape(rank, known_last):
    return [None] * (rank - len(known_last)) + list(known_last)


class MultiHeadAttention(MultiHeadBase):
    """Multi-head attention (Vaswani et al., 2017) with Keras's arguments, weights and masks.

    Arguments: num_heads, key_dim, value_dim (default key_dim), dropout (on the attention
    probabilities), use_bias, output_shape (int or tuple; default: the query's last dimension),
    attention_axes (int or tuple; default: every axis but batch, heads and features),
    sliding_window, flash_attention, kernel/bias initializer, regularizer and constraint,
    activity_regularizer (applied to each projection, as in Keras), use_gate, seed.

    Call: `layer(query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
    attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False)`.
    Keras masks carried by query/value/key (from `Embedding(mask_zero=True)`) are used as Keras
    uses them (the query's own mask, never an explicit `query_mask`); the output carries the
    query's mask.

    Weights: four EinsumDense sublayers `query`, `key`, `value` (kernels (dim, heads, key_dim)
    or (dim, heads, value_dim), biases (heads, *_dim)) and `attention_output` (kernel (heads,
    value_dim, out_dim), bias (out_dim,)), in that order in `get_weights()` (`gate` after `key`
    with `use_gate`). With one attention axis (3-D inputs) and no attention scores requested the
    attention runs in torch's fused `scaled_dot_product_attention`; `last_path` tells.
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        num_heads = _positive(num_heads, "num_heads")
        key_dim = _positive(key_dim, "key_dim")
        value_dim = _positive(value_dim, "value_dim", allow_none=True)
        Layer.__init__(self, **kwargs)
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        if output_shape:
            if isinstance(output_shape, int) and not isinstance(output_shape, bool):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(f"Invalid `output_shape`: {output_shape}. When specified, the `output_shape` "
                                 "should be of type tuple, list, or int.") from None
        self._output_shape = output_shape
        if isinstance(attention_axes, int) and not isinstance(attention_axes, bool):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"`attention_axes` must be an int, list, or tuple.Received: attention_axes={attention_axes}")
        self._attention_axes = attention_axes
        self._init_common(dropout, use_bias, sliding_window, flash_attention, kernel_initializer, bias_initializer,
                          kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                          bias_constraint, use_gate, seed)
        self._scale = 1.0 / math.sqrt(float(key_dim))
        self._kv_repeats = 1

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    def _projection(self, rank, heads_dim, name, input_shape, activation=None):
        equation, bias_axes, out_rank = _common.build_proj_equation(rank - 1, bound_dims=1, output_dims=2)
        layer = EinsumDense(equation, output_shape=_partial_shape(out_rank - 1, [self._num_heads, heads_dim]),
                            bias_axes=bias_axes if self._use_bias else None, activation=activation, name=name,
                            **self._sublayer_kwargs())
        layer.build_from_shape(tuple(input_shape))
        return layer, out_rank

    def build(self, query_shape, value_shape=None, key_shape=None):
        self._record_build_shapes(query_shape, value_shape if value_shape is not None else query_shape, key_shape)
        if value_shape is None:
            value_shape = query_shape
        key_shape = value_shape if key_shape is None else key_shape
        query_shape, value_shape, key_shape = tuple(query_shape), tuple(value_shape), tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError("All dimensions of `value` and `key`, except the last one, must be equal. "
                             f"Received: value_shape={value_shape} and key_shape={key_shape}")
        self._query_dense, _ = self._projection(len(query_shape), self._key_dim, "query", query_shape)
        self._key_dense, _ = self._projection(len(key_shape), self._key_dim, "key", key_shape)
        if self._use_gate:
            self._gate_dense, _ = self._projection(len(query_shape), self._value_dim, "gate", query_shape, "sigmoid")
        self._value_dense, rank = self._projection(len(value_shape), self._value_dim, "value", value_shape)
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a for a in self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = _common.build_attention_equation(
            rank, self._attention_axes)
        self._norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        out_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes, out_rank = _common.build_proj_equation(
            len(query_shape) - 1, bound_dims=2, output_dims=len(out_shape))
        self._output_dense = EinsumDense(
            equation, output_shape=_partial_shape(out_rank - 1, out_shape),
            bias_axes=bias_axes if self._use_bias else None, name="attention_output", **self._sublayer_kwargs())
        projected = list(self._query_dense.compute_output_shape(query_shape))
        projected[-1] = self._value_dim
        self._output_dense.build_from_shape(tuple(projected))

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            value_shape = tuple(value_shape)
            key_shape = value_shape if key_shape is None else tuple(key_shape)
            if value_shape[1:-1] != key_shape[1:-1]:
                raise ValueError("All dimensions of `value` and `key`, except the last one, must be equal. "
                                 f"Received: value_shape={value_shape} and key_shape={key_shape}")
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def _scores_shape(self, query_shape, value_shape):
        axes = self._attention_axes
        batch = [query_shape[i] for i in range(len(query_shape) - 1) if i not in axes]
        return tuple(batch) + (self._num_heads,) + tuple(query_shape[a] for a in axes) + tuple(
            value_shape[a] for a in axes)

    def get_config(self):
        return {
            **Layer.get_config(self),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            **self._weight_config(),
            "seed": self.seed,
        }

    def extra_repr(self):
        return f"name={self.name!r}, num_heads={self._num_heads}, key_dim={self._key_dim}"
