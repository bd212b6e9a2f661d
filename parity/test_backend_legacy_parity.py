"""Keras 2's backend functions that tf.keras 3 still exports (`keras.backend.ctc_batch_cost`),
against tf.keras: values and gradients."""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from harness import TF_KERAS


@pytest.mark.parametrize("seed,lengths", [(0, ([7, 6, 7], [3, 2, 1])), (1, ([7, 6, 7], [2, 3, 3]))])
def test_ctc_batch_cost_matches_tf(seed, lengths):
    rng = np.random.default_rng(seed)
    probs = rng.random((3, 7, 5)).astype("float32")
    probs /= probs.sum(-1, keepdims=True)
    labels = rng.integers(0, 4, (3, 4)).astype("float32")  # class 4 (the last) is the blank
    input_length = np.array(lengths[0])[:, None]
    label_length = np.array(lengths[1])[:, None]
    variable = tf.Variable(probs)
    with tf.GradientTape() as tape:
        theirs = TF_KERAS.backend.ctc_batch_cost(labels, variable, input_length, label_length)
        weights = rng.standard_normal(theirs.shape).astype("float32")
        tf_loss = tf.reduce_sum(theirs * weights)
    tf_grad = tape.gradient(tf_loss, variable).numpy()
    ours_in = torch.tensor(probs, requires_grad=True)
    ours = kerascompat.backend.ctc_batch_cost(torch.tensor(labels), ours_in, input_length, label_length)
    assert tuple(ours.shape) == tuple(theirs.shape) == (3, 1)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.numpy(), rtol=1e-5, atol=1e-5)
    (ours * torch.from_numpy(weights)).sum().backward()
    scale = max(1.0, float(np.abs(tf_grad).max()))
    np.testing.assert_allclose(ours_in.grad.numpy(), tf_grad, rtol=1e-5, atol=1e-5 * scale)
