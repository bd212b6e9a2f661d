"""PixelCNN: a masked convolution layer (kernel.assign(kernel * mask) in call) and masked residual blocks.

keras.io example: examples/generative/pixelcnn.py (keras-team/keras-io), Keras 3 version
(`kernel_shape = ops.shape(self.conv.kernel)`).
Changed: 8x8 synthetic binary images, 16 filters and 2 residual blocks instead of MNIST, 128 filters, 5 blocks.
"""

import numpy as np

INPUT_SHAPE = (8, 8, 1)
N_RESIDUAL_BLOCKS = 2
FILTERS = 16


def build(keras):
    ops = keras.ops
    layers = keras.layers

    class PixelConvLayer(layers.Layer):
        def __init__(self, mask_type, **kwargs):
            super().__init__()
            self.mask_type = mask_type
            self.conv = layers.Conv2D(**kwargs)

        def build(self, input_shape):
            # Build the conv2d layer to initialize kernel variables, then derive the mask from its shape.
            self.conv.build(input_shape)
            kernel_shape = ops.shape(self.conv.kernel)
            self.mask = np.zeros(shape=kernel_shape)
            self.mask[: kernel_shape[0] // 2, ...] = 1.0
            self.mask[kernel_shape[0] // 2, : kernel_shape[1] // 2, ...] = 1.0
            if self.mask_type == "B":
                self.mask[kernel_shape[0] // 2, kernel_shape[1] // 2, ...] = 1.0

        def call(self, inputs):
            self.conv.kernel.assign(self.conv.kernel * self.mask)
            return self.conv(inputs)

    class ResidualBlock(keras.layers.Layer):
        def __init__(self, filters, **kwargs):
            super().__init__(**kwargs)
            self.a = keras.layers.ReLU()
            self.b = keras.layers.Conv2D(filters=filters, kernel_size=1, activation="relu")
            self.c = PixelConvLayer(mask_type="B", filters=filters // 2, kernel_size=3, activation="relu",
                                    padding="same")
            self.d = keras.layers.Conv2D(filters=filters, kernel_size=1, activation="relu")

        def call(self, inputs):
            x = self.a(inputs)
            x = self.b(x)
            x = self.c(x)
            x = self.d(x)
            return keras.layers.add([inputs, x])

    inputs = keras.Input(shape=INPUT_SHAPE)
    x = PixelConvLayer(mask_type="A", filters=FILTERS, kernel_size=7, padding="same", activation="relu")(inputs)
    for _ in range(N_RESIDUAL_BLOCKS):
        x = ResidualBlock(filters=FILTERS)(x)
    for _ in range(2):
        x = PixelConvLayer(mask_type="B", filters=FILTERS, kernel_size=1, strides=1, activation="relu",
                           padding="valid")(x)
    out = keras.layers.Conv2D(filters=1, kernel_size=1, strides=1, activation="sigmoid", padding="valid")(x)
    return keras.Model(inputs, out)


def inputs(rng):
    return (rng.random((2,) + INPUT_SHAPE) > 0.5).astype("float32")


def targets(rng):
    return (rng.random((2,) + INPUT_SHAPE) > 0.5).astype("float32")


def loss(keras):
    return keras.losses.get("binary_crossentropy")
