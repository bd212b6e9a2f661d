"""Depthwise and separable convolutions without TensorFlow: weight layouts, torch-native state,
hand-computed values, copies, shapes, configs and errors."""

import numpy as np
import pytest
import torch
from torch import nn

import kerascompat as keras
from kerascompat import layers
from kerascompat._weights import DepthwiseKernel

from test_convolutional import BATCH, activation_copies


@pytest.mark.parametrize("name,model,shape", [
    ("depthwise2d", lambda: keras.Sequential([
        keras.Input((12, 12, 3)), layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, activation="relu"),
        layers.DepthwiseConv2D(3, strides=2), layers.Flatten()]), (BATCH, 12, 12, 3)),
    ("depthwise1d", lambda: keras.Sequential([
        keras.Input((20, 3)), layers.DepthwiseConv1D(3, padding="same", depth_multiplier=2),
        layers.DepthwiseConv1D(5, strides=2), layers.Flatten()]), (BATCH, 20, 3)),
    ("separable2d", lambda: keras.Sequential([
        keras.Input((12, 12, 3)), layers.SeparableConv2D(8, 3, padding="same", activation="relu"),
        layers.SeparableConv2D(6, 3, strides=2, depth_multiplier=2), layers.Flatten()]), (BATCH, 12, 12, 3)),
    ("separable1d", lambda: keras.Sequential([
        keras.Input((20, 3)), layers.SeparableConv1D(8, 3, padding="same"), layers.SeparableConv1D(6, 5, strides=2),
        layers.Flatten()]), (BATCH, 20, 3)),
])
def test_channels_last_stack_makes_no_activation_copies(name, model, shape):
    assert activation_copies(model(), torch.randn(shape)) == []


def test_depthwise_kernel_layout_is_a_view_and_round_trips():
    layout = DepthwiseKernel(2, 3)
    weight = torch.arange(2 * 3 * 2 * 4, dtype=torch.float32).reshape(6, 1, 2, 4)  # in=2, multiplier=3
    keras_kernel = layout.to_keras(weight)
    assert keras_kernel.shape == (2, 4, 2, 3) == layout.keras_shape(weight.shape)
    assert keras_kernel.data_ptr() == weight.data_ptr()  # a view
    # torch output channel c * multiplier + m is Keras's (c, m).
    assert keras_kernel[1, 2, 1, 0] == weight[3, 0, 1, 2]
    assert keras_kernel[0, 3, 0, 2] == weight[2, 0, 0, 3]
    assert torch.equal(layout.to_torch(keras_kernel), weight)
    assert layout.torch_shape((2, 4, 2, 3)) == (6, 1, 2, 4)


def test_depthwise_weights_are_a_grouped_torch_conv():
    layer = layers.DepthwiseConv2D((2, 3), depth_multiplier=2)
    layer.build((None, 6, 7, 3))
    assert isinstance(layer.conv, nn.Conv2d) and layer.conv.groups == 3
    assert layer.conv.weight.shape == (6, 1, 2, 3)
    assert [w.shape for w in layer.get_weights()] == [(2, 3, 3, 2), (6,)]
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    kernel = np.random.default_rng(0).standard_normal((2, 3, 3, 2)).astype("float32")
    bias = np.arange(6, dtype="float32")
    layer.set_weights([kernel, bias])
    np.testing.assert_array_equal(layer.get_weights()[0], kernel)
    np.testing.assert_array_equal(layer.depthwise_kernel.detach().numpy(), kernel)
    ref = nn.Conv2d(3, 6, (2, 3), groups=3)
    state = layer.state_dict()
    assert sorted(state) == ["conv.bias", "conv.weight"]
    ref.load_state_dict({"weight": state["conv.weight"], "bias": state["conv.bias"]})
    x = torch.randn(2, 6, 7, 3)
    expected = ref(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
    torch.testing.assert_close(layer(x), expected)
    # torch's weight[c * multiplier + m, 0] is Keras's kernel[..., c, m].
    np.testing.assert_array_equal(layer.conv.weight[5, 0].detach().numpy(), kernel[:, :, 2, 1])


def test_depthwise_conv1d_hand_computed():
    layer = layers.DepthwiseConv1D(2, depth_multiplier=2, use_bias=False)
    layer.build((None, 3, 2))
    kernel = np.zeros((2, 2, 2), "float32")
    kernel[:, 0, 0] = [1, 10]    # channel 0, filter 0: y = x[t] + 10 x[t+1]
    kernel[:, 0, 1] = [1, 0]     # channel 0, filter 1: y = x[t]
    kernel[:, 1, 0] = [0, 1]     # channel 1, filter 0: y = x[t+1]
    kernel[:, 1, 1] = [2, 2]     # channel 1, filter 1: y = 2 (x[t] + x[t+1])
    layer.set_weights([kernel])
    x = torch.tensor([[[1.0, 100.0], [2.0, 200.0], [3.0, 300.0]]])
    y = layer(x)
    assert y.tolist() == [[[21.0, 1.0, 200.0, 600.0], [32.0, 2.0, 300.0, 1000.0]]]


def test_separable_is_a_depthwise_then_a_pointwise_torch_conv():
    layer = layers.SeparableConv2D(5, 3, depth_multiplier=2, padding="same")
    layer.build((None, 6, 6, 3))
    assert [w.name for w in layer.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert [w.shape for w in layer.get_weights()] == [(3, 3, 3, 2), (1, 1, 6, 5), (5,)]
    assert sorted(layer.state_dict()) == ["depthwise.weight", "pointwise.bias", "pointwise.weight"]
    ref = nn.Sequential(nn.Conv2d(3, 6, 3, padding=1, groups=3, bias=False), nn.Conv2d(6, 5, 1))
    ref.load_state_dict({"0.weight": layer.depthwise.weight, "1.weight": layer.pointwise.weight,
                         "1.bias": layer.pointwise.bias})
    x = torch.randn(2, 6, 6, 3)
    torch.testing.assert_close(layer(x), ref(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1))
    np.testing.assert_array_equal(layer.pointwise_kernel.detach().numpy()[0, 0],
                                  layer.pointwise.weight.detach().numpy()[:, :, 0, 0].T)


def test_separable_without_bias():
    layer = layers.SeparableConv1D(4, 3, use_bias=False)
    layer.build((None, 8, 2))
    assert layer.bias is None and [w.name for w in layer.weights] == ["depthwise_kernel", "pointwise_kernel"]
    assert layer(torch.randn(2, 8, 2)).shape == (2, 6, 4)


@pytest.mark.parametrize("layer,shape,expected", [
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=2), (None, 8, 9, 3), (None, 6, 7, 6)),
    (lambda: layers.DepthwiseConv2D(3, strides=2, padding="same"), (None, None, 9, 3), (None, None, 5, 3)),
    (lambda: layers.DepthwiseConv2D(2, data_format="channels_first"), (4, 3, 5, 5), (4, 3, 4, 4)),
    (lambda: layers.DepthwiseConv1D(3, strides=2, dilation_rate=2, padding="same"), (None, 9, 2), (None, 5, 2)),
    (lambda: layers.SeparableConv2D(7, 3, strides=2), (None, 9, 9, 3), (None, 4, 4, 7)),
    (lambda: layers.SeparableConv1D(7, 3, data_format="channels_first"), (None, 3, 9), (None, 7, 7)),
])
def test_output_shapes(layer, shape, expected):
    assert layer().compute_output_shape(shape) == expected


@pytest.mark.parametrize("layer", [
    layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", depthwise_regularizer="l2",
                           depthwise_constraint="non_neg", activation="relu"),
    layers.DepthwiseConv1D(2, strides=2, use_bias=False, data_format="channels_first"),
    layers.SeparableConv2D(4, 3, depth_multiplier=2, pointwise_initializer="ones", pointwise_regularizer="l1"),
    layers.SeparableConvolution1D(3, 2, dilation_rate=2, bias_constraint="non_neg"),
])
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_config_keys_are_keras():
    depthwise = layers.DepthwiseConv2D(3).get_config()
    assert "filters" not in depthwise and "groups" not in depthwise and "kernel_initializer" not in depthwise
    assert depthwise["depth_multiplier"] == 1 and depthwise["depthwise_initializer"]["class_name"] == "GlorotUniform"
    separable = layers.SeparableConv2D(4, 3).get_config()
    for key in ("filters", "depth_multiplier", "depthwise_initializer", "pointwise_initializer", "bias_initializer",
                "depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint", "pointwise_constraint"):
        assert key in separable, key
    assert layers.SeparableConvolution2D is layers.SeparableConv2D


@pytest.mark.parametrize("make,match", [
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "`depth_multiplier`"),
    (lambda: layers.SeparableConv2D(4, 3, depth_multiplier=1.5), "`depth_multiplier`"),
    (lambda: layers.DepthwiseConv1D(3, padding="causal"), "padding"),
    (lambda: layers.SeparableConv1D(3, 3, padding="causal"), "padding"),
    (lambda: layers.SeparableConv2D(0, 3), "filters"),
    (lambda: layers.DepthwiseConv2D((3, 3, 3)), "kernel_size"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_strides_with_dilation_accepted_only_where_keras_accepts_them():
    layers.DepthwiseConv2D(3, strides=2, dilation_rate=2)
    layers.SeparableConv1D(3, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.Conv2D(3, 3, strides=2, dilation_rate=2)


def test_wrong_input_channels():
    layer = layers.DepthwiseConv2D(3)
    layer(torch.randn(1, 5, 5, 2))
    with pytest.raises(ValueError, match="incompatible"):
        layer(torch.randn(1, 5, 5, 3))


def test_benchmark_mobilenet_matches_its_hand_written_torch_twin():
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
    try:
        from models import build_keras, build_torch, torch_input
    finally:
        sys.path.pop(0)
    ours = build_keras("mobilenet", keras)
    twin = build_torch("mobilenet", channels_last=True)
    keras_layers = [layer for layer in ours.layers
                    if isinstance(layer, (layers.Conv2D, layers.DepthwiseConv2D, layers.BatchNormalization,
                                          layers.Dense))]
    torch_modules = [m for m in twin.modules() if isinstance(m, (nn.Conv2d, nn.BatchNorm2d, nn.Linear))]
    assert len(keras_layers) == len(torch_modules) == 21
    for layer, module in zip(keras_layers, torch_modules):
        state = {key.split(".")[-1]: value for key, value in layer.state_dict().items()}
        missing, unexpected = module.load_state_dict(state, strict=False)
        assert set(missing) <= {"num_batches_tracked"} and not unexpected
    x = torch.randn(4, 64, 64, 3)
    for mode in ("eval", "train"):
        getattr(ours, mode)()
        getattr(twin, mode)()
        torch.testing.assert_close(ours(x), twin(torch_input("mobilenet", x, True)))
