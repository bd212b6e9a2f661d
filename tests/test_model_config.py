"""Functional and Sequential models round-trip through get_config / from_config (TensorFlow-free:
the whole-model builders of the parity table are plain Keras code)."""

import os
import sys

import pytest
import torch

import kerascompat
from kerascompat import layers

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity"))
import cases  # noqa: E402

MODEL_CASES = [c for c in cases.CASES if c.build is not None and c.config_needs is None]


def _flat(out):
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, dict):
        return [out[k] for k in sorted(out)]
    return list(out)


@pytest.mark.parametrize("case", MODEL_CASES, ids=lambda c: c.id)
def test_model_config_round_trip(case):
    model = case.build(kerascompat)
    clone = type(model).from_config(model.get_config())
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    clone.set_weights(model.get_weights())
    shapes = case.input_shapes if isinstance(case.input_shapes, list) else [case.input_shapes]
    if case.input_dtype.startswith("int"):  # token ids, as the parity harness draws them
        xs = [torch.randint(0, 5, s, dtype=getattr(torch, case.input_dtype)) for s in shapes]
    else:
        xs = [torch.randn(s) for s in shapes]
    feed = xs if len(xs) > 1 else xs[0]
    model.eval()
    clone.eval()
    for a, b in zip(_flat(model(feed)), _flat(clone(feed))):
        torch.testing.assert_close(a, b)
    assert clone.get_config() == model.get_config()


def test_model_with_lambda_serializes_as_bytecode_and_needs_safe_mode_false():
    x = kerascompat.Input((3,))
    model = kerascompat.Model(x, layers.Lambda(lambda t: t * 2 + 1, output_shape=(3,))(x))
    config = model.get_config()
    function = config["layers"][1]["config"]["function"]
    assert function["class_name"] == "__lambda__" and set(function["config"]) == {"code", "defaults", "closure"}
    with pytest.raises(ValueError, match="safe_mode=False"):
        kerascompat.Model.from_config(config)
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(config["layers"][1]["config"])
    serialized = kerascompat.saving.serialize_keras_object(model)
    clone = kerascompat.saving.deserialize_keras_object(serialized, safe_mode=False)
    data = torch.randn(2, 3)
    torch.testing.assert_close(clone(data), data * 2 + 1)
    # the unsafe mode applied to that call only
    with pytest.raises(ValueError, match="safe_mode=False"):
        kerascompat.saving.deserialize_keras_object(serialized)


def _scale_by(t, factor):
    return t * factor


def test_lambda_with_named_function_and_closure_round_trip():
    layer = layers.Lambda(_scale_by, arguments={"factor": 3.0})
    config = layer.get_config()
    assert config["function"]["class_name"] == "function" and config["function"]["config"] == "_scale_by"
    with pytest.raises(TypeError, match="_scale_by"):
        layers.Lambda.from_config(config)
    clone = layers.Lambda.from_config(config, custom_objects={"_scale_by": _scale_by})
    torch.testing.assert_close(clone(torch.ones(1, 2)), torch.full((1, 2), 3.0))
    offset = 5.0
    closing = layers.Lambda(lambda t: t + offset)
    clone = layers.Lambda.from_config(closing.get_config(), safe_mode=False)
    torch.testing.assert_close(clone(torch.zeros(1, 2)), torch.full((1, 2), 5.0))


# ------------------------------------------------------------- Keras's config format
class _TimesTwoCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, inputs, states):
        out = inputs @ self.kernel + 2 * states[0]
        return out, [out]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_functional_config_has_keras_structure():
    x = kerascompat.Input((3,), name="x")
    h = layers.Dense(2, name="d")(x)
    model = kerascompat.Model(x, [h, layers.Add(name="add")([h, h])], name="m")
    config = model.get_config()
    assert set(config) == {"name", "trainable", "layers", "input_layers", "output_layers"}
    assert config["input_layers"] == ["x", 0, 0]
    assert config["output_layers"] == [["d", 0, 0], ["add", 0, 0]]
    dense = config["layers"][[l["name"] for l in config["layers"]].index("d")]
    assert dense["module"] == "keras.layers" and dense["class_name"] == "Dense" and dense["registered_name"] is None
    assert dense["build_config"] == {"input_shape": (None, 3)}
    assert dense["inbound_nodes"] == [{"args": [{"class_name": "__keras_tensor__", "config": {
        "shape": (None, 3), "dtype": "float32", "keras_history": ["x", 0, 0]}}], "kwargs": {}}]
    add = config["layers"][[l["name"] for l in config["layers"]].index("add")]
    assert [t["config"]["keras_history"] for t in add["inbound_nodes"][0]["args"][0]] == [["d", 0, 0], ["d", 0, 0]]


def test_model_from_config_dispatches_and_threads_custom_objects_to_rnn_cells():
    x = kerascompat.Input((4, 3))
    model = kerascompat.Model(x, layers.RNN(_TimesTwoCell(2))(x))
    config = model.get_config()
    with pytest.raises(TypeError, match="_TimesTwoCell"):
        kerascompat.Model.from_config(config)
    clone = kerascompat.Model.from_config(config, custom_objects={"_TimesTwoCell": _TimesTwoCell})
    assert type(clone).__name__ == "Functional"
    clone.set_weights(model.get_weights())
    data = torch.randn(2, 4, 3)
    torch.testing.assert_close(clone(data), model(data))
    seq = kerascompat.Sequential([kerascompat.Input((3,)), layers.Dense(2)])
    assert isinstance(kerascompat.Model.from_config(seq.get_config()), kerascompat.Sequential)


def test_json_round_trip_and_model_from_json():
    x = kerascompat.Input((5,), name="inp")
    model = kerascompat.Model(x, layers.Dense(3, activation="relu")(x))
    text = model.to_json()
    clone = kerascompat.models.model_from_json(text)
    assert clone.get_config() == kerascompat.models.model_from_json(clone.to_json()).get_config()
    clone.set_weights(model.get_weights())
    data = torch.randn(2, 5)
    torch.testing.assert_close(clone(data), model(data))


def test_keras_2_functional_config_with_legacy_nodes_and_module_paths():
    config = {
        "module": "keras.src.engine.functional", "class_name": "Functional", "registered_name": "Functional",
        "config": {
            "name": "old", "trainable": True,
            "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "name": "in",
                 "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "in"}, "inbound_nodes": []},
                {"module": "keras.src.layers.core.dense", "class_name": "Dense", "name": "d",
                 "config": {"name": "d", "units": 2, "dtype": "float32"}, "inbound_nodes": [[["in", 0, 0, {}]]]},
                {"module": "keras.layers", "class_name": "Add", "name": "add",
                 "config": {"name": "add"}, "inbound_nodes": [[["d", 0, 0, {}], ["d", 0, 0, {}]]]},
            ],
            "input_layers": [["in", 0, 0]], "output_layers": [["add", 0, 0]],
        },
    }
    model = kerascompat.saving.deserialize_keras_object(config)
    assert model.name == "old" and [l.name for l in model.layers] == ["in", "d", "add"]
    data = torch.randn(2, 4)
    torch.testing.assert_close(model([data])[0], 2 * model.get_layer("d")(data))  # output_layers is a list


def test_invalid_graph_configs_raise_value_errors():
    x = kerascompat.Input((3,), name="x")
    config = kerascompat.Model(x, layers.Dense(2, name="d")(x)).get_config()
    config["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["d", 0, 0]  # a loop
    with pytest.raises(ValueError, match="loops"):
        kerascompat.Model.from_config(config)
    with pytest.raises(ValueError, match="'input_layers'"):
        kerascompat.models.Functional.from_config({"layers": [], "output_layers": []})


def test_sequential_config_writes_an_input_layer_and_build_input_shape():
    model = kerascompat.Sequential([layers.Dense(2, input_shape=(3,)), layers.Dense(1)], name="s")
    config = model.get_config()
    assert config["layers"][0]["class_name"] == "InputLayer"
    assert config["layers"][0]["config"]["batch_shape"] == (None, 3)
    assert config["build_input_shape"] == (None, 3)
    assert all("batch_input_shape" not in l["config"] for l in config["layers"][1:])
    clone = kerascompat.Sequential.from_config(config)
    assert clone.built and [l.name for l in clone.layers] == [l.name for l in model.layers]


def test_clone_model_gives_new_layers_with_the_same_graph():
    x = kerascompat.Input((4,), name="x")
    h = layers.Dense(3, name="d")(x)
    model = kerascompat.Model(x, layers.Add(name="add")([h, h]))
    clone = kerascompat.models.clone_model(model)
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert clone.get_layer("d") is not model.get_layer("d")
    clone.set_weights(model.get_weights())
    data = torch.randn(2, 4)
    torch.testing.assert_close(clone(data), model(data))
    new_input = kerascompat.Input((4,), name="fresh")
    renamed = kerascompat.models.clone_model(
        model, input_tensors=new_input, clone_function=lambda l: type(l).from_config({**l.get_config(), "name": l.name + "_c"}))
    assert renamed.inputs[0] is new_input and renamed.get_layer("d_c") is not None
    seq = kerascompat.Sequential([kerascompat.Input((4,)), layers.Dense(2)])
    seq_clone = kerascompat.models.clone_model(seq)
    assert seq_clone.built and seq_clone.layers[0] is not seq.layers[0]
    with pytest.raises(NotImplementedError, match="recursive"):
        kerascompat.models.clone_model(model, recursive=True)


class _Doubler(layers.Layer):
    def call(self, x):
        return 2 * x


def test_custom_objects_reach_a_nested_functional_model_and_node_indices_count_from_one():
    inner_in = kerascompat.Input((3,), name="inner_in")
    inner = kerascompat.Model(inner_in, _Doubler(name="dbl")(layers.Dense(3, name="d")(inner_in)), name="inner")
    x = kerascompat.Input((3,), name="x")
    first = inner(x)
    second = inner(first)
    model = kerascompat.Model(x, [second, first], name="outer")
    config = model.get_config()
    # As tf.keras writes it: a nested functional model's calls count from 1 in output_layers,
    # from 0 in keras_history.
    assert config["output_layers"] == [["inner", 2, 0], ["inner", 1, 0]]
    inner_config = config["layers"][[l["name"] for l in config["layers"]].index("inner")]
    assert inner_config["class_name"] == "Functional"
    assert inner_config["inbound_nodes"][1]["args"][0]["config"]["keras_history"] == ["inner", 0, 0]
    with pytest.raises(TypeError, match="_Doubler"):
        kerascompat.Model.from_config(config)
    clone = kerascompat.Model.from_config(config, custom_objects={"_Doubler": _Doubler})
    clone.set_weights(model.get_weights())
    data = torch.randn(2, 3)
    for a, b in zip(clone(data), model(data)):
        torch.testing.assert_close(a, b)
