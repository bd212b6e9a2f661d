"""GroupedQueryAttention (exported as Keras's `GroupQueryAttention`)."""

import math

from ...engine.base_layer import Layer
from ..core.einsum_dense import EinsumDense
from ._multi_head import MultiHeadBase


def _positive(value, argname):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"`{argname}` must be a positive integer. Received: {argname}={value!r}")
    return value


class GroupedQueryAttention(MultiHeadBase):
    """Grouped-query attention (Ainslie et al., 2023): `num_query_heads` query heads share
    `num_key_value_heads` key/value heads (query head i uses key/value head i // groups).

    Arguments as in Keras: head_dim, num_query_heads, num_key_value_heads, dropout, use_bias,
    sliding_window, flash_attention, kernel/bias initializer, regularizer and constraint,
    activity_regularizer (applied to each projection), use_gate, seed. Call as
    MultiHeadAttention (query, value, key, masks, attention_mask, return_attention_scores,
    training, use_causal_mask). Weights: EinsumDense sublayers `query` (dim, num_query_heads,
    head_dim), `key` and `value` (dim, num_key_value_heads, head_dim), `attention_output`
    (num_query_heads, head_dim, dim), each with its bias. The fused kernel runs with torch's
    `enable_gqa` (no repeated key/value heads in memory); `last_path` tells which path ran.
    """

    _query_mask_from_tensor = False  # Keras's GroupedQueryAttention takes `query_mask` and keeps input masks

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0, use_bias=True,
                 sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        head_dim = _positive(head_dim, "head_dim")
        num_query_heads = _positive(num_query_heads, "num_query_heads")
        num_key_value_heads = _positive(num_key_value_heads, "num_key_value_heads")
        Layer.__init__(self, **kwargs)
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`. Received: "
                             f"num_query_heads={num_query_heads}, num_key_value_heads={num_key_value_heads}")
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self._init_common(dropout, use_bias, sliding_window, flash_attention, kernel_initializer, bias_initializer,
                          kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                          bias_constraint, use_gate, seed)
        self._scale = 1.0 / math.sqrt(float(head_dim))
        self._kv_repeats = self.num_repeats
        self._attention_axes = (1,)
        self._norm_axes = (-1,)

    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    use_gate = property(lambda self: self._use_gate)
    sliding_window = property(lambda self: self._sliding_window)

    def _dense(self, equation, output_shape, bias_axes, name, input_shape, activation=None):
        layer = EinsumDense(equation, output_shape=output_shape, bias_axes=bias_axes if self._use_bias else None,
                            activation=activation, name=name, **self._sublayer_kwargs())
        layer.build_from_shape(tuple(input_shape))
        return layer

    def build(self, query_shape, value_shape=None, key_shape=None):
        self._record_build_shapes(query_shape, value_shape if value_shape is not None else query_shape, key_shape)
        if value_shape is None:
            value_shape = query_shape
        key_shape = value_shape if key_shape is None else key_shape
        for argname, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(f"GroupedQueryAttention takes 3-D `{argname}` (batch, sequence, features). "
                                 f"Received: {argname}.shape={tuple(shape)}")
        self.feature_dim = query_shape[-1]
        nq, nkv, h = self.num_query_heads, self.num_key_value_heads, self.head_dim
        self._query_dense = self._dense("bqm,muh->bquh", (None, nq, h), "uh", "query", query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", (None, nkv, h), "vh", "key", key_shape)
        if self._use_gate:
            self._gate_dense = self._dense("bqm,muh->bquh", (None, nq, h), "uh", "gate", query_shape, "sigmoid")
        self._value_dense = self._dense("bkm,mvh->bkvh", (None, nkv, h), "vh", "value", value_shape)
        self._output_dense = self._dense("bquh,uhm->bqm", (None, self.feature_dim), "m", "attention_output",
                                         (None, None, nq, h))

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None:
            value_shape = tuple(value_shape)
            key_shape = value_shape if key_shape is None else tuple(key_shape)
            if query_shape[-1] != value_shape[-1]:
                raise ValueError(
                    "The last dimension of `query_shape` and `value_shape` must be equal, but are "
                    f"{query_shape[-1]}, {value_shape[-1]}. Received: query_shape={query_shape}, "
                    f"value_shape={value_shape}")
            if value_shape[1:-1] != key_shape[1:-1]:
                raise ValueError("All dimensions of `value` and `key`, except the last one, must be equal. "
                                 f"Received: value_shape={value_shape} and key_shape={key_shape}")
        return query_shape

    def _scores_shape(self, query_shape, value_shape):
        return (query_shape[0], self.num_query_heads, query_shape[1], value_shape[1])

    def get_config(self):
        return {
            **Layer.get_config(self),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "sliding_window": self._sliding_window,
            "dropout": self._dropout,
            **self._weight_config(),
            "seed": self.seed,
        }

    def extra_repr(self):
        return (f"name={self.name!r}, head_dim={self.head_dim}, num_query_heads={self.num_query_heads}, "
                f"num_key_value_heads={self.num_key_value_heads}")
