"""Activation layers: every argument of ReLU, LeakyReLU, PReLU, ELU and Softmax (inputs are
standard normal; scaled by 3 where a threshold or cap must be crossed)."""

import numpy as np

from case import Both, Case

_SOFTMAX_MASK = (np.arange(2 * 1 * 5).reshape(2, 1, 5) % 3 != 1).tolist()  # broadcast over axis 1


def prelu_convnet(K):
    x = K.Input(shape=(6, 6, 2))
    h = K.layers.Conv2D(3, 3)(x)
    h = K.layers.PReLU(alpha_initializer=K.initializers.Constant(0.25), shared_axes=[1, 2])(h)
    h = K.layers.Flatten()(h)
    h = K.layers.Dense(4)(h)
    h = K.layers.LeakyReLU(negative_slope=0.2)(h)
    return K.Model(x, K.layers.Softmax()(h))


ACTIVATION_CASES = [
    Case("relu-default", "ReLU", {}, (3, 7)),
    Case("relu-max-value", "ReLU", {"max_value": 1.5}, (3, 7), input_scale=3.0),
    Case("relu-max-value-6", "ReLU", {"max_value": 6.0}, (3, 7), input_scale=5.0),
    Case("relu-negative-slope", "ReLU", {"negative_slope": 0.2}, (3, 7)),
    Case("relu-threshold", "ReLU", {"threshold": 0.5}, (3, 7), input_scale=2.0),
    Case("relu-all-arguments", "ReLU", {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.5}, (3, 4, 5),
         input_scale=3.0),
    Case("leaky-relu-default", "LeakyReLU", {}, (3, 7)),
    Case("leaky-relu-negative-slope", "LeakyReLU", {"negative_slope": 0.05}, (2, 3, 4)),
    Case("elu-default", "ELU", {}, (3, 7)),
    Case("elu-alpha", "ELU", {"alpha": 0.4}, (2, 3, 4)),
    Case("prelu-default", "PReLU", {}, (3, 4, 5)),
    Case("prelu-initializer", "PReLU", {"alpha_initializer": Both(lambda K: K.initializers.Constant(0.3))}, (3, 6)),
    Case("prelu-shared-axes", "PReLU", {"shared_axes": [1, 2], "alpha_initializer": "random_normal"},
         (2, 4, 4, 3)),
    Case("prelu-shared-axis-int", "PReLU", {"shared_axes": 1, "alpha_initializer": "ones"}, (2, 5, 3)),
    Case("prelu-regularizer", "PReLU",
         {"alpha_initializer": "random_normal", "alpha_regularizer": Both(lambda K: K.regularizers.L2(0.1)),
          "activity_regularizer": Both(lambda K: K.regularizers.L1(0.01))}, (3, 4)),
    Case("prelu-constraint", "PReLU",
         {"alpha_initializer": "random_normal", "alpha_constraint": Both(lambda K: K.constraints.NonNeg())}, (3, 4)),
    Case("softmax-default", "Softmax", {}, (3, 7)),
    Case("softmax-axis", "Softmax", {"axis": 1}, (2, 3, 4)),
    Case("softmax-axis-list-one", "Softmax", {"axis": [-2]}, (2, 3, 4)),
    Case("softmax-axis-list", "Softmax", {"axis": [1, 2]}, (2, 3, 4)),
    Case("softmax-mask", "Softmax", {}, (2, 3, 5), mask=_SOFTMAX_MASK),
    Case("softmax-mask-axis-list", "Softmax", {"axis": [1, 2]}, (2, 3, 5), mask=_SOFTMAX_MASK),
    Case("model-prelu-leaky-softmax", build=prelu_convnet, input_shapes=(2, 6, 6, 2)),
]
