"""Core layers: Dense, Embedding, Identity, Lambda, Masking."""

from .dense import Dense
from .einsum_dense import EinsumDense
from .embedding import Embedding
from .identity import Identity
from .lambda_layer import Lambda
from .masking import Masking
