"""Weights behave as Keras Variables (engine/variables.py)."""

import copy

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


class _Scale(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps", dtype="int64")

    def call(self, inputs):
        self.steps.assign_add(1)
        return inputs * self.w


def test_add_weight_returns_a_parameter_with_the_variable_api():
    layer = _Scale(name="scale")
    layer(torch.ones(2, 3))
    w = layer.w
    assert isinstance(w, torch.nn.Parameter) and w is layer._parameters["w"]
    assert w.name == "w" and w.path == "scale/w" and w.trainable
    assert w.shape == (3,) and tuple(w.shape) == (3,)
    w.assign(np.array([1.0, 2.0, 3.0]))
    assert w.numpy().tolist() == [1.0, 2.0, 3.0]
    w.assign_add(torch.ones(3))
    w.assign_sub(np.full(3, 0.5))
    assert w.numpy().tolist() == [1.5, 2.5, 3.5]
    assert layer.steps.numpy() == 1 and not layer.steps.trainable and layer.steps.path == "scale/steps"
    with pytest.raises(ValueError, match="must match"):
        w.assign(np.ones(4))
    w.trainable = False
    assert not w.requires_grad and layer.trainable_weights == []
    with pytest.raises(ValueError, match="trainable"):
        layer.steps.trainable = True


def test_value_grad_gives_the_gradients_after_backward():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4), _Scale(), layers.Dense(1)])
    loss = model(torch.randn(5, 3)).sum()
    loss.backward()
    grads = [v.value.grad for v in model.trainable_weights]
    assert len(grads) == 5 and all(g is not None and g.shape == v.shape for g, v in zip(grads, model.trainable_weights))
    assert [v.path for v in model.trainable_weights][:2] == [f"{model.layers[0].name}/kernel", f"{model.layers[0].name}/bias"]


def test_dense_kernel_is_a_keras_layout_variable_that_writes_through():
    dense = layers.Dense(2, name="d")
    dense.build((None, 3))
    kernel = dense.kernel
    assert kernel.shape == (3, 2) and kernel.name == "kernel" and kernel.path == "d/kernel"
    value = np.arange(6, dtype="float32").reshape(3, 2)
    kernel.assign(value)
    np.testing.assert_array_equal(dense.linear.weight.detach().numpy(), value.T)  # torch layout
    np.testing.assert_array_equal(dense.kernel.numpy(), value)
    dense.kernel.assign_add(np.ones((3, 2)))
    np.testing.assert_array_equal(dense.get_weights()[0], value + 1)
    assert dense.bias is dense.linear.bias and dense.bias.path == "d/bias"
    out = dense(torch.ones(1, 3))
    out.sum().backward()
    np.testing.assert_array_equal(dense.kernel.grad.numpy(), np.ones((3, 2)))  # Keras layout
    assert dense.kernel.value.grad.shape == (3, 2)


def test_kernel_view_is_differentiable():
    dense = layers.Dense(2)
    dense.build((None, 3))
    (dense.kernel ** 2).sum().backward()
    torch.testing.assert_close(dense.linear.weight.grad, 2 * dense.linear.weight.detach())


class _MaskedConv(layers.Layer):
    """keras.io's PixelCNN masked convolution, verbatim in its use of the Variable API."""

    def __init__(self, **kwargs):
        super().__init__()
        self.conv = layers.Conv2D(**kwargs)

    def build(self, input_shape):
        self.conv.build(input_shape)
        kernel_shape = tuple(self.conv.kernel.shape)
        self.mask = np.zeros(shape=kernel_shape)
        self.mask[: kernel_shape[0] // 2, ...] = 1.0
        self.mask[kernel_shape[0] // 2, : kernel_shape[1] // 2, ...] = 1.0

    def call(self, inputs):
        self.conv.kernel.assign(self.conv.kernel * torch.as_tensor(self.mask, dtype=torch.float32))
        return self.conv(inputs)


def test_pixelcnn_masked_kernel_assign_inside_call():
    layer = _MaskedConv(filters=2, kernel_size=3, padding="same")
    x = torch.randn(1, 5, 5, 1)
    out = layer(x)
    kernel = layer.conv.kernel.numpy()
    assert np.all(kernel[2:] == 0) and np.all(kernel[1, 1:] == 0) and np.any(kernel[0] != 0)
    out.sum().backward()
    grad = layer.conv.kernel.grad.numpy()
    assert grad.shape == (3, 3, 1, 2) and np.any(grad != 0)  # the gradient reaches the parameter


def test_recurrent_cell_weights_are_variables_that_write_through():
    lstm = layers.LSTM(3)
    lstm(torch.zeros(1, 2, 4))
    cell = lstm.cell
    rk = cell.recurrent_kernel
    assert rk.shape == (3, 12) and rk.name == "recurrent_kernel"
    value = np.random.default_rng(0).standard_normal((3, 12)).astype("float32")
    cell.recurrent_kernel.assign(value)
    np.testing.assert_allclose(lstm.get_weights()[1], value)  # the layer shares the cell's parameters


def test_gru_stacked_bias_assign_writes_both_parts():
    gru = layers.GRU(2)
    gru(torch.zeros(1, 2, 3))
    bias = np.arange(12, dtype="float32").reshape(2, 6)
    gru.cell.bias.assign(bias)
    np.testing.assert_array_equal(gru.get_weights()[2], bias)


def test_variables_survive_deepcopy_and_double():
    layer = _Scale(name="s2")
    layer(torch.ones(1, 2))
    clone = copy.deepcopy(layer)
    assert clone.w.path == "s2/w" and clone.w is not layer.w
    layer.double()
    assert layer.w.path == "s2/w" and layer.weights[1].path == "s2/steps"
    layer.steps.assign(5)
    assert layer.steps.item() == 5


def test_keras_variables_take_numpy_operands_as_tensors():
    """keras.io's PixelCNN: `kernel.assign(kernel * np_mask)` with a float64 numpy mask."""
    import numpy as np

    conv = keras.layers.Conv2D(2, 3)
    conv(torch.zeros(1, 5, 5, 1))
    mask = np.zeros(tuple(conv.kernel.shape))
    mask[0] = 1.0
    product = conv.kernel * mask
    assert product.dtype == torch.float32 and product.requires_grad
    conv.kernel.assign(conv.kernel * mask)
    kernel = conv.kernel.numpy()
    assert isinstance(kernel, np.ndarray) and np.abs(kernel[1:]).sum() == 0 and np.abs(kernel[0]).sum() > 0
