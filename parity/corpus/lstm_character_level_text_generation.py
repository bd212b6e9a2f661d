"""Character-level text generation with LSTM: Sequential([Input((maxlen, len(chars))), LSTM(128),
Dense(len(chars), softmax)]), categorical cross-entropy.

keras.io example: examples/generative/lstm_character_level_text_generation.py (keras-team/keras-io).
Changed: maxlen 10 and 20 characters, synthetic one-hot sequences instead of Nietzsche's text (maxlen 40).
"""

import numpy as np

MAXLEN = 10
NUM_CHARS = 20


def build(keras):
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(MAXLEN, NUM_CHARS)),
            layers.LSTM(128),
            layers.Dense(NUM_CHARS, activation="softmax"),
        ]
    )
    return model


def inputs(rng):
    return np.eye(NUM_CHARS, dtype="float32")[rng.integers(0, NUM_CHARS, (3, MAXLEN))]


def targets(rng):
    return np.eye(NUM_CHARS, dtype="float32")[rng.integers(0, NUM_CHARS, 3)]


def loss(keras):
    return keras.losses.get("categorical_crossentropy")
