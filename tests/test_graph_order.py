"""A functional model lists its layers in Keras's order (by depth from the outputs, ties in
the order a walk back from the outputs meets them), not in call order. Expected orders are
worked out by hand from that rule."""

import numpy as np
import pytest

import kerascompat as keras
from kerascompat import layers


def names(model):
    return [layer.name for layer in model.layers]


def test_shallow_branch_called_first_comes_after_deeper_branch():
    x = keras.Input(shape=(8, 8, 3), name="x")
    a = layers.Conv2D(4, 1, name="a")(x)
    b = layers.Conv2D(4, 1, name="b1")(x)
    b = layers.Conv2D(4, 3, padding="same", name="b2")(b)
    model = keras.Model(x, layers.Concatenate(name="cat")([a, b]))
    # depths: cat 0, a 1, b2 1, b1 2, x 3; a is met before b2 walking back from cat.
    assert names(model) == ["x", "b1", "a", "b2", "cat"]
    kernels = [w.shape for w in model.get_weights()[::2]]
    assert kernels == [(1, 1, 3, 4), (1, 1, 3, 4), (3, 3, 4, 4)]


def test_weights_follow_the_layer_order():
    x = keras.Input(shape=(3,), name="x")
    short = layers.Dense(2, name="short")(x)
    deep = layers.Dense(2, name="deep2")(layers.Dense(5, name="deep1")(x))
    model = keras.Model(x, layers.Add(name="add")([short, deep]))
    assert names(model) == ["x", "deep1", "short", "deep2", "add"]
    assert [tuple(w.shape) for w in model.get_weights()] == [(3, 5), (5,), (3, 2), (2,), (5, 2), (2,)]
    state_keys = [k for k in model.state_dict() if k.endswith("weight")]
    assert [k.split(".")[0] for k in state_keys] == ["deep1", "short", "deep2"]


def test_layer_shared_at_two_depths_takes_the_deeper_one():
    a = keras.Input(shape=(4,), name="a")
    shared = layers.Dense(4, name="s")
    h1 = shared(a)
    h2 = shared(layers.Dense(4, name="p")(a))
    model = keras.Model(a, layers.Add(name="add")([h1, h2]))
    assert names(model) == ["a", "p", "s", "add"]


def test_unused_input_is_listed_first_at_depth_zero():
    x = keras.Input(shape=(3,), name="x")
    unused = keras.Input(shape=(2,), name="u")
    model = keras.Model([x, unused], layers.Dense(1, name="d")(x))
    assert names(model) == ["x", "u", "d"]
    out = model([np.ones((2, 3), "float32"), np.ones((2, 2), "float32")])
    assert tuple(out.shape) == (2, 1)


def test_outputs_are_walked_in_order():
    x = keras.Input(shape=(3,), name="x")
    first = layers.Dense(2, name="first")(x)
    second = layers.Dense(2, name="second")(x)
    assert names(keras.Model(x, [second, first])) == ["x", "second", "first"]


def test_misordered_weights_are_no_longer_accepted_silently():
    """set_weights from a model with the same layers in Keras order reproduces its outputs."""
    def build():
        x = keras.Input(shape=(3,))
        a = layers.Dense(3, name="a")(x)
        b = layers.Dense(3, name="b2")(layers.Dense(3, name="b1")(x))
        return keras.Model(x, layers.Concatenate()([a, b]))

    source, target = build(), build()
    target.set_weights(source.get_weights())
    x = np.random.default_rng(0).standard_normal((2, 3)).astype("float32")
    np.testing.assert_array_equal(target(x).detach().numpy(), source(x).detach().numpy())


def test_cycle_free_deep_graph_has_no_recursion_limit():
    x = keras.Input(shape=(2,), name="x")
    h = x
    for _ in range(1500):
        h = layers.Identity()(h)
    model = keras.Model(x, h)
    assert len(model.layers) == 1501
    assert model.layers[0].name == "x"


if __name__ == "__main__":
    pytest.main([__file__])


def test_model_submodules_are_its_layers_once_in_keras_order():
    q = keras.Input(shape=(6, 8), name="query")
    v = keras.Input(shape=(7, 8), name="value")
    qp = layers.Dense(8, use_bias=False, name="proj")(q)
    model = keras.Model([q, v], layers.Dot(axes=(2, 2), name="dot")([qp, v]))
    # depths: dot 0, proj 1, value 1, query 2; proj is met before value walking back.
    assert names(model) == ["query", "proj", "value", "dot"]
    assert [type(m).__name__ for m in model.children()] == ["InputLayer", "Dense", "InputLayer", "Dot"]


def test_layer_called_with_two_symbolic_tensors_infers_from_the_whole_call():
    class Gate(keras.layers.Layer):
        def call(self, gate, features):
            return features[:, :, :2] * gate[:, None, :2].float()

    gate = keras.Input(shape=(4,), dtype="int32", name="gate_values")
    features = keras.Input(shape=(6, 3), name="features")
    out = Gate()(gate, features)
    assert out.shape == (None, 6, 2)
    model = keras.Model([features, gate], out)
    y = model([np.ones((2, 6, 3), "float32"), np.full((2, 4), 3, "int32")])
    np.testing.assert_array_equal(y.detach().numpy(), np.full((2, 6, 2), 3.0, "float32"))


def test_lambda_output_shape_takes_the_batch_axis_of_the_first_input():
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(5,))
    joined = layers.Lambda(lambda v: v[0][:, :1] + v[1][:, :1], output_shape=(1,))([a, b])
    assert joined.shape == (None, 1)
    pair = layers.Lambda(lambda v: [v, v], output_shape=[(3,), (3,)])(a)
    assert [t.shape for t in pair] == [(None, 3), (None, 3)]


def test_shape_inference_of_a_layer_building_a_masked_kernel_sublayer():
    """keras.io's PixelCNN: a sublayer built during the output-shape trial run, whose call assigns
    `kernel * numpy_mask`; the trial run leaves no stale weight slots behind."""
    class MaskedConv(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__()
            self.conv = layers.Conv2D(**kwargs)

        def build(self, input_shape):
            self.conv.build(input_shape)
            self.mask = np.zeros(tuple(self.conv.kernel.shape))
            self.mask[0] = 1.0

        def call(self, inputs):
            self.conv.kernel.assign(self.conv.kernel * self.mask)
            return self.conv(inputs)

    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = MaskedConv(filters=2, kernel_size=3, padding="same")

        def call(self, inputs):
            return self.inner(inputs)

    x = keras.Input(shape=(5, 5, 1))
    out = Block()(x)
    assert out.shape == (None, 5, 5, 2)
    model = keras.Model(x, out)
    model(np.ones((1, 5, 5, 1), "float32"))
    assert [tuple(w.shape) for w in model.get_weights()] == [(3, 3, 1, 2), (2,)]
    kernel = model.get_weights()[0]
    assert np.abs(kernel[1:]).sum() == 0 and np.abs(kernel[0]).sum() > 0
