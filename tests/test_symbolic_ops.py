"""keras.ops, keras.activations and Python operators on symbolic tensors (TensorFlow-free):
op nodes, shapes and dtypes, naming, eager execution, summary, configs, and the op table."""

import inspect
import json

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import ops
from kerascompat.ops._op_table import OPS


def test_operators_record_op_nodes_with_keras_names_and_shapes():
    keras.backend.clear_session()
    x = keras.Input((4,), name="x")
    y = keras.layers.Dense(4)(x)
    z = x + y
    assert isinstance(z, keras.KerasTensor) and z.shape == (None, 4) and z.dtype == "float32"
    op = z._keras_history[0]
    assert (op.name, op.class_name, op.keras_module) == ("add", "Add", "keras.src.ops.numpy")
    assert (x - y)._keras_history[0].name == "subtract"
    assert (2.0 * x)._keras_history[0].class_name == "Multiply"
    assert (x / 2)._keras_history[0].class_name == "TrueDivide"
    assert (x > 0).dtype == "bool" and (~(x > 0)).dtype == "bool"
    assert x[:, 1:3].shape == (None, 2) and x[:, None, 0].shape == (None, 1)
    assert ops.reshape(x, (-1, 2, 2)).shape == (None, 2, 2)
    assert ops.matmul(x, keras.KerasTensor((4, 7))).shape == (None, 7)
    assert (x @ keras.KerasTensor((4, 3))).shape == (None, 3)
    assert ops.cast(x, "int32").dtype == "int32"
    # numpy arrays and torch tensors on the left defer to the KerasTensor
    assert (np.ones(4, "float32") + x)._keras_history[0].class_name == "Add"
    assert (torch.ones(4) * x)._keras_history[0].class_name == "Multiply"


def test_unknown_sizes_stay_unknown():
    x = keras.KerasTensor((None, 4))
    assert ops.diagonal(x).shape == (None,)           # min(n, 4): unknown
    assert ops.unique(keras.KerasTensor((5,))).shape == (None,)  # data-dependent
    assert ops.concatenate([x, x], axis=0).shape == (None, 4)
    assert ops.shape(x) == (None, 4) and ops.ndim(x) == 2
    with pytest.raises(ValueError, match="number of outputs depends on an unknown size"):
        ops.unstack(x)


def test_a_functional_model_runs_its_op_nodes_eagerly():
    x = keras.Input((4,))
    dense = keras.layers.Dense(4)
    h = dense(x)
    out = ops.concatenate([keras.activations.gelu(h + x), ops.mean(h, axis=-1, keepdims=True) ** 2], axis=-1)
    model = keras.Model(x, out)
    assert [l.name for l in model.layers] == [model.layers[0].name, dense.name]   # ops are not layers
    data = torch.randn(3, 4)
    hh = data @ dense.kernel + dense.bias
    expected = torch.cat([torch.nn.functional.gelu(hh + data), hh.mean(-1, keepdim=True) ** 2], -1)
    torch.testing.assert_close(model(data), expected)
    loss = model(data).sum()
    loss.backward()
    assert dense.linear.weight.grad is not None


def test_summary_lists_ops_and_config_round_trips():
    keras.backend.clear_session()
    x = keras.Input((4,), name="x")
    h = keras.layers.Dense(4, name="d")(x)
    model = keras.Model(x, ops.reshape(h * 2.0 + x, (-1, 2, 2))[:, 0])
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    for row in ("multiply (Multiply)", "add (Add)", "reshape (Reshape)", "get_item (GetItem)"):
        assert row in text
    config = json.loads(json.dumps(model.get_config()))
    kinds = [(layer["class_name"], layer.get("module")) for layer in config["layers"]]
    assert ("Reshape", "keras.src.ops.numpy") in kinds
    reshape = next(layer for layer in config["layers"] if layer["class_name"] == "Reshape")
    assert reshape["config"] == {"name": "reshape", "newshape": [-1, 2, 2]}
    rebuilt = keras.Model.from_config(config)
    rebuilt.set_weights(model.get_weights())
    data = torch.randn(2, 4)
    torch.testing.assert_close(rebuilt(data), model(data))


def test_torch_functions_and_values_of_keras_tensors_are_refused():
    x = keras.Input((2,))
    with pytest.raises(TypeError, match="cannot be applied to a symbolic KerasTensor"):
        torch.sin(x)
    with pytest.raises(TypeError, match="no value"):
        np.asarray(x)
    with pytest.raises(TypeError, match="boolean"):
        bool(x)


def test_every_recorded_op_takes_keras_argument_names():
    """Configs written by tf.keras name the op's constructor arguments; ours must accept them by
    name, and our call arguments must be Keras's, or a config cannot cross frameworks."""
    from kerascompat.ops.symbolic import _IMPLEMENTATIONS

    problems = []
    for key, (_, class_name, init, call) in OPS.items():
        fn = _IMPLEMENTATIONS.get(key)
        if fn is None:
            continue
        params = inspect.signature(fn).parameters
        accepts_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
        for name, _ in init:
            if name not in params and not accepts_any:
                problems.append(f"{key}: constructor argument {name!r} of {class_name}")
        positional = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
        for i, name in enumerate(call):
            # a call argument is matched by name, or (Keras reuses ExtractPatches, whose argument
            # is `images`, for extract_patches_3d's `volumes`) by position
            if name.lstrip("*") not in params and not (i < len(positional) and positional[i] not in dict(init)):
                problems.append(f"{key}: call argument {name!r} of {class_name}")
    assert len(_IMPLEMENTATIONS) > 300
    assert problems == []


def test_sizes_from_ops_shape_work_in_later_ops():
    # `ops.shape(x)` of a symbolic tensor has None for unknown sizes; a reshape given such a size
    # takes the input's size on that axis when the model runs.
    x = keras.Input((None, 8))
    batch, steps, _ = ops.shape(x)
    assert (batch, steps) == (None, None)
    heads = ops.reshape(x, (batch, steps, 2, 4))
    flat = ops.reshape(x, (ops.shape(x)[0], -1, 4))
    assert heads.shape == (None, None, 2, 4) and flat.shape == (None, None, 4)
    model = keras.Model(x, [heads, flat])
    data = torch.randn(3, 5, 8)
    out_heads, out_flat = model(data)
    torch.testing.assert_close(out_heads, data.reshape(3, 5, 2, 4))
    torch.testing.assert_close(out_flat, data.reshape(3, 10, 4))
    with pytest.raises(ValueError, match="only 2 axes"):
        ops.reshape(torch.zeros(2, 4), (2, 2, None))
