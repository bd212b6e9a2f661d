"""Convolution and reshaping layers without TensorFlow: layouts, copies, shapes, errors."""

import numpy as np
import pytest
import torch
from torch.profiler import ProfilerActivity, profile

import kerascompat as keras
from kerascompat import layers
from kerascompat.ops.padding import conv_transpose_output_length, same_padding

BATCH = 5  # distinct from every channel count below, to recognise activations in the profile
COPY_OPS = {"aten::copy_", "aten::contiguous", "aten::clone", "aten::_to_copy"}


def activation_copies(model, x):
    R = torch.randn_like(model(x))  # a real loss gradient (sum() would hand back an expanded one)
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        (model(x) * R).sum().backward()
    return [(e.name, e.input_shapes[0]) for e in prof.events()
            if e.name in COPY_OPS and e.input_shapes and e.input_shapes[0] and e.input_shapes[0][0] == BATCH]


@pytest.mark.parametrize("name,model,shape", [
    ("conv2d", lambda: keras.Sequential([keras.Input((12, 12, 3)), layers.Conv2D(8, 3, padding="same", activation="relu"),
                                         layers.Conv2D(8, 3, strides=2), layers.Conv2D(6, 1), layers.Flatten()]),
     (BATCH, 12, 12, 3)),
    ("conv1d", lambda: keras.Sequential([keras.Input((20, 3)), layers.Conv1D(8, 3, padding="same"),
                                         layers.Conv1D(8, 5, strides=2, dilation_rate=1), layers.Flatten()]),
     (BATCH, 20, 3)),
    ("conv3d", lambda: keras.Sequential([keras.Input((6, 6, 6, 2)), layers.Conv3D(4, 3, padding="same"),
                                         layers.Conv3D(4, 3), layers.Flatten()]),
     (BATCH, 6, 6, 6, 2)),
    ("transpose", lambda: keras.Sequential([keras.Input((6, 6, 2)), layers.Conv2DTranspose(4, 3, padding="same"),
                                            layers.Conv2DTranspose(4, 2, strides=2, padding="same"), layers.Flatten()]),
     (BATCH, 6, 6, 2)),
])
def test_channels_last_stack_makes_no_activation_copies(name, model, shape):
    assert activation_copies(model(), torch.randn(shape)) == []


def test_asymmetric_same_padding_is_the_only_copy():
    model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 2, padding="same")])  # pads (0, 1)
    copies = activation_copies(model, torch.randn(BATCH, 8, 8, 3))
    assert copies and all(name == "aten::copy_" for name, _ in copies)  # F.pad writes the padded input


def test_output_is_a_channels_last_view():
    conv = layers.Conv2D(4, 3)
    y = conv(torch.randn(2, 9, 9, 3))
    assert y.shape == (2, 7, 7, 4) and y.is_contiguous()


def test_kernel_layouts():
    conv = layers.Conv2D(6, (2, 3), groups=2)
    conv.build((None, 8, 8, 4))
    assert isinstance(conv.conv, torch.nn.Conv2d) and conv.conv.weight.shape == (6, 2, 2, 3)
    assert conv.get_weights()[0].shape == (2, 3, 2, 6)
    t = layers.Conv1DTranspose(5, 3)
    t.build((None, 7, 2))
    assert isinstance(t.conv, torch.nn.ConvTranspose1d) and t.conv.weight.shape == (2, 5, 3)
    assert t.get_weights()[0].shape == (3, 5, 2)
    c1 = layers.Conv1D(4, 3)
    c1.build((None, 10, 2))
    kernel = np.arange(24, dtype="float32").reshape(3, 2, 4)
    c1.set_weights([kernel, np.zeros(4, "float32")])
    np.testing.assert_array_equal(c1.get_weights()[0], kernel)
    np.testing.assert_array_equal(c1.conv.weight.detach().numpy(), kernel.transpose(2, 1, 0))


def test_conv1d_hand_computed_causal():
    conv = layers.Conv1D(1, 2, padding="causal", use_bias=False)
    conv.build((None, 4, 1))
    conv.set_weights([np.array([[[1.0]], [[10.0]]], dtype="float32")])  # y[t] = x[t-1] + 10 x[t]
    y = conv(torch.tensor([[[1.0], [2.0], [3.0], [4.0]]]))
    assert y.squeeze().tolist() == [10.0, 21.0, 32.0, 43.0]


def test_same_padding_arithmetic():
    assert same_padding(7, 3, 1) == (1, 1)
    assert same_padding(8, 4, 1) == (1, 2)   # even kernel: extra cell at the end, as TF
    assert same_padding(8, 3, 2) == (0, 1)
    assert same_padding(7, 3, 2) == (1, 1)
    assert same_padding(5, 3, 1, dilation=2) == (2, 2)
    assert conv_transpose_output_length(5, 3, 2, "same") == 10
    assert conv_transpose_output_length(5, 3, 2, "same", output_padding=0) == 9
    assert conv_transpose_output_length(5, 1, 3, "valid") == 15


def test_transpose_pointwise_output_padding_weight_gradient():
    # torch's channels_last conv_transpose2d backward gets this weight gradient wrong; we must not.
    t = layers.Conv2DTranspose(3, 1, strides=2, output_padding=1, use_bias=False)
    x = torch.randn(2, 4, 5, 2)
    y = t(x)
    R = torch.randn_like(y)
    (y * R).sum().backward()
    expected = torch.einsum("nijc,nijo->co", x, R[:, ::2, ::2, :])
    torch.testing.assert_close(t.conv.weight.grad[:, :, 0, 0], expected)


@pytest.mark.parametrize("make,message", [
    (lambda: layers.Conv2D(0, 3), "filters"),
    (lambda: layers.Conv2D(6, 3, groups=4), "divisible by the number of groups"),
    (lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2), "dilation_rate > 1"),
    (lambda: layers.Conv2D(4, (3, 3, 3)), "kernel_size"),
    (lambda: layers.Conv2D(4, 0), "kernel_size"),
    (lambda: layers.Conv2D(4, 3, padding="causal"), "padding"),
    (lambda: layers.Conv1D(4, 3, padding="full"), "padding"),
    (lambda: layers.Conv2D(4, 3, data_format="NHWC"), "data_format"),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=2), "output_padding"),
    (lambda: layers.Conv2DTranspose(4, 3, groups=2), "groups"),
    (lambda: layers.UpSampling2D(interpolation="cubic"), "interpolation"),
    (lambda: layers.UpSampling1D(data_format="channels_first"), "data_format"),
    (lambda: layers.ZeroPadding2D(((1, 2, 3), (1, 1))), "padding"),
    (lambda: layers.Cropping2D(-1), "cropping"),
])
def test_invalid_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_unsupported_interpolation_names_the_feature():
    with pytest.raises(NotImplementedError, match="bicubic"):
        layers.UpSampling2D(interpolation="bicubic")


def test_wrong_input_rank_and_channels():
    conv = layers.Conv2D(4, 3, name="c")
    conv(torch.randn(1, 5, 5, 3))
    with pytest.raises(ValueError, match='"c".*ndim=4'):
        conv(torch.randn(5, 5, 3))
    with pytest.raises(ValueError, match='"c".*axis -1.*value 3'):
        conv(torch.randn(1, 5, 5, 2))
    with pytest.raises(ValueError, match="zero or negative"):
        layers.Conv2D(4, 5).compute_output_shape((None, 3, 3, 1))
    with pytest.raises(ValueError, match="smaller than"):
        layers.Cropping1D((2, 2))(torch.randn(1, 4, 2))


def test_symbolic_shapes_with_unknown_sizes():
    x = keras.Input((None, None, 3))
    assert layers.Conv2D(4, 3, strides=2, padding="same")(x).shape == (None, None, None, 4)
    y = keras.Input((7, 5, 3))
    assert layers.Conv2D(4, 3, strides=2, padding="same")(y).shape == (None, 4, 3, 4)
    assert layers.Conv2DTranspose(2, 3, strides=2, padding="same")(y).shape == (None, 14, 10, 2)
    assert layers.UpSampling2D((2, 3))(y).shape == (None, 14, 15, 3)
    assert layers.Cropping2D(((1, 0), (2, 1)))(y).shape == (None, 6, 2, 3)
    assert layers.ZeroPadding2D(1)(y).shape == (None, 9, 7, 3)


@pytest.mark.parametrize("layer", [
    layers.Conv2D(4, (2, 3), strides=(1, 2), padding="same", dilation_rate=1, groups=2, activation="relu",
                  kernel_regularizer="l2", use_bias=False),
    layers.Conv1D(2, 3, padding="causal", dilation_rate=2),
    layers.Conv3DTranspose(2, 3, strides=2, padding="same", output_padding=1, data_format="channels_first"),
    layers.UpSampling2D((2, 3), interpolation="bilinear"),
    layers.UpSampling1D(3),
    layers.ZeroPadding2D(((1, 2), (3, 4))),
    layers.ZeroPadding1D((1, 2)),
    layers.Cropping3D(1),
    layers.Cropping1D((0, 2)),
    layers.RepeatVector(4),
], ids=lambda l: type(l).__name__)
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_conv_state_dict_loads_into_hand_written_torch():
    model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3, padding="same"), layers.Flatten(),
                              layers.Dense(2)])
    ref = torch.nn.Conv2d(3, 4, 3, padding=1)
    ref.load_state_dict({"weight": model.state_dict()["conv2d.conv.weight"],
                         "bias": model.state_dict()["conv2d.conv.bias"]})
    x = torch.randn(2, 8, 8, 3)
    conv_out = model.layers[0](x)
    torch.testing.assert_close(conv_out, ref(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1))


@pytest.mark.parametrize("make,shape", [
    (lambda: layers.Conv2D(6, 3, strides=2, padding="same", groups=2), (2, 9, 8, 4)),
    (lambda: layers.Conv2D(4, 2, data_format="channels_first", padding="same"), (2, 3, 6, 5)),
    (lambda: layers.Conv1D(3, 3, padding="causal", dilation_rate=2), (2, 9, 2)),
    (lambda: layers.Conv3D(2, 2, padding="same"), (1, 4, 3, 5, 2)),
], ids=["conv2d_groups", "conv2d_channels_first", "conv1d_causal", "conv3d"])
def test_convolution_op_is_the_call_without_bias(make, shape):
    conv = make()
    x = torch.randn(shape)
    y = conv(x)
    bias_shape = [1] * y.dim()
    bias_shape[conv._channel_axis] = conv.filters
    torch.testing.assert_close(conv.convolution_op(x, conv.kernel) + conv.bias.reshape(bias_shape), y)


def _standardize(kernel):
    var, mean = torch.var_mean(kernel, dim=(0, 1, 2), keepdim=True, correction=0)
    return (kernel - mean) / torch.sqrt(var + 1e-10)


class WeightStandardizedConv2D(layers.Conv2D):
    """keras.io's weight-standardized convolution, written with torch ops."""

    def call(self, inputs):
        return self.convolution_op(inputs, _standardize(self.kernel))


def test_weight_standardized_subclass_uses_its_kernel():
    conv = WeightStandardizedConv2D(4, 3, padding="same", use_bias=False)
    x = torch.randn(2, 6, 6, 3)
    y = conv(x)
    w = conv.conv.weight.detach()  # torch layout (out, in, kh, kw): standardize over (in, kh, kw)
    var, mean = torch.var_mean(w, dim=(1, 2, 3), keepdim=True, correction=0)
    expected = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), (w - mean) / torch.sqrt(var + 1e-10), padding=1)
    torch.testing.assert_close(y, expected.permute(0, 2, 3, 1))
    y.sum().backward()
    assert conv.conv.weight.grad is not None and conv.conv.weight.grad.abs().sum() > 0


def test_overriding_convolution_op_changes_call():
    class Doubled(layers.Conv2D):
        def convolution_op(self, inputs, kernel):
            return super().convolution_op(inputs, 2 * kernel)

    plain = layers.Conv2D(3, 2, activation="relu")
    doubled = Doubled(3, 2, activation="relu")
    x = torch.randn(1, 5, 5, 2)
    plain(x), doubled(x)
    kernel, bias = plain.get_weights()
    plain.set_weights([2 * kernel, bias])
    doubled.set_weights([kernel, bias])
    torch.testing.assert_close(doubled(x), plain(x))


def test_weight_standardized_subclass_compiles_without_graph_breaks():
    model = keras.Sequential([keras.Input((8, 8, 3)), WeightStandardizedConv2D(4, 3, strides=2, padding="same"),
                              layers.Flatten()])
    explanation = torch._dynamo.explain(model)(torch.randn(2, 8, 8, 3))
    assert explanation.graph_break_count == 0, explanation.break_reasons


def test_padding_plans_are_bounded():
    conv = layers.Conv1D(2, 3, padding="same")
    for length in range(3, 3 + 2 * conv._padding_plan.maxsize):
        conv(torch.randn(1, length, 1))
    assert len(conv._padding_plan) == conv._padding_plan.maxsize
    assert conv(torch.randn(1, 4, 1)).shape == (1, 4, 2)  # an evicted size is planned again


def test_transposed_convolutions_are_not_forward_convolutions():
    from kerascompat.layers.convolutional import BaseConv, BaseConvTranspose

    assert isinstance(layers.Conv2D(2, 1), BaseConv) and not isinstance(layers.Conv2D(2, 1), BaseConvTranspose)
    assert isinstance(layers.Conv2DTranspose(2, 1), BaseConvTranspose)
    assert not isinstance(layers.Conv2DTranspose(2, 1), BaseConv)
    assert not hasattr(layers.Conv2DTranspose(2, 1), "convolution_op")
