"""Next-frame video prediction with convolutional LSTMs: three ConvLSTM2D layers (return_sequences, relu)
with BatchNormalization, then a sigmoid Conv3D; binary cross-entropy.

keras.io example: examples/vision/conv_lstm.py (keras-team/keras-io).
Changed: 8 filters instead of 64; 3 frames of 8x8 synthetic binary images instead of Moving MNIST (19 x 64x64).
"""


def build(keras):
    layers = keras.layers
    inp = layers.Input(shape=(None, 8, 8, 1))
    x = layers.ConvLSTM2D(filters=8, kernel_size=(5, 5), padding="same", return_sequences=True,
                          activation="relu")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=8, kernel_size=(3, 3), padding="same", return_sequences=True,
                          activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=8, kernel_size=(1, 1), padding="same", return_sequences=True,
                          activation="relu")(x)
    x = layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same")(x)
    return keras.models.Model(inp, x)


def inputs(rng):
    return (rng.random((2, 3, 8, 8, 1)) > 0.5).astype("float32")


def targets(rng):
    return (rng.random((2, 3, 8, 8, 1)) > 0.5).astype("float32")


def loss(keras):
    return keras.losses.binary_crossentropy
