"""The Layer lifecycle, functional and Sequential models, weights, configs and torch-native behaviour."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


def mlp(name=None):
    inp = keras.Input((8,))
    x = layers.Dense(16, activation="relu")(inp)
    x = layers.Dropout(0.5)(x)
    return keras.Model(inp, layers.Dense(3)(x), name=name)


# ------------------------------------------------------------------------------ names
def test_automatic_names_follow_keras():
    assert [layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert layers.Dropout(0.1).name == "dropout"
    assert layers.Dense(1, name="head").name == "head"
    keras.backend.clear_session()
    assert layers.Dense(1).name == "dense"
    assert mlp().name == "functional"
    assert keras.Sequential().name == "sequential"


def test_duplicate_layer_names_in_a_model_raise():
    inp = keras.Input((2,))
    x = layers.Dense(2, name="same")(inp)
    with pytest.raises(ValueError, match="unique"):
        keras.Model(inp, layers.Dense(2, name="same")(x))


# --------------------------------------------------------------------------- building
def test_functional_call_creates_parameters_right_away():
    model = mlp()
    params = list(model.parameters())
    assert len(params) == 4
    torch.optim.Adam(model.parameters())  # can be created before any data is seen


def test_sequential_builds_from_input_shape_input_or_first_call():
    s1 = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    assert s1.built and s1.count_params() == 16 + 10
    s2 = keras.Sequential([keras.Input((3,)), layers.Dense(4)])
    assert s2.built and len(s2.layers) == 1
    s3 = keras.Sequential([layers.Dense(4, input_dim=3)])
    assert s3.built
    s4 = keras.Sequential([layers.Dense(4, batch_input_shape=(None, 3))])
    assert s4.built
    lazy = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    assert not lazy.built and list(lazy.parameters()) == []
    lazy(torch.randn(5, 3))
    assert lazy.built and lazy.count_params() == 26
    built = keras.Sequential([layers.Dense(4)])
    built.build((None, 6))
    assert built.layers[0].get_weights()[0].shape == (6, 4)


def test_sequential_add_pop_and_errors():
    model = keras.Sequential()
    model.add(keras.Input((5,)))
    model.add(layers.Dense(3))
    model.add(layers.Dense(2))
    assert model(torch.randn(1, 5)).shape == (1, 2)
    popped = model.pop()
    assert popped.name == "dense_1" and len(model.layers) == 1
    assert model(torch.randn(1, 5)).shape == (1, 3)
    assert "dense_1" not in dict(model.named_modules())
    with pytest.raises(ValueError, match="Only instances of `keras.Layer`"):
        model.add(torch.nn.Linear(2, 2))
    with pytest.raises(TypeError, match="no layers"):
        keras.Sequential().pop()


def test_calling_sequential_with_wrong_shape_raises():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    with pytest.raises(ValueError, match=r'"sequential".*expected shape=\(None, 4\), found shape=\(3, 5\)'):
        model(torch.randn(3, 5))
    with pytest.raises(ValueError, match="expected shape"):
        model(torch.randn(3, 4, 1))


def test_count_params_unbuilt_raises():
    with pytest.raises(ValueError, match="isn't built"):
        layers.Dense(3).count_params()


# ------------------------------------------------------------------- functional graph
def test_multi_input_multi_output_list_and_dict():
    a, b = keras.Input((3,), name="a"), keras.Input((4,), name="b")
    h = layers.Dense(5)(a)
    g = layers.Dense(5)(b)
    model = keras.Model([a, b], [layers.Dense(1)(h), layers.Dense(2)(g)])
    xa, xb = torch.randn(2, 3), torch.randn(2, 4)
    o1, o2 = model([xa, xb])
    assert o1.shape == (2, 1) and o2.shape == (2, 2)
    by_name = model({"a": xa, "b": xb})
    torch.testing.assert_close(by_name[0], o1)
    dmodel = keras.Model({"x": a}, {"out": layers.Dense(2)(a)})
    assert dmodel({"x": xa})["out"].shape == (2, 2)
    with pytest.raises(ValueError, match="expects 2 input"):
        model([xa])
    with pytest.raises(ValueError, match="missing"):
        model({"a": xa})


def test_shared_layer_shares_weights():
    a, b = keras.Input((3,)), keras.Input((3,))
    shared = layers.Dense(2)
    model = keras.Model([a, b], [shared(a), shared(b)])
    x = torch.randn(4, 3)
    o1, o2 = model([x, x])
    torch.testing.assert_close(o1, o2)
    assert len(model.get_weights()) == 2
    assert len(shared._inbound_nodes) == 2


def test_model_as_layer_inside_a_model():
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(4, activation="tanh")], name="inner")
    x = keras.Input((4,))
    outer = keras.Model(x, layers.Dense(1)(inner(inner(x))))
    assert outer.get_layer("inner") is inner
    assert len(outer.get_weights()) == 4
    assert outer(torch.randn(2, 4)).shape == (2, 1)
    assert any(k.startswith("inner.dense") for k in outer.state_dict())


def test_graph_disconnected_raises():
    a, b = keras.Input((2,)), keras.Input((2,))
    from kerascompat.layers import Layer

    class Sum(Layer):
        def call(self, inputs):
            return inputs[0] + inputs[1]

    s = Sum()([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, s)


def test_torch_functions_on_keras_tensors_give_a_clear_error():
    x = keras.Input((2,))
    with pytest.raises(TypeError, match="torch function 'relu' cannot be applied to a symbolic KerasTensor"):
        torch.relu(x)
    with pytest.raises(TypeError, match="no value"):
        float(x)
    with pytest.raises(TypeError, match="no value"):
        list(x)


def test_input_spellings_and_errors():
    assert keras.Input(shape=(3,)).shape == (None, 3)
    assert keras.Input(batch_shape=(None, 5, 2)).shape == (None, 5, 2)
    assert keras.Input((3,), batch_size=8).shape == (8, 3)
    with pytest.raises(ValueError, match="both"):
        keras.Input(shape=(3,), batch_shape=(None, 3))
    with pytest.raises(ValueError, match="shape"):
        keras.Input()
    with pytest.raises(NotImplementedError, match="sparse"):
        keras.Input((3,), sparse=True)


def test_get_layer():
    model = mlp()
    assert model.get_layer(index=1).name == "dense"
    assert model.get_layer("dropout").rate == 0.5
    with pytest.raises(ValueError, match="No such layer"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="only has 4 layers"):
        model.get_layer(index=10)


# ----------------------------------------------------------------- training & inputs
def test_train_eval_and_training_override_reach_nested_layers():
    model = mlp()
    x = torch.randn(64, 8)
    model.eval()
    torch.testing.assert_close(model(x), model(x))
    assert not torch.equal(model(x, training=True), model(x, training=True))
    model.train()
    assert not torch.equal(model(x), model(x))
    torch.testing.assert_close(model(x, training=False), model(x, training=False))


def test_numpy_inputs_become_float32_tensors():
    model = mlp()
    out = model(np.random.rand(2, 8))  # float64 numpy
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32


def test_state_dict_is_torch_native_and_keyed_by_layer_name():
    model = mlp()
    sd = model.state_dict()
    assert list(sd) == ["dense.linear.weight", "dense.linear.bias", "dense_1.linear.weight", "dense_1.linear.bias"]
    assert sd["dense.linear.weight"].shape == (16, 8)
    # Swap with hand-written torch.
    ref = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    ref.load_state_dict({"0.weight": sd["dense.linear.weight"], "0.bias": sd["dense.linear.bias"],
                         "2.weight": sd["dense_1.linear.weight"], "2.bias": sd["dense_1.linear.bias"]})
    model.eval()
    x = torch.randn(5, 8)
    torch.testing.assert_close(model(x), ref(x))


def test_to_double_and_back():
    model = mlp().double()
    out = model(torch.randn(2, 8, dtype=torch.float64))
    assert out.dtype == torch.float64


def test_trainable_false_freezes_and_restores():
    model = mlp()
    dense = model.get_layer("dense")
    dense.trainable = False
    assert not dense.linear.weight.requires_grad
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    model.trainable = False
    assert model.trainable_weights == []
    model.trainable = True
    assert len(model.trainable_weights) == 4
    frozen = layers.Dense(2, trainable=False)
    frozen(torch.randn(1, 3))
    assert not frozen.linear.weight.requires_grad and frozen.trainable_weights == []


# ---------------------------------------------------------------------------- weights
def test_get_set_weights_roundtrip_and_validation_is_all_or_nothing():
    model = mlp()
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(8, 16), (16,), (16, 3), (3,)]
    new = [np.full_like(w, 0.25) for w in weights]
    model.set_weights(new)
    assert all(np.all(w == 0.25) for w in model.get_weights())
    before = model.get_weights()
    bad = [np.zeros_like(w) for w in weights]
    bad[2] = np.zeros((3, 16), dtype="float32")  # wrong orientation
    with pytest.raises(ValueError, match=r"weight 'kernel' has shape \(16, 3\).*\(3, 16\)"):
        model.set_weights(bad)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))  # nothing changed
    with pytest.raises(ValueError, match="expected 4 weights, but received 3"):
        model.set_weights(weights[:3])


def test_custom_layer_like_keras():
    class Linear(layers.Layer):
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", name="kernel")
            self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

        def call(self, inputs):
            return inputs @ self.kernel + self.bias

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    layer = Linear(3)
    out = layer(keras.Input((2,)))
    assert out.shape == (None, 3)
    assert list(dict(layer.named_parameters())) == ["kernel", "bias"]
    assert list(dict(layer.named_buffers())) == ["count"]  # add_weight(trainable=False) is a buffer
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 1
    assert layer(torch.ones(1, 2)).tolist() == [[2.0, 2.0, 2.0]]
    clone = Linear.from_config(layer.get_config())
    assert clone.units == 3 and clone.name == layer.name


def test_custom_layer_holding_torch_modules_reports_their_weights():
    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(3, 2)

        def call(self, x):
            return self.fc(x)

    block = Block()
    assert block(keras.Input((3,))).shape == (None, 2)
    assert [w.shape for w in block.get_weights()] == [(2, 3), (2,)]


# ---------------------------------------------------------------------------- configs
CONFIG_LAYERS = [
    layers.Dense(3, activation="relu", use_bias=False, kernel_initializer="he_normal",
                 kernel_regularizer=keras.regularizers.L1L2(0.1, 0.2), bias_constraint="non_neg",
                 activity_regularizer="l2"),
    layers.Activation("gelu"),
    layers.Flatten(data_format="channels_first"),
    layers.Dropout(0.3, noise_shape=(None, 1), seed=4),
    layers.Reshape((2, -1)),
    layers.Permute((2, 1)),
]


@pytest.mark.parametrize("layer", CONFIG_LAYERS, ids=lambda l: type(l).__name__)
def test_config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


def test_sequential_config_round_trip():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="tanh"), layers.Dense(2)])
    clone = keras.Sequential.from_config(model.get_config())
    assert clone.built and [l.name for l in clone.layers] == [l.name for l in model.layers]
    clone.set_weights(model.get_weights())
    x = torch.randn(2, 4)
    torch.testing.assert_close(clone(x), model(x))


def test_dense_accepts_keras_serialized_config():
    keras_config = {
        "name": "dense_9", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}},
        "units": 3, "activation": "linear", "use_bias": True,
        "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                               "config": {"seed": None}, "registered_name": None},
        "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None, "quantization_config": None,
    }
    layer = layers.Dense.from_config(keras_config)
    assert layer.units == 3 and layer.name == "dense_9"


# ------------------------------------------------------------ losses and constraints
def test_losses_weight_and_activity_regularization_hand_computed():
    d = layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.5), activity_regularizer=keras.regularizers.L1(0.1))
    d.build((None, 2))
    d.set_weights([np.array([[1.0, 2.0], [0.0, -1.0]], dtype="float32"), np.zeros(2, dtype="float32")])
    d(torch.tensor([[1.0, 1.0], [2.0, 0.0]]))  # outputs [[1, 1], [2, 4]] -> L1 sum 8, / batch 2
    values = sorted(float(l.detach()) for l in d.losses)
    assert values == pytest.approx([0.4, 3.0])  # 0.1 * 8 / 2, 0.5 * (1 + 4 + 0 + 1)


def test_activity_losses_are_those_of_the_last_call():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(2, activity_regularizer="l2")])
    model(torch.ones(3, 2))
    model(torch.ones(3, 2))
    assert len(model.losses) == 1


def test_constraints_attach_to_any_torch_optimizer():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4, kernel_constraint=keras.constraints.NonNeg())])
    optimizer = torch.optim.SGD(model.parameters(), lr=10.0)
    keras.constraints.attach(model, optimizer)
    loss = model(torch.randn(8, 3)).sum() * 100
    loss.backward()
    optimizer.step()
    assert (model.get_weights()[0] >= 0).all()


# ------------------------------------------------------------------- summary & files
def test_summary_counts(capsys):
    model = mlp()
    model.summary()
    text = capsys.readouterr().out
    assert "dense (Dense)" in text and "(None, 16)" in text
    assert "Total params: 195 (780.00 B)" in text
    assert "Trainable params: 195" in text and "Non-trainable params: 0" in text
    frozen = keras.Sequential([keras.Input((3,)), layers.Dense(2, trainable=False), layers.Dense(1)])
    lines = []
    frozen.summary(print_fn=lines.append)
    assert "Non-trainable params: 8 (32.00 B)" in lines[0]


def test_summary_of_a_branching_model_has_connected_to_column():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    shared = layers.Dense(2, name="shared")
    model = keras.Model([a, b], [shared(a), shared(b)])
    lines = []
    model.summary(print_fn=lines.append)
    assert "Connected to" in lines[0] and "a[0][0]" in lines[0]


def test_save_and_load_weights(tmp_path):
    model = mlp()
    path = tmp_path / "model.weights.pt"
    model.save_weights(path)
    other = mlp()
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    wrong = keras.Sequential([keras.Input((8,)), layers.Dense(4)])
    before = wrong.get_weights()
    with pytest.raises(ValueError, match="Cannot load"):
        wrong.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(before, wrong.get_weights()))


def test_torch_hooks_still_fire_on_layers():
    model = mlp()
    seen = []
    handle = model.get_layer("dense").register_forward_hook(lambda mod, args, out: seen.append(out.shape))
    pre = model.register_forward_pre_hook(lambda mod, args: seen.append("pre"))
    model(torch.randn(2, 8))
    assert seen == ["pre", (2, 16)]
    handle.remove()
    pre.remove()
    global_handle = torch.nn.modules.module.register_module_forward_hook(lambda m, a, o: seen.append(type(m).__name__))
    try:
        model(torch.randn(2, 8))
    finally:
        global_handle.remove()
    assert "Dense" in seen and "Functional" in seen


def test_forward_only_subclass_works_like_torch():
    class Scale(layers.Layer):
        def forward(self, x):
            return x * 3

    layer = Scale()
    assert layer(torch.ones(2)).tolist() == [3.0, 3.0]
    assert layer(keras.Input((4,))).shape == (None, 4)


def test_sequential_pop_rebuild_follows_the_remaining_layers():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    assert model.compute_output_shape((None, 4)) == (None, 2)
    model.pop()
    assert model.built and model.output_shapes() == [(None, 3)]
    assert tuple(model(torch.zeros(5, 4)).shape) == (5, 3)
    model.pop(rebuild=False)
    assert not model.built
    model.add(layers.Dense(6), rebuild=False)
    assert tuple(model(torch.zeros(1, 4)).shape) == (1, 6) and model.built
    with pytest.raises(TypeError, match="rebuild"):
        model.pop(rebuild="yes")
