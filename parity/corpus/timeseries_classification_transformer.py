"""Timeseries classification with a Transformer encoder: MultiHeadAttention (dropout), Dropout,
LayerNormalization, residual `+`, a Conv1D(kernel_size=1) feed-forward part, and
GlobalAveragePooling1D(data_format="channels_first").

keras.io example: examples/timeseries/timeseries_classification_transformer.py (keras-team/keras-io).
Changed: head_size 8, 2 heads, 2 blocks, mlp_units [16], 20 synthetic steps, instead of 256, 4 heads, 4 blocks,
[128] and 500-step FordA series.
"""

N_CLASSES = 2
INPUT_SHAPE = (20, 1)


def build(keras):
    layers = keras.layers

    def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
        # Attention and Normalization
        x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(inputs, inputs)
        x = layers.Dropout(dropout)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        res = x + inputs

        # Feed Forward Part
        x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
        x = layers.Dropout(dropout)(x)
        x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        return x + res

    def build_model(input_shape, head_size, num_heads, ff_dim, num_transformer_blocks, mlp_units, dropout=0,
                    mlp_dropout=0):
        inputs = keras.Input(shape=input_shape)
        x = inputs
        for _ in range(num_transformer_blocks):
            x = transformer_encoder(x, head_size, num_heads, ff_dim, dropout)

        x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
        for dim in mlp_units:
            x = layers.Dense(dim, activation="relu")(x)
            x = layers.Dropout(mlp_dropout)(x)
        outputs = layers.Dense(N_CLASSES, activation="softmax")(x)
        return keras.Model(inputs, outputs)

    return build_model(INPUT_SHAPE, head_size=8, num_heads=2, ff_dim=4, num_transformer_blocks=2, mlp_units=[16],
                       mlp_dropout=0.4, dropout=0.25)


def inputs(rng):
    return rng.standard_normal((3,) + INPUT_SHAPE).astype("float32")


def targets(rng):
    return rng.integers(0, N_CLASSES, 3)


def loss(keras):
    return keras.losses.get("sparse_categorical_crossentropy")
