"""Video classification with a CNN-RNN architecture, the sequence model: GRU(return_sequences) called with an
explicit boolean `mask` input, GRU, Dropout, Dense, softmax; a two-input functional model.

keras.io example: examples/vision/video_classification.py (keras-team/keras-io).
Changed: 6 frames of 12 synthetic features (masked after each video's length) and 5 classes instead of
20 frames of 2048 InceptionV3 features and the UCF101 subset. The sequence model's layers are the example's.
"""

import numpy as np

MAX_SEQ_LENGTH = 6
NUM_FEATURES = 12
NUM_CLASSES = 5


def build(keras):
    def get_sequence_model():
        frame_features_input = keras.Input((MAX_SEQ_LENGTH, NUM_FEATURES))
        mask_input = keras.Input((MAX_SEQ_LENGTH,), dtype="bool")

        # Refer to the following tutorial to understand the significance of using `mask`:
        # https://keras.io/api/layers/recurrent_layers/gru/
        x = keras.layers.GRU(16, return_sequences=True)(frame_features_input, mask=mask_input)
        x = keras.layers.GRU(8)(x)
        x = keras.layers.Dropout(0.4)(x)
        x = keras.layers.Dense(8, activation="relu")(x)
        output = keras.layers.Dense(NUM_CLASSES, activation="softmax")(x)
        return keras.Model([frame_features_input, mask_input], output)

    return get_sequence_model()


def inputs(rng):
    lengths = [6, 4, 2]
    features = rng.standard_normal((3, MAX_SEQ_LENGTH, NUM_FEATURES)).astype("float32")
    mask = np.zeros((3, MAX_SEQ_LENGTH), dtype=bool)
    for i, length in enumerate(lengths):
        mask[i, :length] = True  # 1 = not masked, 0 = masked
        features[i, length:] = 0.0
    return [features, mask]


def targets(rng):
    return rng.integers(0, NUM_CLASSES, 3)


def loss(keras):
    return keras.losses.get("sparse_categorical_crossentropy")
