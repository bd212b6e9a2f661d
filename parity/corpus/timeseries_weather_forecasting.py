"""Timeseries forecasting for weather prediction: Input -> LSTM(32) -> Dense(1), mean squared error.

keras.io example: examples/timeseries/timeseries_weather_forecasting.py (keras-team/keras-io).
Changed: 12 synthetic time steps of 7 features instead of the Jena climate windows (120 steps).
"""

SEQUENCE_LENGTH = 12
NUM_FEATURES = 7


def build(keras):
    inputs = keras.layers.Input(shape=(SEQUENCE_LENGTH, NUM_FEATURES))
    lstm_out = keras.layers.LSTM(32)(inputs)
    outputs = keras.layers.Dense(1)(lstm_out)
    return keras.Model(inputs=inputs, outputs=outputs)


def inputs(rng):
    return rng.standard_normal((4, SEQUENCE_LENGTH, NUM_FEATURES)).astype("float32")


def targets(rng):
    return rng.standard_normal((4, 1)).astype("float32")


def loss(keras):
    return keras.losses.get("mse")
