"""Timeseries anomaly detection with a convolutional reconstruction autoencoder: Conv1D (strides 2) and
Conv1DTranspose layers with Dropout in a Sequential, mean squared error.

keras.io example: examples/timeseries/timeseries_anomaly_detection.py (keras-team/keras-io).
Changed: 32 synthetic time steps instead of 288-step windows of the NAB data.
"""

TIME_STEPS = 32


def build(keras):
    layers = keras.layers
    model = keras.Sequential(
        [
            layers.Input(shape=(TIME_STEPS, 1)),
            layers.Conv1D(filters=32, kernel_size=7, padding="same", strides=2, activation="relu"),
            layers.Dropout(rate=0.2),
            layers.Conv1D(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
            layers.Conv1DTranspose(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
            layers.Dropout(rate=0.2),
            layers.Conv1DTranspose(filters=32, kernel_size=7, padding="same", strides=2, activation="relu"),
            layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
        ]
    )
    return model


def inputs(rng):
    return rng.standard_normal((3, TIME_STEPS, 1)).astype("float32")


def targets(rng):
    return rng.standard_normal((3, TIME_STEPS, 1)).astype("float32")


def loss(keras):
    return keras.losses.get("mse")
