"""MLP-Mixer for image classification: data augmentation (Normalization adapted on the data, Resizing,
RandomFlip, RandomZoom), a Patches layer (keras.ops.image.extract_patches), MLPMixerLayer blocks
(LayerNormalization, token-mixing and channel-mixing Dense MLPs with gelu, ops.transpose), global pooling.

keras.io example: examples/vision/mlp_image_classification.py (keras-team/keras-io), Keras 3 version
(`ops.image.extract_patches`, `activation="gelu"`), the MLP-Mixer model.
Changed: 8x8 synthetic images resized to 16, patch size 4, embedding_dim 16, 2 blocks, 5 classes instead of
CIFAR-100 32x32 resized to 64, patch 8, 256, 4 blocks, 100 classes; adapt on a fixed synthetic batch.
"""

import numpy as np

NUM_CLASSES = 5
INPUT_SHAPE = (8, 8, 3)
IMAGE_SIZE = 16
PATCH_SIZE = 4
NUM_PATCHES = (IMAGE_SIZE // PATCH_SIZE) ** 2
EMBEDDING_DIM = 16
NUM_BLOCKS = 2
DROPOUT_RATE = 0.2


def build(keras):
    layers = keras.layers
    ops = keras.ops

    class Patches(layers.Layer):
        def __init__(self, patch_size, **kwargs):
            super().__init__(**kwargs)
            self.patch_size = patch_size

        def call(self, x):
            patches = keras.ops.image.extract_patches(x, self.patch_size)
            batch_size = keras.ops.shape(patches)[0]
            num_patches = keras.ops.shape(patches)[1] * keras.ops.shape(patches)[2]
            patch_dim = keras.ops.shape(patches)[3]
            return keras.ops.reshape(patches, (batch_size, num_patches, patch_dim))

    class MLPMixerLayer(layers.Layer):
        def __init__(self, num_patches, hidden_units, dropout_rate, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.mlp1 = keras.Sequential([
                layers.Dense(units=num_patches, activation="gelu"),
                layers.Dense(units=num_patches),
                layers.Dropout(rate=dropout_rate),
            ])
            self.mlp2 = keras.Sequential([
                layers.Dense(units=num_patches, activation="gelu"),
                layers.Dense(units=hidden_units),
                layers.Dropout(rate=dropout_rate),
            ])
            self.normalize = layers.LayerNormalization(epsilon=1e-6)

        def build(self, input_shape):
            return super().build(input_shape)

        def call(self, inputs):
            x = self.normalize(inputs)
            # [num_batches, num_patches, hidden_units] -> [num_batches, hidden_units, num_patches]
            x_channels = ops.transpose(x, axes=(0, 2, 1))
            mlp1_outputs = self.mlp1(x_channels)
            mlp1_outputs = ops.transpose(mlp1_outputs, axes=(0, 2, 1))
            x = mlp1_outputs + inputs
            x_patches = self.normalize(x)
            mlp2_outputs = self.mlp2(x_patches)
            return x + mlp2_outputs

    data_augmentation = keras.Sequential(
        [
            layers.Normalization(),
            layers.Resizing(IMAGE_SIZE, IMAGE_SIZE),
            layers.RandomFlip("horizontal"),
            layers.RandomZoom(height_factor=0.2, width_factor=0.2),
        ],
        name="data_augmentation",
    )
    data_augmentation.layers[0].adapt(np.random.default_rng(7).random((16,) + INPUT_SHAPE).astype("float32"))

    def build_classifier(blocks, positional_encoding=False):
        inputs = layers.Input(shape=INPUT_SHAPE)
        augmented = data_augmentation(inputs)
        patches = Patches(PATCH_SIZE)(augmented)
        x = layers.Dense(units=EMBEDDING_DIM)(patches)
        x = blocks(x)
        representation = layers.GlobalAveragePooling1D()(x)
        representation = layers.Dropout(rate=DROPOUT_RATE)(representation)
        logits = layers.Dense(NUM_CLASSES)(representation)
        return keras.Model(inputs=inputs, outputs=logits)

    mlpmixer_blocks = keras.Sequential(
        [MLPMixerLayer(NUM_PATCHES, EMBEDDING_DIM, DROPOUT_RATE) for _ in range(NUM_BLOCKS)]
    )
    return build_classifier(mlpmixer_blocks)


def inputs(rng):
    return rng.random((2,) + INPUT_SHAPE).astype("float32")


def targets(rng):
    return rng.integers(0, NUM_CLASSES, (2, 1))


def loss(keras):
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)
