"""Core layers: Dense, Identity, Lambda, Masking."""

from .dense import Dense
from .identity import Identity
from .lambda_layer import Lambda
from .masking import Masking
