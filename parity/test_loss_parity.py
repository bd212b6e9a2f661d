"""Losses: values and gradients against tf.keras, for every loss, its options, sample weights
and reductions."""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from harness import TF_KERAS, assert_close

RNG = np.random.default_rng(0)
B, C = 6, 4


def probs(shape):
    p = RNG.random(shape).astype("float32") + 0.05
    return p / p.sum(-1, keepdims=True)


def one_hot(shape):
    return np.eye(shape[-1], dtype="float32")[RNG.integers(0, shape[-1], shape[:-1])]


DATA = {
    "regression": lambda: (RNG.standard_normal((B, C)).astype("float32"), RNG.standard_normal((B, C)).astype("float32")),
    "positive": lambda: (RNG.random((B, C)).astype("float32") * 3, RNG.random((B, C)).astype("float32") * 3 + 0.1),
    "binary_probs": lambda: (RNG.integers(0, 2, (B, C)).astype("float32"), RNG.random((B, C)).astype("float32") * 0.98 + 0.01),
    "binary_logits": lambda: (RNG.integers(0, 2, (B, C)).astype("float32"), RNG.standard_normal((B, C)).astype("float32") * 3),
    "categorical_probs": lambda: (one_hot((B, C)), probs((B, C))),
    "categorical_logits": lambda: (one_hot((B, C)), RNG.standard_normal((B, C)).astype("float32") * 2),
    "sparse_probs": lambda: (RNG.integers(0, C, (B,)).astype("int64"), probs((B, C))),
    "sparse_logits": lambda: (RNG.integers(0, C, (B, 1)).astype("int64"), RNG.standard_normal((B, C)).astype("float32")),
    "sparse_3d_logits": lambda: (RNG.integers(0, C, (B, 3)).astype("int64"), RNG.standard_normal((B, 3, C)).astype("float32")),
    "distributions": lambda: (probs((B, C)), probs((B, C))),
    "hinge": lambda: (RNG.integers(0, 2, (B, C)).astype("float32"), RNG.standard_normal((B, C)).astype("float32")),
    "hinge_pm1": lambda: ((RNG.integers(0, 2, (B, C)) * 2 - 1).astype("float32"), RNG.standard_normal((B, C)).astype("float32")),
    "regression_3d": lambda: (RNG.standard_normal((B, 3, C)).astype("float32"), RNG.standard_normal((B, 3, C)).astype("float32")),
}

CASES = [
    ("MeanSquaredError", {}, "regression"), ("MeanSquaredError", {}, "regression_3d"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("Huber", {}, "regression"), ("Huber", {"delta": 0.5}, "regression"),
    ("LogCosh", {}, "regression"),
    ("BinaryCrossentropy", {}, "binary_probs"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary_probs"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits"),
    ("CategoricalCrossentropy", {}, "categorical_probs"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "categorical_probs"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "categorical_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse_probs"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_3d_logits"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1}, "sparse_3d_logits"),
    ("KLDivergence", {}, "distributions"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "hinge"), ("Hinge", {}, "hinge_pm1"),
    ("SquaredHinge", {}, "hinge"),
    ("CategoricalHinge", {}, "categorical_logits"),
    ("CosineSimilarity", {}, "regression"), ("CosineSimilarity", {"axis": 1}, "regression_3d"),
    ("BinaryFocalCrossentropy", {}, "binary_probs"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "gamma": 3.0, "from_logits": True,
                                 "label_smoothing": 0.1}, "binary_logits"),
    ("CategoricalFocalCrossentropy", {}, "categorical_probs"),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "from_logits": True, "label_smoothing": 0.1},
     "categorical_logits"),
    ("Dice", {}, "binary_probs"), ("Dice", {"axis": -1}, "categorical_probs"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7}, "binary_probs"), ("Tversky", {"axis": -1}, "categorical_probs"),
]
REDUCTIONS = ["sum_over_batch_size", "sum", "none", "mean_with_sample_weight"]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,kwargs,data", CASES, ids=lambda v: str(v))
def test_loss_matches_tf(name, kwargs, data, reduction, weighted):
    y_true, y_pred = DATA[data]()
    theirs = getattr(TF_KERAS.losses, name)(reduction=reduction, **kwargs)
    ours = getattr(kerascompat.losses, name)(reduction=reduction, **kwargs)
    per_sample_shape = tuple(getattr(kerascompat.losses, name)(reduction="none", **kwargs)(
        torch.tensor(y_true), torch.tensor(y_pred)).shape)
    weight = RNG.random(per_sample_shape).astype("float32") if weighted else None
    pred_tf = tf.constant(y_pred)
    with tf.GradientTape() as tape:
        tape.watch(pred_tf)
        value_tf = theirs(tf.constant(y_true), pred_tf, sample_weight=weight)
        total_tf = tf.reduce_sum(value_tf)
    grad_tf = tape.gradient(total_tf, pred_tf)
    pred_ours = torch.tensor(y_pred, requires_grad=True)
    value_ours = ours(torch.tensor(y_true), pred_ours, sample_weight=None if weight is None else torch.tensor(weight))
    value_ours.sum().backward()
    assert_close(value_ours.detach().numpy(), value_tf.numpy(), 1e-5, 1e-5, f"{name} value")
    assert_close(pred_ours.grad.numpy(), grad_tf.numpy(), 1e-5, 1e-5, f"{name} gradient")


FUNCTION_NAMES = ["mse", "mae", "mape", "msle", "mean_squared_error", "binary_crossentropy",
                  "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence", "poisson", "hinge",
                  "squared_hinge", "categorical_hinge", "huber", "log_cosh", "cosine_similarity"]


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_loss_functions_by_name(name):
    data = {"binary_crossentropy": "binary_probs", "categorical_crossentropy": "categorical_probs",
            "sparse_categorical_crossentropy": "sparse_probs", "kl_divergence": "distributions",
            "poisson": "positive", "msle": "positive", "categorical_hinge": "categorical_logits"}.get(name, "regression")
    y_true, y_pred = DATA[data]()
    theirs = TF_KERAS.losses.get(name)(tf.constant(y_true), tf.constant(y_pred)).numpy()
    ours = kerascompat.losses.get(name)(torch.tensor(y_true), torch.tensor(y_pred)).numpy()
    assert_close(ours, theirs, 1e-5, 1e-5, name)
