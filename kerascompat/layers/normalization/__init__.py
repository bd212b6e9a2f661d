"""Normalization layers: BatchNormalization, LayerNormalization."""

from .batch_normalization import BatchNormalization
