"""A Keras convnet digits classifier ported to PyTorch by changing one import.

The model-building code below is what one writes for tf.keras; only the import line
changed. The model is trained with a torch optimizer in a plain torch loop, then the
same model is built in tf.keras, given our trained weights with get_weights /
set_weights, and the two models' predictions on the test set are compared.

Data: scikit-learn's `load_digits` (1,797 real 8x8 handwritten digits, shipped with the
package: nothing is downloaded).
"""

import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from kerascompat import keras  # was: from tensorflow import keras

EPOCHS = 30
BATCH_SIZE = 32


def build_model(keras):
    """Plain Keras code: the same function builds the tf.keras model for the parity check."""
    return keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        keras.layers.Conv2D(32, kernel_size=(3, 3), padding="same", activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(64, kernel_size=(3, 3), padding="same", activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])


def load_data():
    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")[..., None]  # (n, 8, 8, 1): channels_last, as in Keras
    y = digits.target.astype("int64")
    return train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)


def main():
    torch.manual_seed(0)
    x_train, x_test, y_train, y_test = load_data()
    print(f"digits: {len(x_train)} training and {len(x_test)} test images of 8x8 pixels")

    model = build_model(keras)
    model.summary()

    # A torch optimizer on the model's torch-native parameters; a plain torch loop.
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    x_test_t = torch.from_numpy(x_test)
    for epoch in range(1, EPOCHS + 1):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(len(xt))
        total = 0.0
        for i in range(0, len(xt), BATCH_SIZE):
            idx = order[i:i + BATCH_SIZE]
            probs = model(xt[idx])
            loss = F.nll_loss(torch.log(probs.clamp_min(1e-7)), yt[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            acc = (model(x_test_t).argmax(-1).numpy() == y_test).mean()
        print(f"epoch {epoch:2d}/{EPOCHS}  loss {total / len(xt):.4f}  test accuracy {acc:.4f}  "
              f"({time.perf_counter() - start:.2f} s)")

    model.eval()
    with torch.no_grad():
        ours = model(x_test_t).numpy()
    accuracy = float((ours.argmax(-1) == y_test).mean())
    print(f"kerascompat test accuracy: {accuracy:.4f}")

    # The same model in real tf.keras, with our trained weights.
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    tf_model = build_model(tf.keras)
    tf_model.set_weights(model.get_weights())
    theirs = tf_model.predict(x_test, verbose=0)
    diff = float(np.max(np.abs(ours - theirs)))
    print(f"tf.keras test accuracy with the same weights: {float((theirs.argmax(-1) == y_test).mean()):.4f}")
    print(f"largest absolute difference between kerascompat and tf.keras predictions: {diff:.3e}")

    if accuracy < 0.90:
        raise SystemExit(f"test accuracy {accuracy:.4f} is below 0.90")
    if diff > 1e-5:
        raise SystemExit(f"predictions differ from tf.keras by {diff:.3e} (> 1e-5)")


if __name__ == "__main__":
    main()
