"""Dilated transposed convolutions against TensorFlow.

TensorFlow's CPU kernel rejects dilation_rate > 1 for transposed convolutions, so the
oracle here is the mathematically identical undilated layer whose kernel has the dilation
holes filled with zeros: outputs, input gradients and the kernel gradient at the real taps
must match.
"""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from harness import TF_KERAS, assert_close

CASES = [
    (rank, d, padding, k)
    for rank in (1, 2, 3)
    for d in (2, 3)
    for padding in ("valid", "same")
    for k in (2, 3)
]


@pytest.mark.parametrize("rank,dilation,padding,kernel", CASES, ids=str)
def test_dilated_transpose_matches_zero_inserted_kernel(rank, dilation, padding, kernel):
    rng = np.random.default_rng(0)
    shape = (2,) + (5, 4, 3)[:rank] + (2,)
    name = f"Conv{rank}DTranspose"
    ours = getattr(kerascompat.layers, name)(3, kernel, dilation_rate=dilation, padding=padding)
    x = rng.standard_normal(shape).astype("float32")
    ours(torch.from_numpy(x))
    k_dilated, bias = ours.get_weights()
    bias = bias + 0.1
    ours.set_weights([k_dilated, bias])
    effective = (kernel - 1) * dilation + 1
    k_zero = np.zeros((effective,) * rank + k_dilated.shape[-2:], dtype="float32")
    k_zero[(slice(None, None, dilation),) * rank] = k_dilated
    theirs = getattr(TF_KERAS.layers, name)(3, effective, padding=padding)
    theirs(x)
    theirs.set_weights([k_zero, bias])

    xt = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        y_tf = theirs(xt)
        R = rng.standard_normal(tuple(y_tf.shape)).astype("float32")
        loss = tf.reduce_sum(y_tf * R)
    gx_tf = tape.gradient(loss, xt).numpy()
    gk_tf = tape.gradient(loss, theirs.kernel).numpy()

    x_ours = torch.from_numpy(x).requires_grad_()
    y = ours(x_ours)
    (y * torch.from_numpy(R)).sum().backward()
    assert_close(y.detach().numpy(), y_tf.numpy(), 1e-5, 1e-5, "output")
    assert_close(x_ours.grad.numpy(), gx_tf, 1e-5, 1e-5, "input gradient")
    gk_ours = ours._weight_slots[0].layout.to_keras(ours.conv.weight.grad).numpy()
    assert_close(gk_ours, gk_tf[(slice(None, None, dilation),) * rank], 1e-5, 1e-5, "kernel gradient")
