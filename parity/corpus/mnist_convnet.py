"""Simple MNIST convnet.

keras.io example: examples/vision/mnist_convnet.py (keras-team/keras-io).
Changed: 16x16 synthetic images instead of MNIST's 28x28 downloads. Layers and arguments are the example's.
"""

import numpy as np

NUM_CLASSES = 10
INPUT_SHAPE = (16, 16, 1)


def build(keras):
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ]
    )
    return model


def inputs(rng):
    return rng.random((4,) + INPUT_SHAPE).astype("float32")


def targets(rng):
    return np.eye(NUM_CLASSES, dtype="float32")[rng.integers(0, NUM_CLASSES, 4)]


def loss(keras):
    return keras.losses.get("categorical_crossentropy")
