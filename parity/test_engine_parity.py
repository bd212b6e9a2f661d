"""Layer-engine semantics against tf.keras: dtype conversion, non-trainable state, Variable
assignment inside `call`, and shape inference of custom layers."""

import numpy as np

import kerascompat
from harness import TF_KERAS, assert_close


def _mlp(keras, dtype):
    inp = keras.Input((5,), dtype=dtype)
    x = keras.layers.Dense(4, activation="tanh", dtype=dtype)(inp)
    return keras.Model(inp, keras.layers.Dense(3, dtype=dtype)(x))


def test_double_model_on_numpy_matches_a_float64_tf_keras_model():
    theirs = _mlp(TF_KERAS, "float64")
    ours = _mlp(kerascompat, "float32").double()  # built in float32, then converted the torch way
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(0).standard_normal((6, 5))  # float64 numpy
    out = ours(x)
    assert str(out.dtype) == "torch.float64" and ours.dtype == "float64"
    assert_close(out.detach().numpy(), theirs(x).numpy(), 1e-12, 1e-12, "float64 output")
