"""Attention layers: MultiHeadAttention, GroupedQueryAttention (Keras's `GroupQueryAttention`),
Attention, AdditiveAttention."""

from .attention import AdditiveAttention, Attention
from .grouped_query_attention import GroupedQueryAttention
from .multi_head_attention import MultiHeadAttention
