"""Character-level recurrent sequence-to-sequence model: an LSTM encoder with return_state whose [h, c] states
initialise an LSTM decoder (return_sequences, return_state), then a Dense softmax.

keras.io example: examples/nlp/lstm_seq2seq.py (keras-team/keras-io).
Changed: latent_dim 16, 10 encoder / 12 decoder tokens, synthetic one-hot sequences instead of 256 and the
fra-eng character sets.
"""

import numpy as np

LATENT_DIM = 16
NUM_ENCODER_TOKENS = 10
NUM_DECODER_TOKENS = 12


def build(keras):
    encoder_inputs = keras.Input(shape=(None, NUM_ENCODER_TOKENS))
    encoder = keras.layers.LSTM(LATENT_DIM, return_state=True)
    encoder_outputs, state_h, state_c = encoder(encoder_inputs)
    # We discard `encoder_outputs` and only keep the states.
    encoder_states = [state_h, state_c]

    decoder_inputs = keras.Input(shape=(None, NUM_DECODER_TOKENS))
    decoder_lstm = keras.layers.LSTM(LATENT_DIM, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
    decoder_dense = keras.layers.Dense(NUM_DECODER_TOKENS, activation="softmax")
    decoder_outputs = decoder_dense(decoder_outputs)
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)


def inputs(rng):
    enc = np.eye(NUM_ENCODER_TOKENS, dtype="float32")[rng.integers(0, NUM_ENCODER_TOKENS, (3, 6))]
    dec = np.eye(NUM_DECODER_TOKENS, dtype="float32")[rng.integers(0, NUM_DECODER_TOKENS, (3, 5))]
    return [enc, dec]


def targets(rng):
    return np.eye(NUM_DECODER_TOKENS, dtype="float32")[rng.integers(0, NUM_DECODER_TOKENS, (3, 5))]


def loss(keras):
    return keras.losses.get("categorical_crossentropy")
