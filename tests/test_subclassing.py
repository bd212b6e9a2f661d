"""Keras's subclassing rules: attributes before super().__init__(), layers in lists/dicts/tuples,
and every Keras layer name usable inside a model."""

import copy
import pickle

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


class EarlyBlock(layers.Layer):
    def __init__(self, units=4, **kwargs):
        self.units = units  # plain value before super().__init__()
        self.dense = layers.Dense(units)  # a sub-layer before super().__init__()
        self.extra = [layers.Dense(units), layers.Dense(units)]
        self.scale = torch.nn.Parameter(torch.ones(units))
        super().__init__(**kwargs)

    def call(self, inputs):
        x = self.dense(inputs)
        for layer in self.extra:
            x = layer(x)
        return x * self.scale


def test_attributes_before_super_init():
    block = EarlyBlock(3, name="early")
    assert block.name == "early" and block.units == 3
    out = block(torch.ones(2, 5))
    assert out.shape == (2, 3)
    assert [w.shape for w in block.get_weights()] == [(3,), (5, 3), (3,), (3, 3), (3,), (3, 3), (3,)]
    assert "extra:1.linear.weight" in block.state_dict() and "scale" in block.state_dict()


class EarlyModel(keras.Model):
    def __init__(self):
        self.body = [layers.Dense(8, activation="relu"), layers.Dense(2)]
        super().__init__(name="early_model")

    def call(self, inputs):
        for layer in self.body:
            inputs = layer(inputs)
        return inputs


def test_model_subclass_with_attributes_before_super_init():
    model = EarlyModel()
    assert model(np.ones((3, 4))).shape == (3, 2)
    assert model.name == "early_model" and len(model.trainable_weights) == 4
    assert [type(l).__name__ for l in model.layers] == ["Dense", "Dense"]


class Containers(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stack = []  # filled after assignment, as keras.io examples do
        for units in (4, 3):
            self.stack.append(layers.Dense(units))
        self.heads = {"a": layers.Dense(1), "b": layers.Dense(2)}
        self.pair = (layers.Dense(2), None)
        self.nested = [[layers.Dense(2)], {"x": layers.Dense(2)}]
        self.sizes = [1, 2, 3]  # not layers: a plain list still

    def call(self, inputs):
        x = self.stack[1](self.stack[0](inputs))
        return self.heads["a"](x) + self.heads["b"](x).sum(-1, keepdim=True) + self.pair[0](x).sum(-1, keepdim=True)


def test_layers_in_lists_dicts_and_tuples_are_tracked():
    layer = Containers()
    layer(torch.ones(2, 5))
    layer.nested[0][0].build((None, 3))
    layer.nested[1]["x"].build((None, 3))
    keys = list(layer.state_dict())
    assert keys[:4] == ["stack:0.linear.weight", "stack:0.linear.bias", "stack:1.linear.weight", "stack:1.linear.bias"]
    assert "heads:b.linear.weight" in keys and "pair:0.linear.weight" in keys
    assert "nested:0:0.linear.weight" in keys and "nested:1:x.linear.weight" in keys
    assert len(layer.weights) == 14 and layer.count_params() == sum(w.size for w in layer.get_weights())
    assert isinstance(layer.stack, list) and layer.sizes == [1, 2, 3] and layer.pair[1] is None
    layer.trainable = False
    assert layer.trainable_weights == [] and not layer.heads["a"].linear.weight.requires_grad
    layer.trainable = True
    layer.stack.pop()
    assert "stack:1.linear.weight" not in layer.state_dict()
    del layer.heads["b"]
    assert not any(k.startswith("heads:b.") for k in layer.state_dict())
    layer.heads = None
    assert not any(k.startswith("heads:") for k in layer.state_dict())


def test_tracked_layers_follow_to_and_copies():
    layer = Containers()
    layer(torch.ones(2, 5))
    layer.double()
    assert layer.stack[0].linear.weight.dtype == torch.float64
    clone = copy.deepcopy(layer)
    assert clone.stack[0] is not layer.stack[0]
    clone.stack.append(layers.Dense(1))
    assert "stack:2" in dict(clone.named_modules()) and "stack:2" not in dict(layer.named_modules())
    restored = pickle.loads(pickle.dumps(layer))
    assert list(restored.state_dict()) == list(layer.state_dict())


def test_summary_counts_layers_held_in_a_list(capsys):
    model = EarlyModel()
    model(np.ones((1, 4)))
    model.summary()
    assert "Total params: 58" in capsys.readouterr().out  # 4*8+8 + 8*2+2


@pytest.mark.parametrize("name", ["inputs", "outputs", "training", "forward", "train", "weights",
                                  "layers", "name", "built", "_private", "a.b", "call", "state_dict"])
def test_any_keras_layer_name_works_in_functional_and_sequential_models(name):
    inp = keras.Input((3,), name="inputs" if name != "inputs" else "x")
    out = layers.Dense(2, name=name)(layers.Dense(4, name="outputs" if name != "outputs" else "y")(inp))
    model = keras.Model(inp, out)
    assert model.get_layer(name).name == name
    model.eval()  # sets `training` on every module: must not clash with a layer named "training"
    x = torch.ones(1, 3)
    assert model(x).shape == (1, 2) and callable(model.forward) and model.training is False
    sd = model.state_dict()
    assert len(sd) == 4
    seq = keras.Sequential([keras.Input((3,)), layers.Dense(2, name=name)])
    assert seq(x).shape == (1, 2) and seq.layers[0].name == name
    seq.pop()
    assert seq.layers == [] and len(seq.state_dict()) == 0


def test_ordinary_names_keep_readable_state_dict_keys_and_colliding_ones_are_prefixed():
    inp = keras.Input((3,), name="inputs")
    model = keras.Model(inp, layers.Dense(2, name="training")(layers.Dense(4, name="hidden")(inp)))
    assert list(model.state_dict()) == ["hidden.linear.weight", "hidden.linear.bias",
                                        "layers/training.linear.weight", "layers/training.linear.bias"]


def test_slash_in_a_layer_name_is_rejected_as_in_keras():
    with pytest.raises(ValueError, match="/"):
        layers.Dense(2, name="a/b")


def test_duplicate_names_are_still_rejected_even_when_prefixed():
    inp = keras.Input((2,))
    x = layers.Dense(2, name="forward")(inp)
    with pytest.raises(ValueError, match="unique"):
        keras.Model(inp, layers.Dense(2, name="forward")(x))


def test_list_held_layers_work_with_compile_export_and_functional_call():
    model = EarlyModel().eval()
    x = torch.ones(2, 4)
    model(x)
    explanation = torch._dynamo.explain(model)(x)
    assert explanation.graph_break_count == 0 and explanation.graph_count == 1
    exported = torch.export.export(model, (x,))
    torch.testing.assert_close(exported.module()(x), model(x))
    params = {k: torch.zeros_like(v) for k, v in model.named_parameters()}
    assert torch.equal(torch.func.functional_call(model, params, (x,)), torch.zeros(2, 2))
    assert model.get_submodule("body:1") is model.body[1]


def test_named_layers_work_with_export():
    inp = keras.Input((3,), name="inputs")
    model = keras.Model(inp, layers.Dense(2, name="training")(layers.Dense(4, name="forward")(inp))).eval()
    x = torch.ones(2, 3)
    torch.testing.assert_close(torch.export.export(model, (x,)).module()(x), model(x))
