"""Embedding cases (integer inputs: the harness draws indices 0..4, so there is no input
gradient to compare) and whole text models whose masks come from `mask_zero=True`."""

from case import Both, Case


def masked_bidirectional_classifier(K):
    # The keras.io text classifier: padded token ids -> masked Bidirectional(LSTM) -> Dense.
    x = K.Input(shape=(9,), dtype="int32")
    h = K.layers.Embedding(7, 6, mask_zero=True)(x)
    h = K.layers.Bidirectional(K.layers.LSTM(4))(h)
    return K.Model(x, K.layers.Dense(2, activation="softmax")(h))


def masked_average_classifier(K):
    x = K.Input(shape=(8,), dtype="int32")
    h = K.layers.Embedding(7, 5, mask_zero=True)(x)
    h = K.layers.GlobalAveragePooling1D()(h)
    return K.Model(x, K.layers.Dense(3)(h))


def padded_sequence_tagger(K):
    # No mask: the padding steps are ordinary index-0 steps on both sides.
    x = K.Input(shape=(8,), dtype="int32")
    h = K.layers.Embedding(7, 5)(x)
    h = K.layers.LSTM(4, return_sequences=True)(h)
    return K.Model(x, K.layers.Dense(3)(h))


def masked_sequence_tagger(K):
    x = K.Input(shape=(8,), dtype="int64")
    h = K.layers.Embedding(7, 5, mask_zero=True)(x)
    h = K.layers.GRU(4, return_sequences=True)(h)
    return K.Model(x, K.layers.Dense(3)(h))


EMBEDDING_CASES = [
    Case("embedding-basic", "Embedding", {"input_dim": 7, "output_dim": 4}, (3, 6), input_dtype="int32"),
    Case("embedding-int64", "Embedding", {"input_dim": 5, "output_dim": 3}, (2, 3, 4), input_dtype="int64"),
    Case("embedding-mask-zero", "Embedding", {"input_dim": 7, "output_dim": 4, "mask_zero": True}, (3, 6),
         input_dtype="int32", padded_lengths=[6, 3, 1]),
    Case("embedding-regularizers", "Embedding",
         {"input_dim": 7, "output_dim": 4, "embeddings_regularizer": Both(lambda K: K.regularizers.L2(0.1)),
          "activity_regularizer": Both(lambda K: K.regularizers.L1(0.01))}, (3, 6), input_dtype="int32"),
    Case("embedding-constraint", "Embedding",
         {"input_dim": 7, "output_dim": 4, "embeddings_constraint": Both(lambda K: K.constraints.MaxNorm(0.05))},
         (3, 6), input_dtype="int32"),
    Case("embedding-initializer", "Embedding",
         {"input_dim": 7, "output_dim": 4, "embeddings_initializer": "glorot_uniform"}, (3, 6), input_dtype="int32"),
    Case("model-embedding-bidirectional-lstm", build=masked_bidirectional_classifier, input_shapes=(3, 9),
         input_dtype="int32", padded_lengths=[9, 5, 2]),
    Case("model-embedding-global-average", build=masked_average_classifier, input_shapes=(3, 8),
         input_dtype="int32", padded_lengths=[8, 4, 1]),
    Case("model-embedding-lstm-padded", build=padded_sequence_tagger, input_shapes=(3, 8),
         input_dtype="int32", padded_lengths=[8, 5, 3]),
    Case("model-embedding-masked-gru-sequences", build=masked_sequence_tagger, input_shapes=(3, 8),
         input_dtype="int64", padded_lengths=[8, 5, 3]),
]
