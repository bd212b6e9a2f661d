"""Metrics against tf.keras: accumulated over several batches (with sample weights), as Keras reports them."""

import numpy as np
import pytest

import kerascompat
from harness import TF_KERAS, assert_close

RNG = np.random.default_rng(3)


def batches(kind, n=3):
    out = []
    for _ in range(n):
        if kind == "binary":
            out.append(((RNG.random((8, 1)) > 0.5).astype("float32"), RNG.random((8, 1)).astype("float32")))
        elif kind == "categorical":
            y = np.eye(5, dtype="float32")[RNG.integers(0, 5, 8)]
            out.append((y, RNG.random((8, 5)).astype("float32")))
        elif kind == "sparse":
            out.append((RNG.integers(0, 5, (8,)).astype("int64"), RNG.random((8, 5)).astype("float32")))
        else:
            out.append((RNG.standard_normal((8, 3)).astype("float32"), RNG.standard_normal((8, 3)).astype("float32")))
    return out


CASES = [
    ("BinaryAccuracy", {}, "binary"), ("BinaryAccuracy", {"threshold": 0.3}, "binary"),
    ("CategoricalAccuracy", {}, "categorical"), ("SparseCategoricalAccuracy", {}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"), ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("MeanSquaredError", {}, "regression"), ("MeanAbsoluteError", {}, "regression"),
    ("Precision", {}, "binary"), ("Recall", {}, "binary"), ("AUC", {}, "binary"),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=lambda v: str(v))
def test_metric_matches_tf(name, kwargs, kind, weighted):
    theirs = getattr(TF_KERAS.metrics, name)(**kwargs)
    ours = getattr(kerascompat.metrics, name)(**kwargs)
    for y_true, y_pred in batches(kind):
        w = RNG.random(y_true.shape[0]).astype("float32") if weighted else None
        theirs.update_state(y_true, y_pred, sample_weight=w)
        ours.update_state(y_true, y_pred, sample_weight=w)
    assert_close(ours.result(), float(theirs.result()), 1e-5, 1e-5, name)
    ours.reset_state()
    theirs.reset_state()
    assert_close(ours.result(), float(theirs.result()), 1e-6, 1e-6, f"{name} after reset")


@pytest.mark.parametrize("loss,kind,expected", [
    ("sparse_categorical_crossentropy", "sparse", "SparseCategoricalAccuracy"),
    ("categorical_crossentropy", "categorical", "CategoricalAccuracy"),
    ("binary_crossentropy", "binary", "BinaryAccuracy"),
])
def test_accuracy_resolves_like_keras(loss, kind, expected):
    y_true, y_pred = batches(kind, 1)[0]
    import torch

    metric = kerascompat.metrics.get("accuracy", torch.as_tensor(y_true), torch.as_tensor(y_pred))
    assert type(metric).__name__ == expected and metric.name == "accuracy"
