"""A whole training run: the same model and initial weights trained by tf.keras `fit` and by
kerascompat `fit` end with the same weights and history."""

import numpy as np
import pytest

import kerascompat
from harness import TF_KERAS, assert_close


def build(K, classes):
    return K.Sequential([
        K.Input(shape=(10,)),
        K.layers.Dense(16, activation="tanh", kernel_regularizer=K.regularizers.L2(1e-3)),
        K.layers.Dense(classes, activation="softmax" if classes > 1 else "sigmoid"),
    ])


def data(classes, n=96):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 10)).astype("float32")
    if classes == 1:
        y = (x[:, 0] + x[:, 1] > 0).astype("float32")[:, None]
    else:
        y = (np.abs(x[:, :classes]).argmax(1)).astype("int64")
    return x, y


CASES = [
    # (optimizer factory, loss, metrics, classes, tolerance, reason)
    (lambda K: K.optimizers.SGD(learning_rate=0.1), "sparse_categorical_crossentropy", ["accuracy"], 3, 1e-5, None),
    (lambda K: K.optimizers.SGD(learning_rate=0.05, momentum=0.9), "sparse_categorical_crossentropy",
     ["accuracy"], 3, 1e-5, None),
    (lambda K: K.optimizers.SGD(learning_rate=0.1), "binary_crossentropy", ["accuracy"], 1, 1e-5, None),
    # Keras adds epsilon before the bias correction and torch after it; our Adam hands torch the
    # epsilon that makes the two equal (kerascompat/optimizers/keras_rules.py)
    (lambda K: K.optimizers.Adam(), "sparse_categorical_crossentropy", ["accuracy"], 3, 1e-5, None),
]


@pytest.mark.parametrize("make_opt,loss,metrics,classes,tol,reason", CASES, ids=["sgd", "sgd-momentum", "sgd-binary", "adam"])
def test_fit_matches_tf(make_opt, loss, metrics, classes, tol, reason):
    x, y = data(classes)
    theirs = build(TF_KERAS, classes)
    ours = build(kerascompat, classes)
    ours.set_weights(theirs.get_weights())
    theirs.compile(optimizer=make_opt(TF_KERAS), loss=loss, metrics=metrics)
    ours.compile(optimizer=make_opt(kerascompat), loss=loss, metrics=metrics)
    h_tf = theirs.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0, validation_split=0.25)
    h_ours = ours.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0, validation_split=0.25)
    assert sorted(h_ours.history) == sorted(h_tf.history)
    for key in h_tf.history:
        assert_close(h_ours.history[key], h_tf.history[key], tol, tol, f"history[{key!r}]")
    for i, (a, b) in enumerate(zip(ours.get_weights(), theirs.get_weights())):
        assert_close(a, b, tol, tol, f"weight {i} after fit")
    assert_close(ours.predict(x[:8], verbose=0), theirs.predict(x[:8], verbose=0), tol, tol, "predict")
    ev_ours = ours.evaluate(x, y, verbose=0)
    ev_tf = theirs.evaluate(x, y, verbose=0)
    assert_close(np.array(ev_ours), np.array(ev_tf), tol, tol, "evaluate")
