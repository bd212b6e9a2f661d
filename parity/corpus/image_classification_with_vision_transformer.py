"""Vision Transformer: data augmentation (Normalization adapted on the data, Resizing, RandomFlip,
RandomRotation, RandomZoom), Patches (keras.ops.image.extract_patches), PatchEncoder (Dense projection +
position Embedding of ops.arange), transformer blocks (LayerNormalization, MultiHeadAttention with dropout,
Add, gelu MLPs), Flatten head.

keras.io example: examples/vision/image_classification_with_vision_transformer.py (keras-team/keras-io),
Keras 3 version.
Changed: 8x8 synthetic images resized to 12, patch size 4, projection_dim 8, 2 heads, 2 layers, head units
[16, 8], 5 classes instead of CIFAR-100 32x32 resized to 72, patch 6, 64, 4 heads, 8 layers, [2048, 1024],
100 classes; adapt on a fixed synthetic batch.
"""

import numpy as np

NUM_CLASSES = 5
INPUT_SHAPE = (8, 8, 3)
IMAGE_SIZE = 12
PATCH_SIZE = 4
NUM_PATCHES = (IMAGE_SIZE // PATCH_SIZE) ** 2
PROJECTION_DIM = 8
NUM_HEADS = 2
TRANSFORMER_UNITS = [PROJECTION_DIM * 2, PROJECTION_DIM]
TRANSFORMER_LAYERS = 2
MLP_HEAD_UNITS = [16, 8]


def build(keras):
    layers = keras.layers
    ops = keras.ops

    data_augmentation = keras.Sequential(
        [
            layers.Normalization(),
            layers.Resizing(IMAGE_SIZE, IMAGE_SIZE),
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(factor=0.02),
            layers.RandomZoom(height_factor=0.2, width_factor=0.2),
        ],
        name="data_augmentation",
    )
    data_augmentation.layers[0].adapt(np.random.default_rng(7).random((16,) + INPUT_SHAPE).astype("float32"))

    def mlp(x, hidden_units, dropout_rate):
        for units in hidden_units:
            x = layers.Dense(units, activation=keras.activations.gelu)(x)
            x = layers.Dropout(dropout_rate)(x)
        return x

    class Patches(layers.Layer):
        def __init__(self, patch_size):
            super().__init__()
            self.patch_size = patch_size

        def call(self, images):
            input_shape = ops.shape(images)
            batch_size = input_shape[0]
            height = input_shape[1]
            width = input_shape[2]
            channels = input_shape[3]
            num_patches_h = height // self.patch_size
            num_patches_w = width // self.patch_size
            patches = keras.ops.image.extract_patches(images, size=self.patch_size)
            patches = ops.reshape(
                patches,
                (batch_size, num_patches_h * num_patches_w, self.patch_size * self.patch_size * channels),
            )
            return patches

    class PatchEncoder(layers.Layer):
        def __init__(self, num_patches, projection_dim):
            super().__init__()
            self.num_patches = num_patches
            self.projection = layers.Dense(units=projection_dim)
            self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)

        def call(self, patch):
            positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
            projected_patches = self.projection(patch)
            return projected_patches + self.position_embedding(positions)

    inputs = keras.Input(shape=INPUT_SHAPE)
    augmented = data_augmentation(inputs)
    patches = Patches(PATCH_SIZE)(augmented)
    encoded_patches = PatchEncoder(NUM_PATCHES, PROJECTION_DIM)(patches)
    for _ in range(TRANSFORMER_LAYERS):
        x1 = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
        attention_output = layers.MultiHeadAttention(num_heads=NUM_HEADS, key_dim=PROJECTION_DIM,
                                                     dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention_output, encoded_patches])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = mlp(x3, hidden_units=TRANSFORMER_UNITS, dropout_rate=0.1)
        encoded_patches = layers.Add()([x3, x2])
    representation = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
    representation = layers.Flatten()(representation)
    representation = layers.Dropout(0.5)(representation)
    features = mlp(representation, hidden_units=MLP_HEAD_UNITS, dropout_rate=0.5)
    logits = layers.Dense(NUM_CLASSES)(features)
    return keras.Model(inputs=inputs, outputs=logits)


def inputs(rng):
    return rng.random((2,) + INPUT_SHAPE).astype("float32")


def targets(rng):
    return rng.integers(0, NUM_CLASSES, (2, 1))


def loss(keras):
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)
