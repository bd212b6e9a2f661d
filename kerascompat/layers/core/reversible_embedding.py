"""ReversibleEmbedding: an Embedding that can also project vectors back to vocabulary logits."""

import torch

from ..._validation import check_bool
from ..._validation import standardize_dtype as _torch_dtype
from .embedding import Embedding


class ReversibleEmbedding(Embedding):
    """`layer(ids)` looks up embeddings as `Embedding` does; `layer(x, reverse=True)` returns
    the logits `x @ embeddings.T` (`tie_weights=True`, the default) or `x @ reverse_embeddings`
    with a separate (output_dim, input_dim) weight (`tie_weights=False`). `reverse_dtype`
    computes the reverse projection in another float dtype; `logit_soft_cap` c maps the logits
    to `tanh(logits / c) * c`. A reverse call produces no mask."""

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer, embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        self.tie_weights = check_bool(tie_weights, "tie_weights")
        self._reverse_torch_dtype = None if reverse_dtype is None else _torch_dtype(reverse_dtype, "reverse_dtype")
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim), initializer=self.embeddings_initializer,
                name="reverse_embeddings", trainable=True)

    def call(self, inputs, reverse=False):
        self.__dict__["_last_call_reverse"] = reverse
        if not reverse:
            return super().call(inputs)
        if self.tie_weights:
            kernel = self._modules["embedding"]._parameters["weight"].T
        else:
            kernel = self._parameters["reverse_embeddings"]
        if self._reverse_torch_dtype is not None:
            inputs, kernel = inputs.to(self._reverse_torch_dtype), kernel.to(self._reverse_torch_dtype)
        elif inputs.dtype != kernel.dtype:
            inputs = inputs.to(kernel.dtype)
        logits = inputs @ kernel
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, mask=None):
        if self.__dict__.get("_last_call_reverse"):
            return None
        return super().compute_mask(inputs, mask)

    def _symbolic_call(self, args, kwargs):
        self.__dict__["_symbolic_reverse"] = bool(kwargs.get("reverse", False))
        try:
            return super()._symbolic_call(args, kwargs)
        finally:
            self.__dict__["_symbolic_reverse"] = False

    def compute_output_shape(self, input_shape, reverse=None):
        if reverse is None:
            reverse = self.__dict__.get("_symbolic_reverse", False)
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap}
