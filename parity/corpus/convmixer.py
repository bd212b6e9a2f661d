"""ConvMixer: Rescaling, a patch-embedding Conv2D stem, depthwise (Conv2D groups=filters) and pointwise
convolutions with gelu Activation + BatchNormalization and Add residuals, GlobalAvgPool2D.

keras.io example: examples/vision/convmixer.py (keras-team/keras-io).
Changed: 8x8 synthetic images, filters 8, depth 2, kernel 5, patch 2 (ConvMixer-8/2) instead of CIFAR-10
32x32 and ConvMixer-256/8.
"""


def build(keras):
    layers = keras.layers

    def activation_block(x):
        x = layers.Activation("gelu")(x)
        return layers.BatchNormalization()(x)

    def conv_stem(x, filters: int, patch_size: int):
        x = layers.Conv2D(filters, kernel_size=patch_size, strides=patch_size)(x)
        return activation_block(x)

    def conv_mixer_block(x, filters: int, kernel_size: int):
        # Depthwise convolution.
        x0 = x
        x = layers.Conv2D(filters, kernel_size=kernel_size, groups=filters, padding="same")(x)
        x = layers.Add()([activation_block(x), x0])  # Residual.
        # Pointwise convolution.
        x = layers.Conv2D(filters, kernel_size=1)(x)
        x = activation_block(x)
        return x

    def get_conv_mixer_256_8(image_size=32, filters=256, depth=8, kernel_size=5, patch_size=2, num_classes=10):
        inputs = keras.Input((image_size, image_size, 3))
        x = layers.Rescaling(scale=1.0 / 255)(inputs)
        x = conv_stem(x, filters, patch_size)
        for _ in range(depth):
            x = conv_mixer_block(x, filters, kernel_size)
        x = layers.GlobalAvgPool2D()(x)
        outputs = layers.Dense(num_classes, activation="softmax")(x)
        return keras.Model(inputs, outputs)

    return get_conv_mixer_256_8(image_size=8, filters=8, depth=2)


def inputs(rng):
    return (rng.random((2, 8, 8, 3)) * 255).astype("float32")


def targets(rng):
    return rng.integers(0, 10, (2, 1))


def loss(keras):
    return keras.losses.get("sparse_categorical_crossentropy")
