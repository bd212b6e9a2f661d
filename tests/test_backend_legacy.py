"""keras.backend.ctc_batch_cost without TensorFlow: shape, a hand-computed value, gradients."""

import math

import torch

import kerascompat as keras


def test_ctc_batch_cost_of_a_one_step_label():
    # One time step, classes (a, blank): the only alignment of label [a] is "a", so the loss is
    # -log p(a) after TF's renormalization of log(p + epsilon).
    probs = torch.tensor([[[0.25, 0.75]]], requires_grad=True)
    loss = keras.backend.ctc_batch_cost(torch.tensor([[0.0]]), probs, [[1]], [[1]])
    eps = keras.backend.epsilon()
    expected = -math.log((0.25 + eps) / (1.0 + 2 * eps))
    assert tuple(loss.shape) == (1, 1)
    assert abs(loss.item() - expected) < 1e-6
    loss.sum().backward()
    assert probs.grad is not None and torch.isfinite(probs.grad).all()


def test_ctc_batch_cost_label_longer_than_input_is_infinite():
    probs = torch.full((1, 2, 3), 1 / 3)
    loss = keras.backend.ctc_batch_cost(torch.tensor([[0.0, 1.0, 0.0]]), probs, [[2]], [[3]])
    assert math.isinf(loss.item())
