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
        elif kind == "labels":
            out.append((RNG.integers(0, 3, (8, 2)).astype("float32"), RNG.integers(0, 3, (8, 2)).astype("float32")))
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
    ("BinaryCrossentropy", {}, "binary"), ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "categorical"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    ("KLDivergence", {}, "categorical"), ("Poisson", {}, "categorical"), ("Hinge", {}, "binary"),
    ("SquaredHinge", {}, "binary"), ("CategoricalHinge", {}, "categorical"),
    ("MeanAbsolutePercentageError", {}, "regression"), ("MeanSquaredLogarithmicError", {}, "categorical"),
    ("LogCoshError", {}, "regression"), ("CosineSimilarity", {}, "regression"),
    ("RootMeanSquaredError", {}, "regression"), ("Accuracy", {}, "labels"),
    ("TruePositives", {}, "binary"), ("FalsePositives", {"thresholds": [0.2, 0.7]}, "binary"),
    ("TrueNegatives", {"thresholds": 0.3}, "binary"), ("FalseNegatives", {}, "binary"),
    ("R2Score", {}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average", "num_regressors": 2}, "regression"),
    ("R2Score", {"class_aggregation": None}, "regression"),
    ("F1Score", {}, "categorical"), ("F1Score", {"average": "micro"}, "categorical"),
    ("F1Score", {"average": "macro", "threshold": 0.5}, "categorical"),
    ("FBetaScore", {"beta": 2.0, "average": "weighted"}, "categorical"),
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
    assert_close(ours.result(), np.asarray(theirs.result()), 1e-5, 1e-5, name)
    ours.reset_state()
    theirs.reset_state()
    after = np.asarray(theirs.result())
    if np.all(np.isnan(after)):  # R2Score's 0 / 0
        assert np.all(np.isnan(np.asarray(ours.result()))) and np.shape(ours.result()) == after.shape
    else:
        assert_close(ours.result(), after, 1e-6, 1e-6, f"{name} after reset")


def test_sum_matches_tf():
    values = [RNG.standard_normal((4, 3)).astype("float32") for _ in range(3)]
    weights = [RNG.random(4).astype("float32") for _ in range(3)]
    theirs, ours = TF_KERAS.metrics.Sum(), kerascompat.metrics.Sum()
    for v, w in zip(values, weights):
        theirs.update_state(v, sample_weight=w)
        ours.update_state(v, sample_weight=w)
    assert_close(ours.result(), float(theirs.result()), 1e-5, 1e-5, "Sum")


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
