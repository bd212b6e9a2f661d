"""Attention (Luong-style dot-product attention) and AdditiveAttention (Bahdanau-style)."""

import torch
from torch import nn

from ..._random import DropoutMasks
from ..._validation import check_bool, rate as _rate
from ..._weights import IDENTITY
from ... import initializers
from ...engine.base_layer import Layer
from ...engine.keras_tensor import KerasTensor, Node
from ._multi_head import check_seed


def _check_inputs(layer, inputs, mask=None):
    name = type(layer).__name__
    if not isinstance(inputs, list):
        raise ValueError(f"{name} layer must be called on a list of inputs, namely [query, value] or "
                         f"[query, value, key]. Received: inputs={inputs}.")
    if len(inputs) < 2 or len(inputs) > 3:
        raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                         f"[query, value, key]. Received length: {len(inputs)}.")
    if mask is not None:
        if not isinstance(mask, list):
            raise ValueError(f"{name} layer mask must be a list, namely [query_mask, value_mask]. Received: mask={mask}.")
        if len(mask) < 2 or len(mask) > 3:
            raise ValueError(f"{name} layer accepts mask list of length 2 or 3. Received: inputs={inputs}, mask={mask}.")


class Attention(Layer):
    """Dot-product attention on `[query, value]` or `[query, value, key]` (key defaults to value).

    Arguments as in Keras: `use_scale` (a trainable scalar `scale` multiplying the scores),
    `score_mode` "dot" (query . key) or "concat" (sum of tanh(query + key), times a trainable
    scalar `concat_score_weight`), `dropout` on the attention distribution while training, `seed`.
    Call: `mask=[query_mask, value_mask]` (or the inputs' Keras masks), `return_attention_scores`,
    `use_causal_mask`, `training`. Masked value positions get -1e9 before the softmax; masked
    query positions give zero outputs; the output carries the query's mask.
    """

    supports_masking = True

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = check_bool(use_scale, "use_scale")
        self.score_mode = score_mode
        self.dropout = _rate(dropout, "dropout")
        self.seed = check_seed(seed)
        self._dropout_masks = DropoutMasks(seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError("Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                             f"Received: score_mode={score_mode}")

    def build(self, input_shape):
        _check_inputs(self, list(input_shape))
        dtype = self._dtype
        if self.use_scale:
            self.scale = nn.Parameter(torch.ones((), dtype=dtype))
            self._add_slot("scale", self, "scale", IDENTITY)
        else:
            self.register_parameter("scale", None)
        if self.score_mode == "concat":
            self.concat_score_weight = nn.Parameter(torch.ones((), dtype=dtype))
            self._add_slot("concat_score_weight", self, "concat_score_weight", IDENTITY)
        else:
            self.register_parameter("concat_score_weight", None)

    def _calculate_scores(self, query, key):
        scale = self._parameters["scale"]
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-2, -1))
            return scores if scale is None else scores * scale
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)
        if scale is not None:
            summed = scale * summed
        return self._parameters["concat_score_weight"] * torch.tanh(summed).sum(-1)

    def call(self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False):
        _check_inputs(self, inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = value_mask
        if use_causal_mask:
            causal = torch.ones(scores.shape[-2], scores.shape[-1], dtype=torch.bool,
                                device=scores.device).tril().unsqueeze(0)
            scores_mask = causal if value_mask is None else value_mask.bool().unsqueeze(-2) & causal
        if scores_mask is not None:
            scores_mask = scores_mask.bool()
            if scores_mask.dim() == 2:
                scores_mask = scores_mask.unsqueeze(-2)
            big = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            scores = torch.where(scores_mask, scores, scores - big)
        weights = torch.softmax(scores, dim=-1)
        dropped = weights
        if training and self.dropout > 0:
            dropped = weights * self._dropout_masks(weights.shape, self.dropout, weights)
        output = torch.matmul(dropped, value)
        if query_mask is not None:
            output = torch.where(query_mask.bool().unsqueeze(-1), output, 0.0)
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[0])[:-1], tuple(input_shape[1])[-1])

    def _symbolic_call(self, args, kwargs):
        if kwargs.get("return_attention_scores"):
            shapes = [tuple(t.shape) for t in args[0]]
            if not self.built:
                self.build_from_shape(shapes)
            key_shape = shapes[2] if len(shapes) > 2 else shapes[1]
            outputs = (KerasTensor(self.compute_output_shape(shapes), self.dtype, name=self.name),
                       KerasTensor((*shapes[0][:-1], key_shape[-2]), self.dtype, name=self.name))
            Node(self, tuple(args), dict(kwargs), outputs)
            return outputs
        return super()._symbolic_call(args, kwargs)

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}


class AdditiveAttention(Attention):
    """Additive (Bahdanau-style) attention: scores `sum(scale * tanh(query + key), -1)`.

    Arguments as in Keras: `use_scale` (default True: a trainable `scale` vector of the feature
    size, glorot_uniform), `dropout`, `seed`; call arguments as `Attention`."""

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        _check_inputs(self, list(input_shape))
        if self.use_scale:
            dim = tuple(input_shape[0])[-1]
            self.scale = nn.Parameter(torch.empty((dim,), dtype=self._dtype))
            self._add_slot("scale", self, "scale", IDENTITY, initializers.get("glorot_uniform"))
        else:
            self.register_parameter("scale", None)
        self.register_parameter("concat_score_weight", None)

    def _calculate_scores(self, query, key):
        scale = self._parameters["scale"]
        summed = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))
        return (summed if scale is None else scale * summed).sum(-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
