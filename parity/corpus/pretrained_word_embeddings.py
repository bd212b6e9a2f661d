"""Using pre-trained word embeddings: a frozen Embedding (built, then set_weights with the embedding matrix),
three Conv1D + MaxPooling1D stages, GlobalMaxPooling1D, Dense, Dropout, softmax.

keras.io example: examples/nlp/pretrained_word_embeddings.py (keras-team/keras-io), Keras 3 version
(`embedding_layer.build((1,))`, `embedding_layer.set_weights([embedding_matrix])`).
Changed: 30 tokens, 8-d embeddings from a fixed random matrix (instead of 20000 tokens and 100-d GloVe vectors),
16 filters instead of 128, 5 classes instead of 20; sequences of 150 synthetic token ids.
"""

import numpy as np

NUM_TOKENS = 30
EMBEDDING_DIM = 8
NUM_CLASSES = 5


def build(keras):
    layers = keras.layers
    Embedding = layers.Embedding
    embedding_matrix = np.random.default_rng(11).standard_normal((NUM_TOKENS, EMBEDDING_DIM)).astype("float32")

    embedding_layer = Embedding(NUM_TOKENS, EMBEDDING_DIM, trainable=False)
    embedding_layer.build((1,))
    embedding_layer.set_weights([embedding_matrix])

    int_sequences_input = keras.Input(shape=(None,), dtype="int32")
    embedded_sequences = embedding_layer(int_sequences_input)
    x = layers.Conv1D(16, 5, activation="relu")(embedded_sequences)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(16, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(16, 5, activation="relu")(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(16, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    preds = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(int_sequences_input, preds)


def inputs(rng):
    return rng.integers(0, NUM_TOKENS, (2, 150)).astype(np.int32)


def targets(rng):
    return rng.integers(0, NUM_CLASSES, 2)


def loss(keras):
    return keras.losses.get("sparse_categorical_crossentropy")
