"""Siamese network with contrastive loss: a shared embedding network called on two inputs, a Lambda layer
computing the Euclidean distance, BatchNormalization and a sigmoid Dense head; the contrastive loss function.

keras.io example: examples/vision/siamese_contrastive.py (keras-team/keras-io), Keras 3 version
(`ops`, `Lambda(euclidean_distance, output_shape=(1,))`).
Changed: synthetic image pairs. The tf.math calls in euclidean_distance and the loss are written with
keras.ops. Layers and arguments are the example's.
"""


def build(keras):
    layers = keras.layers
    ops = keras.ops

    def euclidean_distance(vects):
        x, y = vects
        sum_square = ops.sum(ops.square(x - y), axis=1, keepdims=True)
        return ops.sqrt(ops.maximum(sum_square, keras.backend.epsilon()))

    input = layers.Input((28, 28, 1))
    x = layers.BatchNormalization()(input)
    x = layers.Conv2D(4, (5, 5), activation="tanh")(x)
    x = layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = layers.Conv2D(16, (5, 5), activation="tanh")(x)
    x = layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = layers.Flatten()(x)
    x = layers.BatchNormalization()(x)
    x = layers.Dense(10, activation="tanh")(x)
    embedding_network = keras.Model(input, x)

    input_1 = layers.Input((28, 28, 1))
    input_2 = layers.Input((28, 28, 1))
    tower_1 = embedding_network(input_1)
    tower_2 = embedding_network(input_2)
    merge_layer = layers.Lambda(euclidean_distance, output_shape=(1,))([tower_1, tower_2])
    normal_layer = layers.BatchNormalization()(merge_layer)
    output_layer = layers.Dense(1, activation="sigmoid")(normal_layer)
    return keras.Model(inputs=[input_1, input_2], outputs=output_layer)


def inputs(rng):
    return [rng.random((3, 28, 28, 1)).astype("float32"), rng.random((3, 28, 28, 1)).astype("float32")]


def targets(rng):
    return rng.integers(0, 2, (3, 1)).astype("float32")


def loss(keras):
    ops = keras.ops

    def contrastive_loss_factory(margin=1):
        def contrastive_loss(y_true, y_pred):
            square_pred = ops.square(y_pred)
            margin_square = ops.square(ops.maximum(margin - (y_pred), 0))
            return ops.mean((1 - y_true) * square_pred + (y_true) * margin_square)

        return contrastive_loss

    return contrastive_loss_factory(margin=1)
