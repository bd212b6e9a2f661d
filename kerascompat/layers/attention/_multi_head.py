"""What MultiHeadAttention and GroupedQueryAttention share: building from the call's query,
value and key, Keras's masks, and the choice between torch's fused kernel and the explicit path."""

import warnings

import torch

from ... import constraints, initializers, regularizers
from ..._random import DropoutMasks
from ..._validation import check_bool, rate as _rate
from ...engine.base_layer import Layer
from ...engine.keras_tensor import KerasTensor, Node, is_symbolic
from . import _common


def _shape(x):
    return None if x is None else tuple(x.shape)


def _clone(initializer):
    # A fresh instance per sublayer, as Keras does (a stateless seeded initializer would otherwise
    # give every projection the same values).
    if hasattr(initializer, "get_config") and hasattr(type(initializer), "from_config"):
        return type(initializer).from_config(initializer.get_config())
    return initializer


def check_seed(seed):
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError(f"The `seed` argument must be an integer or None. Received: seed={seed!r}")
    return seed


def check_sliding_window(value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ValueError(f"`sliding_window` must be `None` or a positive integer. Received: sliding_window={value}")
    return value


class MultiHeadBase(Layer):
    """Shared call logic. Subclasses set in `build`: `_query_dense`, `_key_dense`, `_value_dense`,
    (`_gate_dense`), `_output_dense`, `_attention_axes`, `_dot_product_equation`,
    `_combine_equation`, `_norm_axes`, `_kv_repeats`; and `_scale` in `__init__`.

    `last_path` says how the latest call computed the attention: "fused" (torch's
    scaled_dot_product_attention) or "explicit" (scores materialized: attention scores requested,
    attention over several axes, or seeded dropout while training)."""

    supports_masking = True
    _query_mask_from_tensor = True

    def _init_common(self, dropout, use_bias, sliding_window, flash_attention, kernel_initializer, bias_initializer,
                     kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint,
                     use_gate, seed):
        self._dropout = _rate(dropout, "dropout")
        self._use_bias = check_bool(use_bias, "use_bias")
        self._use_gate = check_bool(use_gate, "use_gate")
        self._sliding_window = check_sliding_window(sliding_window)
        if flash_attention is not None and not isinstance(flash_attention, bool):
            raise TypeError(f"`flash_attention` must be None or a bool. Received: flash_attention={flash_attention!r}")
        if flash_attention is None:
            from ...backend import _CONFIG

            flash_attention = _CONFIG["flash_attention"]
        self._flash_attention = flash_attention
        if self._flash_attention and self._dropout > 0.0:
            raise ValueError("Dropout is not supported when flash attention is enabled. "
                             "Please set dropout to 0.0 to use flash attention.")
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = check_seed(seed)
        self._dropout_masks = DropoutMasks(seed)
        self.last_path = None

    def _sublayer_kwargs(self):
        """Keyword arguments of the EinsumDense projections (Keras's `_get_common_kwargs_for_sublayer`):
        the activity regularizer applies to each projection's output, not to this layer's."""
        return dict(kernel_initializer=_clone(self._kernel_initializer),
                    bias_initializer=_clone(self._bias_initializer),
                    kernel_regularizer=self._kernel_regularizer, bias_regularizer=self._bias_regularizer,
                    activity_regularizer=self._activity_regularizer, kernel_constraint=self._kernel_constraint,
                    bias_constraint=self._bias_constraint, dtype=self.dtype)

    def _weight_config(self):
        return {
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
        }

    def _record_build_shapes(self, query_shape, value_shape, key_shape):
        shapes = {"query_shape": tuple(query_shape), "value_shape": tuple(value_shape)}
        if key_shape is not None:
            shapes["key_shape"] = tuple(key_shape)
        self._build_shapes = shapes

    def get_build_config(self):
        """Keras's build config of a layer built from several call arguments."""
        shapes = self.__dict__.get("_build_shapes")
        return {"shapes_dict": dict(shapes)} if self.built and shapes else None

    def build_from_config(self, config):
        if self.built:
            return
        if config.get("shapes_dict"):
            shapes = {k: tuple(v) if v is not None else None for k, v in config["shapes_dict"].items()}
            self.build(**shapes)
        elif config.get("input_shape") is not None:
            self.build(tuple(config["input_shape"]))

    # ------------------------------------------------------------------ calling
    def __call__(self, *args, **kwargs):
        # Keras accepts `layer(query=..., value=..., key=...)`; the engine wants the query first.
        if "query" in kwargs:
            args = (kwargs.pop("query"),) + args
        if len(args) < 2 and "value" in kwargs:
            args = args + (kwargs.pop("value"),)
        if len(args) < 2:
            raise ValueError(f"Layer {self.name!r} must be called with `query` and `value`.")
        symbolic = is_symbolic(list(args)) or is_symbolic(kwargs)
        if not symbolic:
            args = tuple(a if a is None or isinstance(a, torch.Tensor) or i == 0 else self._convert_inputs(a)
                         for i, a in enumerate(args))
            if kwargs.get("key") is not None and not isinstance(kwargs["key"], torch.Tensor):
                kwargs["key"] = self._convert_inputs(kwargs["key"])
        if not self.built:
            key = args[2] if len(args) > 2 else kwargs.get("key")
            self.build(_shape(args[0]), _shape(args[1]), _shape(key))
        return super().__call__(*args, **kwargs)

    def _symbolic_call(self, args, kwargs):
        key = args[2] if len(args) > 2 else kwargs.get("key")
        query_shape, value_shape = _shape(args[0]), _shape(args[1])
        output_shape = self.compute_output_shape(query_shape, value_shape, _shape(key))
        dtype = self.dtype
        output = KerasTensor(output_shape, dtype, name=self.name)
        return_scores = kwargs.get("return_attention_scores", args[7] if len(args) > 7 else False)
        outputs = output
        if return_scores:
            outputs = (output, KerasTensor(self._scores_shape(query_shape, value_shape), dtype, name=self.name))
        Node(self, tuple(args), dict(kwargs), outputs)
        return outputs

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        key_given = key is not None
        if key is None:
            key = value
        # As Keras: masks not given come from the tensors' Keras masks. MultiHeadAttention uses the
        # mask its query carries (never an explicit `query_mask`) and removes the masks from its
        # inputs; its output carries the query's mask.
        if self._query_mask_from_tensor or query_mask is None:
            carried = getattr(query, "_keras_mask", None)
            if query_mask is not None and carried is None:
                warnings.warn(f"Layer {self.name!r}: MultiHeadAttention uses the Keras mask the query carries, as "
                              "Keras does; an explicit `query_mask` is not used (mask the query itself, e.g. with "
                              "Masking or Embedding(mask_zero=True)).", stacklevel=3)
            query_mask = carried
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        if key_mask is None and key_given and key is not value:
            key_mask = getattr(key, "_keras_mask", None)
        if self._query_mask_from_tensor and (query_mask is not None or value_mask is not None or key_mask is not None):
            for tensor in (query, value, key):
                if getattr(tensor, "_keras_mask", None) is not None:
                    del tensor._keras_mask
        query_mask, value_mask, key_mask = (m if m is None or isinstance(m, torch.Tensor)
                                            else torch.as_tensor(m, device=query.device)
                                            for m in (query_mask, value_mask, key_mask))
        if self._flash_attention and return_attention_scores:
            raise ValueError("Returning attention scores is not supported when flash attention is enabled. "
                             "Please disable flash attention to access attention scores.")
        causal_only = (use_causal_mask and query_mask is None and value_mask is None and key_mask is None
                       and attention_mask is None and self._sliding_window is None)
        if causal_only:
            mask = None
        else:
            if attention_mask is not None and not isinstance(attention_mask, torch.Tensor):
                attention_mask = torch.as_tensor(attention_mask, device=query.device)
            mask = _common.merge_masks(query_mask, value_mask, key_mask, use_causal_mask, self._sliding_window,
                                       attention_mask, query.shape[1], value.shape[1], query.device)
        gate = self._gate_dense(query) if self._use_gate else None
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        out, scores = self._attend(q, k, v, mask, causal_only, training, return_attention_scores)
        output = self._output_dense(out if gate is None else out * gate)
        if query_mask is not None:
            output._keras_mask = query_mask
        if return_attention_scores:
            return output, scores
        return output

    def _attend(self, q, k, v, mask, causal_only, training, return_scores):
        """Attention of projected (B, <axes>, heads, channels) tensors -> (output, scores or None)."""
        dropout = self._dropout if training else 0.0
        if q.dim() == 4 and not return_scores and not (dropout > 0.0 and self.seed is not None):
            # Keras's dot-product attention (no dropout configured) lets a fully masked row attend
            # uniformly; its einsum path (dropout configured) zeroes it: both are the fused kernel.
            if mask is not None:
                mask = _common.expand_mask(mask, 4, 1)
            out = _common.fused_attention(
                q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), mask, scale=self._scale,
                is_causal=causal_only, dropout_p=dropout, uniform_masked_rows=self._dropout == 0.0,
                enable_gqa=self._kv_repeats > 1, flash=self._flash_attention)
            self.last_path = "fused"
            return out.transpose(1, 2), None
        self.last_path = "explicit"
        if causal_only:
            mask = _common.causal_mask(q.shape[1], v.shape[1], q.device)
        if self._kv_repeats > 1:
            k = k.repeat_interleave(self._kv_repeats, dim=2)
            v = v.repeat_interleave(self._kv_repeats, dim=2)
        q = q * self._scale
        if q.dim() == 4:
            scores = torch.matmul(q.transpose(1, 2), k.permute(0, 2, 3, 1))  # (B, N, T, S)
        else:
            scores = torch.einsum(self._dot_product_equation, k, q)
        if mask is not None:
            mask = _common.expand_mask(mask, scores.dim(), len(self._attention_axes))
        probs = _common.masked_softmax(scores, mask, self._norm_axes)
        dropped = probs
        if dropout > 0.0:
            dropped = probs * self._dropout_masks(probs.shape, dropout, probs)
        if q.dim() == 4:
            out = torch.matmul(dropped, v.transpose(1, 2)).transpose(1, 2)
        else:
            out = torch.einsum(self._combine_equation, dropped, v)
        return out, probs

    def compute_mask(self, inputs, mask=None):
        return mask
