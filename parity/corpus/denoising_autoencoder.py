"""Convolutional autoencoder for image denoising (Conv2D / MaxPooling2D encoder, UpSampling2D decoder).

keras.io example: examples/vision/autoencoder.py (keras-team/keras-io).
Changed: 8x8 synthetic noisy images instead of MNIST's 28x28. Layers and arguments are the example's
(the example imports Model, Conv2D, MaxPooling2D, Input, UpSampling2D by name; so does this).
"""


def build(keras):
    Model = keras.models.Model
    Conv2D, MaxPooling2D, Input, UpSampling2D = (keras.layers.Conv2D, keras.layers.MaxPooling2D,
                                                 keras.layers.Input, keras.layers.UpSampling2D)
    input = Input(shape=(8, 8, 1))

    # Encoder
    x = Conv2D(32, (3, 3), activation="relu", padding="same")(input)
    x = MaxPooling2D((2, 2), padding="same")(x)
    x = Conv2D(32, (3, 3), activation="relu", padding="same")(x)
    x = MaxPooling2D((2, 2), padding="same")(x)

    # Decoder
    x = Conv2D(32, (3, 3), activation="relu", padding="same")(x)
    x = UpSampling2D((2, 2))(x)
    x = Conv2D(32, (3, 3), activation="relu", padding="same")(x)
    x = UpSampling2D((2, 2))(x)
    x = Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
    return Model(input, x)


def inputs(rng):
    return rng.random((3, 8, 8, 1)).astype("float32")


def targets(rng):
    return rng.random((3, 8, 8, 1)).astype("float32")


def loss(keras):
    return keras.losses.get("binary_crossentropy")
