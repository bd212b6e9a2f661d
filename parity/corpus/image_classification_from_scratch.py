"""Image classification from scratch: a small Xception (Rescaling, SeparableConv2D, BatchNormalization,
residual projections) with the RandomFlip/RandomRotation augmentation made part of the model ("option 1").

keras.io example: examples/vision/image_classification_from_scratch.py (keras-team/keras-io).
Changed: 32x32 synthetic images and block sizes [8, 16] / final 32 instead of 180x180 Cats vs Dogs,
[128, 256, 512, 728] / 1024. Layers and arguments are the example's.
"""

IMAGE_SIZE = (32, 32)


def build(keras):
    layers = keras.layers
    data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])

    def make_model(input_shape, num_classes):
        inputs = keras.Input(shape=input_shape)
        x = data_augmentation(inputs)
        # Entry block
        x = layers.Rescaling(1.0 / 255)(x)
        x = layers.Conv2D(8, 3, strides=2, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)

        x = layers.Conv2D(8, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)

        previous_block_activation = x  # Set aside residual

        for size in [8, 16]:
            x = layers.Activation("relu")(x)
            x = layers.SeparableConv2D(size, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)

            x = layers.Activation("relu")(x)
            x = layers.SeparableConv2D(size, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)

            x = layers.MaxPooling2D(3, strides=2, padding="same")(x)

            # Project residual
            residual = layers.Conv2D(size, 1, strides=2, padding="same")(previous_block_activation)
            x = layers.add([x, residual])  # Add back residual
            previous_block_activation = x  # Set aside next residual

        x = layers.SeparableConv2D(32, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)

        x = layers.GlobalAveragePooling2D()(x)
        if num_classes == 2:
            activation = "sigmoid"
            units = 1
        else:
            activation = "softmax"
            units = num_classes

        x = layers.Dropout(0.5)(x)
        outputs = layers.Dense(units, activation=activation)(x)
        return keras.Model(inputs, outputs)

    return make_model(input_shape=IMAGE_SIZE + (3,), num_classes=2)


def inputs(rng):
    return (rng.random((2,) + IMAGE_SIZE + (3,)) * 255).astype("float32")


def targets(rng):
    return rng.integers(0, 2, (2, 1)).astype("float32")


def loss(keras):
    return keras.losses.get("binary_crossentropy")
