"""`kerascompat.parity.compare` against real tf.keras: a matching model passes, and a real
difference introduced into one layer (a wrong weight, a wrong computation) is named as the
first mismatch, with the layers before it passing."""

import json
import sys

import numpy as np
import pytest
import torch

import kerascompat
from cases import CASES
from harness import TF_KERAS, _inputs
from kerascompat import parity
from kerascompat.parity import cli


def _two_inputs(keras):
    a = keras.Input((6,), name="a")
    b = keras.Input((3, 4), name="b")
    x = keras.layers.Dense(5, activation="tanh", name="dense_a")(a)
    y = keras.layers.Conv1D(5, 2, padding="same", name="conv_b")(b)
    y = keras.layers.GlobalMaxPooling1D(name="pool_b")(y)
    z = keras.layers.Concatenate(name="concat")([x, y])
    z = keras.layers.BatchNormalization(name="bn")(z)
    z = keras.layers.Dropout(0.5, name="drop")(z)
    return keras.Model([a, b], keras.layers.Dense(3, name="head")(z))


def _chain(keras):
    return keras.Sequential([
        keras.Input((5,)),
        keras.layers.Dense(8, activation="relu", name="first"),
        keras.layers.Dense(8, activation="relu", name="second"),
        keras.layers.Dense(4, name="third"),
        keras.layers.Softmax(name="probs"),
    ])


def _scale_class(keras):
    class Scale(keras.layers.Layer):  # a custom layer: a weight of its own and a sub-layer
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.proj = keras.layers.Dense(units, name="proj")

        def build(self, input_shape):
            self.gain = self.add_weight(shape=(self.units,), initializer="ones", name="gain")

        def call(self, inputs):
            return self.proj(inputs) * self.gain

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return Scale


def _with_custom_layer(keras):
    inp = keras.Input((6,))
    x = _scale_class(keras)(4, name="scale")(inp)
    return keras.Model(inp, keras.layers.Dense(2, name="out")(x))


def test_a_matching_multi_input_model_passes_row_by_row():
    report = parity.compare(_two_inputs, training_step=True)
    assert report.passed and report.ok and bool(report)
    assert report.first_mismatch is None and report.first_gradient_mismatch is None
    names = [row.name for row in report.layers]
    assert sorted(names) == sorted(["dense_a", "conv_b", "pool_b", "concat", "bn", "drop", "head"])
    assert all(row.compared and row.passed and row.grad_passed for row in report.layers)
    by_name = {row.name: row for row in report.layers}
    assert by_name["conv_b"].output_shape == (2, 3, 5) and by_name["concat"].output_shape == (2, 10)
    assert [c.name for c in report.input_gradients] == ["a", "b"]
    assert len(report.weight_gradients) == 8  # dense_a, conv_b, bn gamma/beta, head: kernel + bias each
    assert len(report.weights_after_step) == 10  # and bn's moving mean and variance
    assert "PASSED" in str(report) and "MISMATCH" not in str(report)
    json.dumps(report.to_dict(), allow_nan=False)


def _with_wrong_bias_entry(build, layer_name):
    """`build`, where kerascompat's copy of `layer_name` adds 0.01 to its first bias entry when it
    is called, after `compare` has given both models the same weights."""
    def fn(keras):
        model = build(keras)
        if keras is kerascompat:
            def corrupt(layer, args):
                delta = torch.zeros(tuple(layer.bias.shape))
                delta[0] = 0.01
                layer.bias.assign(layer.bias.detach() + delta)
            model.get_layer(layer_name).register_forward_pre_hook(corrupt)
        return model
    return fn


def test_a_wrong_weight_in_one_layer_is_named_as_the_first_mismatch():
    report = parity.compare(_with_wrong_bias_entry(_chain, "third"))
    assert not report and not report.passed
    assert report.first_mismatch == "third"
    rows = {row.name: row for row in report.layers}
    assert rows["first"].passed and rows["second"].passed and not rows["third"].passed
    assert rows["third"].max_abs_error == pytest.approx(0.01, rel=1e-3)  # no activation: the bias error itself
    assert not rows["probs"].passed and not report.outputs[0].passed
    text = str(report)
    assert "First layer whose output differs: third (Dense)" in text
    marked = [line for line in text.splitlines() if line.startswith(">>")]
    assert len(marked) == 1 and " third " in marked[0] and "MISMATCH" in marked[0]


def test_a_perturbed_call_is_named_and_the_layers_before_it_pass():
    def fn(keras):
        model = _two_inputs(keras)
        if keras is kerascompat:
            layer = model.get_layer("pool_b")
            original = layer.forward
            layer.forward = lambda *args, **kwargs: original(*args, **kwargs) + 1e-3
        return model

    report = parity.compare(fn)
    assert report.first_mismatch == "pool_b"
    names = [row.name for row in report.layers]
    before = names[:names.index("pool_b")]
    assert "conv_b" in before
    assert all(row.passed for row in report.layers if row.name in before)
    row = report.layers[names.index("pool_b")]
    assert row.max_abs_error == pytest.approx(1e-3, rel=1e-3)


def test_a_kerascompat_model_is_rebuilt_in_tf_keras_and_left_unchanged():
    model = _chain(kerascompat)
    before = model.get_weights()
    report = parity.compare(model, training_step=True)
    assert report.passed, str(report)
    assert [row.name for row in report.layers] == ["first", "second", "third", "probs"]
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_a_custom_layer_through_custom_objects_and_through_a_build_function():
    report = parity.compare(_with_custom_layer, training_step=True)
    assert report.passed, str(report)
    assert [row.name for row in report.layers] == ["scale/proj", "scale", "out"]
    ours = _with_custom_layer(kerascompat)
    report = parity.compare(ours, custom_objects=lambda keras: {"Scale": _scale_class(keras)})
    assert report.passed, str(report)
    with pytest.raises(ValueError, match="custom_objects"):
        parity.compare(ours)


def test_a_tf_keras_reference_model_and_user_inputs():
    theirs = _two_inputs(TF_KERAS)
    ours = _two_inputs(kerascompat)
    mine = ours.get_weights()
    rng = np.random.default_rng(5)
    inputs = {"a": rng.standard_normal((3, 6)).astype("float32"), "b": rng.standard_normal((3, 3, 4)).astype("float32")}
    report = parity.compare(ours, inputs, reference=theirs)
    assert report.passed, str(report)
    assert report.outputs[0].shape == (3, 3)
    for a, b in zip(ours.get_weights(), mine):  # the reference's weights were used for the check only
        np.testing.assert_array_equal(a, b)
    assert not any("call" in layer.__dict__ for layer in theirs._flatten_layers())  # TF's layers unwrapped
    assert not any(layer._forward_hooks for layer in ours.modules())  # our hooks removed
    with pytest.raises(TypeError, match="reference="):
        parity.compare(theirs)


def test_token_inputs_are_drawn_below_the_embedding_vocabulary():
    def fn(keras):
        tokens = keras.Input((7,), dtype="int32")
        x = keras.layers.Embedding(5, 4, mask_zero=True, name="emb")(tokens)
        x = keras.layers.GRU(3, name="gru")(x)
        return keras.Model(tokens, keras.layers.Dense(2, name="out")(x))

    report = parity.compare(fn)
    assert report.passed, str(report)
    assert report.input_gradients == []  # integer inputs have no gradient
    assert {"emb", "gru", "out"} <= {row.name for row in report.layers if row.compared}


def test_a_gradient_only_difference_is_found_going_back_from_the_outputs():
    class WrongBackward(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, grad):
            return grad * 1.01

    def fn(keras):
        model = _chain(keras)
        if keras is kerascompat:
            layer = model.get_layer("second")
            original = layer.forward
            layer.forward = lambda x, **kwargs: WrongBackward.apply(original(x, **kwargs))
        return model

    report = parity.compare(fn)
    assert report.first_mismatch is None and not report.passed
    assert report.first_gradient_mismatch == "first"  # the gradient reaching "first" comes through "second"
    rows = {row.name: row for row in report.layers}
    assert rows["second"].grad_passed and rows["third"].grad_passed and not rows["first"].grad_passed
    assert any(not c.passed for c in report.input_gradients)


def test_a_subclassed_model_with_a_sub_model_its_call_leaves_unused():
    def fn(keras):
        class Distiller(keras.Model):  # keras.io's knowledge distillation: the teacher is not in `call`
            def __init__(self):
                super().__init__()
                self.teacher = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="t_dense")])
                self.student = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="s_dense")])

            def call(self, x):
                return self.student(x)

        return Distiller()

    x = np.random.default_rng(2).standard_normal((3, 4)).astype("float32")
    with pytest.raises(ValueError, match="`inputs` are needed"):
        parity.compare(fn)
    report = parity.compare(fn, x)
    assert report.passed, str(report)
    compared = [row for row in report.layers if row.compared]
    assert [row.class_name for row in compared] == ["Dense", "Sequential"] and compared[0].name.endswith("/s_dense")
    teacher = [c for c in report.weight_gradients if c.name.startswith("t_dense")]
    assert len(teacher) == 2 and all(c.max_abs_error == 0.0 for c in teacher)  # zero on both sides


def _write_module(tmp_path, monkeypatch, text):
    (tmp_path / "pc_user_model.py").write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("pc_user_model", None)


def test_cli_prints_the_table_and_exits_0_or_1(tmp_path, monkeypatch, capsys):
    _write_module(tmp_path, monkeypatch, (
        "def good(keras):\n"
        "    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name='only')])\n"
        "def bad(keras):\n"
        "    model = good(keras)\n"
        "    if keras.__name__ == 'kerascompat':\n"
        "        layer = model.layers[0]\n"
        "        original = layer.forward\n"
        "        layer.forward = lambda x, **k: original(x) * 1.01\n"
        "    return model\n"))
    np.savez(tmp_path / "x.npz", np.ones((4, 3), "float32"))
    assert cli.main(["pc_user_model:good", "--inputs", str(tmp_path / "x.npz")]) == 0
    out = capsys.readouterr().out
    assert "PASSED" in out and "only" in out and "(4, 2)" in out
    assert cli.main(["pc_user_model:bad", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is False and data["first_mismatch"] == "only"


@pytest.mark.xfail(not hasattr(kerascompat.models, "load_model"), raises=NotImplementedError, strict=True,
                   reason="kerascompat.models.load_model does not exist yet: compare() says so for model files")
def test_a_keras_file_written_by_tf_keras(tmp_path):
    path = tmp_path / "model.keras"
    _two_inputs(TF_KERAS).save(path)
    report = parity.compare(str(path))
    assert report.passed, str(report)
    assert cli.main([str(path)]) == 0


MODEL_CASES = [c for c in CASES if c.build is not None]


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [])
    for c in MODEL_CASES])
def test_every_whole_model_parity_case_passes_through_compare(case):
    arrays, multi = _inputs(case, np.random.default_rng(0))
    if case.padded_lengths is not None:
        for b, length in enumerate(case.padded_lengths):
            arrays[0][b, length:] = 0.0
    report = parity.compare(case.build, arrays if multi else arrays[0], rtol=case.rtol, atol=case.atol,
                            training_step=case.sgd)
    assert report.passed, str(report)
    assert any(row.compared for row in report.layers)
