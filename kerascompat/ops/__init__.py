"""Operations on torch tensors (the future `keras.ops`).

Today it holds the layout and padding arithmetic the layer families share, as pure
functions: `ops.padding` (TF-exact 'same'/'causal'/transposed sizes and torch arguments)
and `ops.layout` (channels_last views). Nothing here imports `kerascompat.layers`.
"""
