"""Subclasses built on `convolution_op` against tf.keras (keras.io's weight-standardized Conv2D).

keras.io ("Customizing the convolution operation of a Conv2D layer") shows two spellings:
override `call` and pass a standardized kernel to `self.convolution_op`, or override
`convolution_op` itself. Both sides get the same weights and input; outputs, input
gradients and kernel gradients must match.
"""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from harness import TF_KERAS, assert_close

K_OPS = TF_KERAS.ops
AXES = {1: [0, 1], 2: [0, 1, 2], 3: [0, 1, 2, 3]}


def tf_classes(base, rank):
    class WithCall(base):
        def call(self, inputs):
            mean, var = K_OPS.moments(self.kernel, axes=AXES[rank], keepdims=True)
            return self.convolution_op(inputs, (self.kernel - mean) / K_OPS.sqrt(var + 1e-10))

    class WithConvolutionOp(base):
        def convolution_op(self, inputs, kernel):
            mean, var = K_OPS.moments(kernel, axes=AXES[rank], keepdims=True)
            return super().convolution_op(inputs, (kernel - mean) / K_OPS.sqrt(var + 1e-10))

    return {"call": WithCall, "convolution_op": WithConvolutionOp}


def torch_classes(base, rank):
    dims = tuple(AXES[rank])

    def standardize(kernel):
        var, mean = torch.var_mean(kernel, dim=dims, keepdim=True, correction=0)
        return (kernel - mean) / torch.sqrt(var + 1e-10)

    class WithCall(base):
        def call(self, inputs):
            return self.convolution_op(inputs, standardize(self.kernel))

    class WithConvolutionOp(base):
        def convolution_op(self, inputs, kernel):
            return super().convolution_op(inputs, standardize(kernel))

    return {"call": WithCall, "convolution_op": WithConvolutionOp}


CASES = [
    ("Conv2D", dict(filters=6, kernel_size=3, padding="same", strides=2), (2, 9, 8, 4)),  # TF pads (0, 1)
    ("Conv2D", dict(filters=6, kernel_size=(2, 3), groups=2, activation="relu"), (2, 7, 7, 4)),
    ("Conv2D", dict(filters=4, kernel_size=3, dilation_rate=2, padding="same", use_bias=False), (2, 9, 9, 3)),
    ("Conv1D", dict(filters=5, kernel_size=3, padding="same", strides=2), (2, 10, 3)),
    ("Conv3D", dict(filters=3, kernel_size=2, padding="same"), (2, 5, 4, 3, 2)),
]


@pytest.mark.parametrize("spelling", ["call", "convolution_op"])
@pytest.mark.parametrize("layer,kwargs,shape", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_weight_standardized_convolution(layer, kwargs, shape, spelling):
    rank = len(shape) - 2
    rng = np.random.default_rng(0)
    theirs = tf_classes(getattr(TF_KERAS.layers, layer), rank)[spelling](**kwargs)
    ours = torch_classes(getattr(kerascompat.layers, layer), rank)[spelling](**kwargs)
    x = rng.standard_normal(shape).astype("float32")
    theirs(x)
    weights = [w + 0.3 if w.ndim == 1 else w for w in theirs.get_weights()]  # a non-zero bias
    theirs.set_weights(weights)
    ours(torch.from_numpy(x))
    ours.set_weights(weights)

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
    assert_close(gk_ours, gk_tf, 1e-4, 1e-4, "kernel gradient")
