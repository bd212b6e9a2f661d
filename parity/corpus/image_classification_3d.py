"""3D image classification from CT scans: four Conv3D / MaxPool3D / BatchNormalization blocks,
GlobalAveragePooling3D, Dense, Dropout, sigmoid Dense.

keras.io example: examples/vision/3D_image_classification.py (keras-team/keras-io).
Changed: a 46x46x46 synthetic volume (the smallest size four valid-conv + pool blocks leave non-empty) and
filters 4/4/8/8, dense 16, instead of 128x128x64 CT scans with 64/64/128/256 and 512.
"""


def build(keras):
    layers = keras.layers

    def get_model(width=128, height=128, depth=64):
        inputs = keras.Input((width, height, depth, 1))
        x = layers.Conv3D(filters=4, kernel_size=3, activation="relu")(inputs)
        x = layers.MaxPool3D(pool_size=2)(x)
        x = layers.BatchNormalization()(x)

        x = layers.Conv3D(filters=4, kernel_size=3, activation="relu")(x)
        x = layers.MaxPool3D(pool_size=2)(x)
        x = layers.BatchNormalization()(x)

        x = layers.Conv3D(filters=8, kernel_size=3, activation="relu")(x)
        x = layers.MaxPool3D(pool_size=2)(x)
        x = layers.BatchNormalization()(x)

        x = layers.Conv3D(filters=8, kernel_size=3, activation="relu")(x)
        x = layers.MaxPool3D(pool_size=2)(x)
        x = layers.BatchNormalization()(x)

        x = layers.GlobalAveragePooling3D()(x)
        x = layers.Dense(units=16, activation="relu")(x)
        x = layers.Dropout(0.3)(x)
        outputs = layers.Dense(units=1, activation="sigmoid")(x)
        return keras.Model(inputs, outputs, name="3dcnn")

    return get_model(width=46, height=46, depth=46)


def inputs(rng):
    return rng.random((1, 46, 46, 46, 1)).astype("float32")


def targets(rng):
    return rng.integers(0, 2, (1, 1)).astype("float32")


def loss(keras):
    return keras.losses.get("binary_crossentropy")
