"""Normalization layers: BatchNormalization, LayerNormalization."""

from .batch_normalization import BatchNormalization
from .layer_normalization import LayerNormalization
