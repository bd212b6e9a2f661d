"""Timeseries classification from scratch (fully convolutional network on FordA).

keras.io example: examples/timeseries/timeseries_classification_from_scratch.py (keras-team/keras-io).
Changed: 32 synthetic time steps instead of the downloaded FordA series (500 steps). Layers are the example's.
"""

NUM_CLASSES = 2


def build(keras):
    def make_model(input_shape):
        input_layer = keras.layers.Input(input_shape)

        conv1 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(input_layer)
        conv1 = keras.layers.BatchNormalization()(conv1)
        conv1 = keras.layers.ReLU()(conv1)

        conv2 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(conv1)
        conv2 = keras.layers.BatchNormalization()(conv2)
        conv2 = keras.layers.ReLU()(conv2)

        conv3 = keras.layers.Conv1D(filters=64, kernel_size=3, padding="same")(conv2)
        conv3 = keras.layers.BatchNormalization()(conv3)
        conv3 = keras.layers.ReLU()(conv3)

        gap = keras.layers.GlobalAveragePooling1D()(conv3)
        output_layer = keras.layers.Dense(NUM_CLASSES, activation="softmax")(gap)
        return keras.models.Model(inputs=input_layer, outputs=output_layer)

    return make_model(input_shape=(32, 1))


def inputs(rng):
    return rng.standard_normal((4, 32, 1)).astype("float32")


def targets(rng):
    return rng.integers(0, NUM_CLASSES, 4)


def loss(keras):
    return keras.losses.get("sparse_categorical_crossentropy")
