"""Image segmentation with a U-Net-like architecture (Xception-style downsampling with SeparableConv2D,
Conv2DTranspose + UpSampling2D upsampling, residual projections).

keras.io example: examples/vision/oxford_pets_image_segmentation.py (keras-team/keras-io).
Changed: 32x32 synthetic images, 3 classes and filters [8, 16, 16] down / [16, 16, 8, 4] up, entry 8, instead of
160x160 Oxford Pets, 3 classes, [64, 128, 256] / [256, 128, 64, 32], entry 32.
"""

IMG_SIZE = (32, 32)
NUM_CLASSES = 3


def build(keras):
    layers = keras.layers

    def get_model(img_size, num_classes):
        inputs = keras.Input(shape=img_size + (3,))

        ### [First half of the network: downsampling inputs] ###
        x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)

        previous_block_activation = x  # Set aside residual

        # Blocks 1, 2, 3 are identical apart from the feature depth.
        for filters in [8, 16, 16]:
            x = layers.Activation("relu")(x)
            x = layers.SeparableConv2D(filters, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)

            x = layers.Activation("relu")(x)
            x = layers.SeparableConv2D(filters, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)

            x = layers.MaxPooling2D(3, strides=2, padding="same")(x)

            # Project residual
            residual = layers.Conv2D(filters, 1, strides=2, padding="same")(previous_block_activation)
            x = layers.add([x, residual])  # Add back residual
            previous_block_activation = x  # Set aside next residual

        ### [Second half of the network: upsampling inputs] ###
        for filters in [16, 16, 8, 4]:
            x = layers.Activation("relu")(x)
            x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)

            x = layers.Activation("relu")(x)
            x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)

            x = layers.UpSampling2D(2)(x)

            # Project residual
            residual = layers.UpSampling2D(2)(previous_block_activation)
            residual = layers.Conv2D(filters, 1, padding="same")(residual)
            x = layers.add([x, residual])  # Add back residual
            previous_block_activation = x  # Set aside next residual

        # Add a per-pixel classification layer
        outputs = layers.Conv2D(num_classes, 3, activation="softmax", padding="same")(x)
        return keras.Model(inputs, outputs)

    return get_model(IMG_SIZE, NUM_CLASSES)


def inputs(rng):
    return rng.random((2,) + IMG_SIZE + (3,)).astype("float32")


def targets(rng):
    return rng.integers(0, NUM_CLASSES, (2,) + IMG_SIZE + (1,))


def loss(keras):
    return keras.losses.get("sparse_categorical_crossentropy")
