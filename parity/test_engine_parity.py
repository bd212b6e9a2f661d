"""Layer-engine semantics against tf.keras: dtype conversion, non-trainable state, Variable
assignment inside `call`, and shape inference of custom layers.

Every tf.keras initializer here is seeded, so these tests draw nothing from Keras's global
seed generator (later parity tests copy tf.keras's unseeded initial weights and must see the
same ones whether or not this file ran)."""

import numpy as np

import kerascompat
from harness import TF_KERAS, assert_close


def _mlp(keras, dtype):
    inp = keras.Input((5,), dtype=dtype)
    x = keras.layers.Dense(4, activation="tanh", dtype=dtype, kernel_initializer=keras.initializers.GlorotUniform(1))(inp)
    return keras.Model(inp, keras.layers.Dense(3, dtype=dtype, kernel_initializer=keras.initializers.GlorotUniform(2))(x))


def test_double_model_on_numpy_matches_a_float64_tf_keras_model():
    theirs = _mlp(TF_KERAS, "float64")
    ours = _mlp(kerascompat, "float32").double()  # built in float32, then converted the torch way
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(0).standard_normal((6, 5))  # float64 numpy
    out = ours(x)
    assert str(out.dtype) == "torch.float64" and ours.dtype == "float64"
    assert_close(out.detach().numpy(), theirs(x).numpy(), 1e-12, 1e-12, "float64 output")


def _masked_conv_class(keras):
    class MaskedConv(keras.layers.Layer):  # keras.io's PixelCNN PixelConvLayer, mask type "B"
        def __init__(self, **kwargs):
            super().__init__()
            self.conv = keras.layers.Conv2D(**kwargs)

        def build(self, input_shape):
            self.conv.build(input_shape)
            kernel_shape = tuple(self.conv.kernel.shape)
            self.mask = np.zeros(shape=kernel_shape, dtype="float32")
            self.mask[: kernel_shape[0] // 2, ...] = 1.0
            self.mask[kernel_shape[0] // 2, : kernel_shape[1] // 2 + 1, ...] = 1.0

        def call(self, inputs):
            self.conv.kernel.assign(self.conv.kernel * self.mask)
            return self.conv(inputs)

    return MaskedConv


def test_pixelcnn_kernel_assign_in_call_matches_tf_keras():
    import tensorflow as tf
    import torch

    x = np.random.default_rng(1).standard_normal((2, 6, 6, 3)).astype("float32")
    theirs = _masked_conv_class(TF_KERAS)(filters=4, kernel_size=5, padding="same",
                                          kernel_initializer=TF_KERAS.initializers.GlorotUniform(3))
    ours = _masked_conv_class(kerascompat)(filters=4, kernel_size=5, padding="same")
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights(theirs.get_weights())
    with tf.GradientTape() as tape:
        tf_out = theirs(x)
        tf_loss = tf.reduce_sum(tf_out * tf_out)
    tf_grads = tape.gradient(tf_loss, theirs.trainable_weights)
    out = ours(torch.from_numpy(x))
    (out * out).sum().backward()
    assert_close(out.detach().numpy(), tf_out.numpy(), 1e-5, 1e-5, "masked conv output")
    for mine, tf_w in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(mine, tf_w, 1e-6, 1e-6, "masked kernel after assign")
    assert_close(ours.conv.kernel.grad.numpy(), tf_grads[0].numpy(), 1e-4, 1e-4, "kernel gradient")
    assert_close(ours.conv.bias.grad.numpy(), tf_grads[1].numpy(), 1e-4, 1e-4, "bias gradient")


def _custom(keras, fn):
    class Custom(keras.layers.Layer):  # no compute_output_shape: the shape is inferred
        def call(self, inputs):
            return fn(inputs)

    return Custom()


def test_inferred_output_shapes_match_tf_keras():
    import tensorflow as tf
    import torch

    cases = [  # (input shape, tf op, torch op)
        ((None, 20), lambda x: x[:, :17], lambda x: x[:, :17]),
        ((None, 4, 3), lambda x: tf.reshape(x, (-1, 12)), lambda x: x.reshape(-1, 12)),
        ((None, None, 3), lambda x: tf.reduce_mean(x, axis=1), lambda x: x.mean(1)),
        ((None, None, 2), lambda x: tf.concat([x, x], axis=-1), lambda x: torch.cat([x, x], -1)),
        ((None, 17), lambda x: x[:, ::2], lambda x: x[:, ::2]),
    ]
    for shape, tf_fn, torch_fn in cases:
        tf_out = _custom(TF_KERAS, tf_fn)(TF_KERAS.Input(batch_shape=shape))
        ours = _custom(kerascompat, torch_fn)(kerascompat.Input(batch_shape=shape))
        assert tuple(ours.shape) == tuple(tf_out.shape), (shape, ours.shape, tf_out.shape)
