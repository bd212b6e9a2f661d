"""Sequence-to-sequence learning for performing number addition: LSTM encoder, RepeatVector, LSTM decoder
with return_sequences, Dense softmax over characters, in a Sequential built with model.add.

keras.io example: examples/nlp/addition_rnn.py (keras-team/keras-io).
Changed: 16 LSTM units instead of 128; synthetic one-hot questions/answers. DIGITS, MAXLEN and the character set
size are the example's.
"""

import numpy as np

DIGITS = 3
MAXLEN = DIGITS + 1 + DIGITS
NUM_CHARS = len("0123456789+ ")
NUM_LAYERS = 1


def build(keras):
    layers = keras.layers
    model = keras.Sequential()
    model.add(layers.Input((MAXLEN, NUM_CHARS)))
    # "Encode" the input sequence using a LSTM, producing an output of size 16.
    model.add(layers.LSTM(16))
    # As the decoder RNN's input, repeatedly provide with the last output of RNN for each time step.
    model.add(layers.RepeatVector(DIGITS + 1))
    for _ in range(NUM_LAYERS):
        model.add(layers.LSTM(16, return_sequences=True))
    # Apply a dense layer to every temporal slice of an input.
    model.add(layers.Dense(NUM_CHARS, activation="softmax"))
    return model


def inputs(rng):
    return np.eye(NUM_CHARS, dtype="float32")[rng.integers(0, NUM_CHARS, (3, MAXLEN))]


def targets(rng):
    return np.eye(NUM_CHARS, dtype="float32")[rng.integers(0, NUM_CHARS, (3, DIGITS + 1))]


def loss(keras):
    return keras.losses.get("categorical_crossentropy")
