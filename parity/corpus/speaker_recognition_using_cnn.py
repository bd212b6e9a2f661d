"""Speaker recognition: 1-D residual blocks (Conv1D, Activation, Add, MaxPool1D), AveragePooling1D, Flatten,
Dense layers and a softmax, on FFT magnitudes.

keras.io example: examples/audio/speaker_recognition_using_cnn.py (keras-team/keras-io).
Changed: 96 synthetic FFT bins instead of SAMPLING_RATE // 2 = 8000, 5 speakers. Layers and filters are the
example's.
"""

NUM_CLASSES = 5
INPUT_SHAPE = (96, 1)


def build(keras):
    def residual_block(x, filters, conv_num=3, activation="relu"):
        # Shortcut
        s = keras.layers.Conv1D(filters, 1, padding="same")(x)
        for i in range(conv_num - 1):
            x = keras.layers.Conv1D(filters, 3, padding="same")(x)
            x = keras.layers.Activation(activation)(x)
        x = keras.layers.Conv1D(filters, 3, padding="same")(x)
        x = keras.layers.Add()([x, s])
        x = keras.layers.Activation(activation)(x)
        return keras.layers.MaxPool1D(pool_size=2, strides=2)(x)

    def build_model(input_shape, num_classes):
        inputs = keras.layers.Input(shape=input_shape, name="input")
        x = residual_block(inputs, 16, 2)
        x = residual_block(x, 32, 2)
        x = residual_block(x, 64, 3)
        x = residual_block(x, 128, 3)
        x = residual_block(x, 128, 3)
        x = keras.layers.AveragePooling1D(pool_size=3, strides=3)(x)
        x = keras.layers.Flatten()(x)
        x = keras.layers.Dense(256, activation="relu")(x)
        x = keras.layers.Dense(128, activation="relu")(x)
        outputs = keras.layers.Dense(num_classes, activation="softmax", name="output")(x)
        return keras.models.Model(inputs=inputs, outputs=outputs)

    return build_model(INPUT_SHAPE, NUM_CLASSES)


def inputs(rng):
    return rng.random((3,) + INPUT_SHAPE).astype("float32")


def targets(rng):
    return rng.integers(0, NUM_CLASSES, 3)


def loss(keras):
    return keras.losses.get("sparse_categorical_crossentropy")
