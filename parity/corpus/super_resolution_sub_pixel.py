"""Image super-resolution with an efficient sub-pixel CNN: four Conv2D layers (relu, orthogonal initializer,
same padding) and a DepthToSpace custom layer built from ops.reshape / ops.transpose.

keras.io example: examples/vision/super_resolution_sub_pixel.py (keras-team/keras-io), Keras 3 version
(DepthToSpace layer instead of tf.nn.depth_to_space).
Changed: 6x6 synthetic low-resolution inputs instead of BSDS500 crops. Layers and arguments are the example's.
"""

UPSCALE_FACTOR = 3


def build(keras):
    layers = keras.layers
    ops = keras.ops

    class DepthToSpace(layers.Layer):
        def __init__(self, block_size):
            super().__init__()
            self.block_size = block_size

        def call(self, input):
            batch, height, width, depth = ops.shape(input)
            depth = depth // (self.block_size**2)
            x = ops.reshape(input, [batch, height, width, self.block_size, self.block_size, depth])
            x = ops.transpose(x, [0, 1, 3, 2, 4, 5])
            x = ops.reshape(x, [batch, height * self.block_size, width * self.block_size, depth])
            return x

    def get_model(upscale_factor=3, channels=1):
        conv_args = {"activation": "relu", "kernel_initializer": "orthogonal", "padding": "same"}
        inputs = keras.Input(shape=(None, None, channels))
        x = layers.Conv2D(64, 5, **conv_args)(inputs)
        x = layers.Conv2D(64, 3, **conv_args)(x)
        x = layers.Conv2D(32, 3, **conv_args)(x)
        x = layers.Conv2D(channels * (upscale_factor**2), 3, **conv_args)(x)
        outputs = DepthToSpace(upscale_factor)(x)
        return keras.Model(inputs, outputs)

    return get_model(upscale_factor=UPSCALE_FACTOR, channels=1)


def inputs(rng):
    return rng.random((2, 6, 6, 1)).astype("float32")


def targets(rng):
    return rng.random((2, 18, 18, 1)).astype("float32")


def loss(keras):
    return keras.losses.MeanSquaredError()
