"""OCR model for reading captchas: Conv2D/MaxPooling2D, Reshape, Dense, Dropout, two Bidirectional LSTMs
(dropout=0.25) and a softmax, with a CTCLayer that adds keras.backend.ctc_batch_cost with self.add_loss().

keras.io example: examples/vision/captcha_ocr.py (keras-team/keras-io), the version whose CTCLayer uses
`keras.backend.ctc_batch_cost`.
Changed: 32x16 synthetic images, labels of 3 characters from a 6-character vocabulary, LSTM units 16 / 8 and
dense 16 instead of 200x50 captcha images, 5 characters, 128 / 64 and 64. The outputs compared are the model's
(the softmax, passed through the CTC layer); the training step minimizes the added CTC loss.
"""

import numpy as np

IMG_WIDTH = 32
IMG_HEIGHT = 16
VOCAB = 6
LABEL_LENGTH = 3


def build(keras):
    layers = keras.layers

    class CTCLayer(layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = keras.backend.ctc_batch_cost

        def call(self, y_true, y_pred):
            # Compute the training-time loss value and add it to the layer using `self.add_loss()`.
            batch_len = keras.ops.cast(keras.ops.shape(y_true)[0], dtype="int64")
            input_length = keras.ops.cast(keras.ops.shape(y_pred)[1], dtype="int64")
            label_length = keras.ops.cast(keras.ops.shape(y_true)[1], dtype="int64")

            input_length = input_length * keras.ops.ones(shape=(batch_len, 1), dtype="int64")
            label_length = label_length * keras.ops.ones(shape=(batch_len, 1), dtype="int64")

            loss = self.loss_fn(y_true, y_pred, input_length, label_length)
            self.add_loss(loss)
            # At test time, just return the computed predictions
            return y_pred

    input_img = layers.Input(shape=(IMG_WIDTH, IMG_HEIGHT, 1), name="image", dtype="float32")
    labels = layers.Input(name="label", shape=(None,), dtype="float32")

    x = layers.Conv2D(32, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same",
                      name="Conv1")(input_img)
    x = layers.MaxPooling2D((2, 2), name="pool1")(x)
    x = layers.Conv2D(64, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same",
                      name="Conv2")(x)
    x = layers.MaxPooling2D((2, 2), name="pool2")(x)

    new_shape = ((IMG_WIDTH // 4), (IMG_HEIGHT // 4) * 64)
    x = layers.Reshape(target_shape=new_shape, name="reshape")(x)
    x = layers.Dense(16, activation="relu", name="dense1")(x)
    x = layers.Dropout(0.2)(x)

    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True, dropout=0.25))(x)
    x = layers.Bidirectional(layers.LSTM(8, return_sequences=True, dropout=0.25))(x)

    x = layers.Dense(VOCAB + 1, activation="softmax", name="dense2")(x)
    output = CTCLayer(name="ctc_loss")(labels, x)
    return keras.models.Model(inputs=[input_img, labels], outputs=output, name="ocr_model_v1")


def inputs(rng):
    images = rng.random((2, IMG_WIDTH, IMG_HEIGHT, 1)).astype("float32")
    labels = rng.integers(1, VOCAB, (2, LABEL_LENGTH)).astype("float32")
    return [images, labels]


def targets(rng):
    return None


def train_loss(keras, model, x, y):
    # What fit() minimizes for a model compiled without a loss: each add_loss() value, summed (Keras's
    # Trainer._aggregate_additional_loss), then added up.
    model(x, training=True)
    return sum(keras.ops.sum(value) for value in model.losses)


def loss(keras):
    return None
