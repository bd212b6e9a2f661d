"""One input converter (engine/convert.py): inputs take the dtype/device of the layer's parameters."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers
from kerascompat.engine.convert import reference_tensor, to_tensor


def _model():
    inp = keras.Input((3,))
    return keras.Model(inp, layers.Dense(2)(layers.Dense(4, activation="relu")(inp)))


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.bfloat16])
def test_numpy_python_and_tensor_inputs_follow_the_parameters_dtype(dtype):
    model = _model().to(dtype)
    for x in (np.ones((2, 3)), np.ones((2, 3), dtype="float32"), torch.ones(2, 3)):
        out = model(x)
        assert out.dtype == dtype
    assert model.dtype == model.compute_dtype == model.variable_dtype == str(dtype).split(".")[1]
    assert model.layers[1].dtype == str(dtype).split(".")[1]
    model.float()
    assert model.dtype == "float32" and model(np.ones((1, 3))).dtype == torch.float32


def test_sequential_and_single_layers_after_double():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)]).double()
    assert model(np.ones((2, 3))).dtype == torch.float64
    dense = layers.Dense(2)
    dense.build((None, 3))
    dense.double()
    assert dense(np.ones((1, 3), dtype="float32")).dtype == torch.float64
    assert dense(5.0 * np.ones((1, 3))).dtype == torch.float64


def test_inputs_move_to_the_parameters_device():
    model = _model().to("meta")  # a device other than the input's, available without a GPU
    out = model(np.ones((2, 3)))
    assert out.device.type == "meta" and out.shape == (2, 2)
    assert model(torch.ones(2, 3)).device.type == "meta"


def test_integer_inputs_keep_their_dtype():
    ids = to_tensor(np.array([[1, 2]]), like=torch.zeros(1, dtype=torch.float64))
    assert ids.dtype == torch.int64
    flags = to_tensor(np.array([True, False]), like=torch.zeros(1))
    assert flags.dtype == torch.bool


def test_without_parameters_floats_become_the_configured_dtype():
    assert to_tensor(np.ones(2)).dtype == torch.float32
    assert to_tensor(np.ones(2), dtype=torch.float64).dtype == torch.float64
    assert to_tensor(torch.ones(2, dtype=torch.float64)).dtype == torch.float64  # tensors unchanged
    assert layers.Activation("relu", dtype="float64")(np.ones(2)).dtype == torch.float64


def test_autocast_false_keeps_floating_dtypes():
    x = to_tensor(np.ones(2, dtype="float64"), like=torch.zeros(1), cast_floats=False)
    assert x.dtype == torch.float64


def test_reference_tensor_is_the_first_floating_parameter():
    model = _model()
    assert reference_tensor(model) is model.layers[1].linear.weight
    assert reference_tensor(torch.nn.ReLU()) is None


def test_unconvertible_inputs_raise_type_error_naming_the_layer():
    with pytest.raises(TypeError, match="dense"):
        layers.Dense(2, name="dense_x")("not an array")
    with pytest.raises(TypeError, match="Inputs must be"):
        to_tensor(object())
