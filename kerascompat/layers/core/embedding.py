"""Embedding."""

import warnings

import torch
import torch.nn.functional as F
from torch import nn

from ... import constraints, initializers, regularizers
from ..._validation import check_bool, received, reject_unsupported
from ..._weights import IDENTITY
from ...engine.base_layer import Layer


def _vocabulary_size(value, argname):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"`{argname}` must be a positive integer (got a {type(value).__name__}). " + received(argname, value)
        )
    return value


class Embedding(Layer):
    """Turns non-negative integer indices into dense vectors: `embeddings[inputs]`.

    Holds an `nn.Embedding` (`self.embedding`) whose weight is the Keras `embeddings`
    matrix (input_dim, output_dim), same layout. Arguments as in Keras: input_dim,
    output_dim, embeddings_initializer ("uniform": RandomUniform(-0.05, 0.05)),
    embeddings_regularizer, embeddings_constraint, activity_regularizer, mask_zero (the
    output carries a mask `inputs != 0` that RNNs and pooling layers consume), weights
    (initial embeddings), and Keras 2's `input_length` (accepted with Keras's warning).
    Integer inputs of any integer dtype are looked up as they are; other inputs are cast to
    int32 first, as Keras does. `sparse=True`, `lora_rank` and `quantization_config` raise
    NotImplementedError.
    """

    _track_plain_torch_params = False

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        input_dim = _vocabulary_size(input_dim, "input_dim")
        output_dim = _vocabulary_size(output_dim, "output_dim")
        reject_unsupported("Embedding", lora_rank=(lora_rank, None), lora_alpha=(lora_alpha, None),
                           quantization_config=(quantization_config, None),
                           sparse=(kwargs.pop("sparse", False), False))
        input_length = kwargs.pop("input_length", None)
        if input_length is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = check_bool(mask_zero, "mask_zero")
        self.supports_masking = self.mask_zero
        self._produces_mask = self.mask_zero
        # As Keras: inputs are indices, never cast to the layer's float dtype on the way in.
        self.autocast = False
        if weights is not None:
            self.build_from_shape((None, None))
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        self.embedding = nn.Embedding(self.input_dim, self.output_dim, dtype=self._dtype)
        self._add_slot("embeddings", self.embedding, "weight", IDENTITY, self.embeddings_initializer,
                       self.embeddings_regularizer, self.embeddings_constraint)

    @property
    def embeddings(self):
        """The Keras `embeddings` matrix (input_dim, output_dim): `embedding.weight` itself."""
        return self.embedding.weight

    def call(self, inputs):
        if inputs.dtype is not torch.int64 and inputs.dtype is not torch.int32:
            inputs = inputs.to(torch.int32)
        return F.embedding(inputs, self._modules["embedding"]._parameters["weight"])

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }

    def extra_repr(self):
        return f"name={self.name!r}, input_dim={self.input_dim}, output_dim={self.output_dim}" + (
            ", mask_zero=True" if self.mask_zero else "")
