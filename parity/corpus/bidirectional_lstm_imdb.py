"""Bidirectional LSTM on IMDB: Embedding and two stacked Bidirectional(LSTM) layers.

keras.io example: examples/nlp/bidirectional_lstm_imdb.py (keras-team/keras-io).
Changed: 50 words, 16-d embedding, 8 LSTM units instead of 20000 / 128 / 64; synthetic token ids of length 10.
"""

import numpy as np

MAX_FEATURES = 50


def build(keras):
    layers = keras.layers
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(MAX_FEATURES, 16)(inputs)
    x = layers.Bidirectional(layers.LSTM(8, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(8))(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def inputs(rng):
    return rng.integers(0, MAX_FEATURES, (3, 10)).astype(np.int32)


def targets(rng):
    return rng.integers(0, 2, (3, 1)).astype("float32")


def loss(keras):
    return keras.losses.get("binary_crossentropy")
