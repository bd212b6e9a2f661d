"""Normalization layers without TensorFlow: hand-computed values, errors, torch-native state."""

import numpy as np
import pytest
import torch
from torch import nn

from kerascompat import layers


def _built_bn(shape, **kwargs):
    bn = layers.BatchNormalization(**kwargs)
    bn(torch.zeros(shape), training=False)
    return bn


# ----------------------------------------------------------------------------- BatchNormalization
def test_batchnorm_training_uses_batch_statistics_and_updates_moving_ones_with_biased_variance():
    bn = _built_bn((4, 1), momentum=0.9, epsilon=0.0)
    x = torch.tensor([[1.0], [2.0], [3.0], [6.0]])   # mean 3, biased variance 3.5
    y = bn(x, training=True)
    np.testing.assert_allclose(y.detach().numpy().ravel(), (np.array([1, 2, 3, 6]) - 3) / np.sqrt(3.5), rtol=1e-6)
    mean, var = bn.get_weights()[2:]
    np.testing.assert_allclose(mean, [0.9 * 0 + 0.1 * 3], rtol=1e-6)
    np.testing.assert_allclose(var, [0.9 * 1 + 0.1 * 3.5], rtol=1e-6)
    y = bn(x, training=True)   # second step from the updated statistics
    np.testing.assert_allclose(bn.get_weights()[2], [0.9 * 0.3 + 0.1 * 3], rtol=1e-6)
    np.testing.assert_allclose(bn.get_weights()[3], [0.9 * 1.25 + 0.1 * 3.5], rtol=1e-6)


def test_batchnorm_inference_uses_moving_statistics_gamma_beta():
    bn = _built_bn((2, 2), epsilon=0.0)
    bn.set_weights([np.array([2.0, 1.0]), np.array([0.5, -1.0]), np.array([1.0, 0.0]), np.array([4.0, 1.0])])
    y = bn(torch.tensor([[3.0, 2.0], [1.0, 0.0]]), training=False)
    expected = [[2 * (3 - 1) / 2 + 0.5, 2.0 - 1.0], [2 * (1 - 1) / 2 + 0.5, -1.0]]
    np.testing.assert_allclose(y.detach().numpy(), expected, rtol=1e-6)
    assert bn.get_weights()[2].tolist() == [1.0, 0.0]   # inference leaves the statistics alone


def test_batchnorm_channels_axis_and_keras_weight_order():
    bn = _built_bn((2, 3, 4, 5), axis=1)
    assert [w.shape for w in bn.get_weights()] == [(3,)] * 4
    assert [v.name for v in (bn.gamma, bn.beta, bn.moving_mean, bn.moving_variance)] == [
        "gamma", "beta", "moving_mean", "moving_variance"]
    x = torch.randn(2, 3, 4, 5) * 3 + 2
    y = bn(x, training=True)
    np.testing.assert_allclose(y.mean(dim=(0, 2, 3)).detach().numpy(), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(dim=(0, 2, 3), unbiased=False).detach().numpy(),
                               (x.var(dim=(0, 2, 3), unbiased=False) / (x.var(dim=(0, 2, 3), unbiased=False) + 1e-3)),
                               rtol=1e-5)


def test_batchnorm_channels_last_equals_channels_first_on_transposed_input():
    last, first = _built_bn((2, 4, 5, 3)), _built_bn((2, 3, 4, 5), axis=1)
    x = torch.randn(2, 4, 5, 3)
    y_last = last(x, training=True)
    y_first = first(x.permute(0, 3, 1, 2).contiguous(), training=True)
    torch.testing.assert_close(y_last, y_first.permute(0, 2, 3, 1))
    for a, b in zip(last.get_weights(), first.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_batchnorm_frozen_layer_ignores_training_true():
    bn = _built_bn((3, 2))
    bn.trainable = False
    x = torch.randn(3, 2)
    torch.testing.assert_close(bn(x, training=True), bn(x, training=False))
    assert bn.get_weights()[2].tolist() == [0.0, 0.0]
    assert bn.trainable_weights == []


def test_batchnorm_mask_keeps_masked_steps_out_of_statistics():
    bn = _built_bn((1, 3, 1), momentum=0.0, epsilon=0.0)
    x = torch.tensor([[[1.0], [3.0], [100.0]]])
    bn(x, training=True, mask=torch.tensor([[True, True, False]]))
    np.testing.assert_allclose(bn.get_weights()[2], [2.0], rtol=1e-6)
    np.testing.assert_allclose(bn.get_weights()[3], [1.0], rtol=1e-6)
    with pytest.raises(ValueError, match="one dimension less"):
        bn(x, training=True, mask=torch.ones(1, 3, 1, dtype=torch.bool))


def test_batchnorm_state_dict_is_torchs_and_loads_into_nn_batchnorm2d():
    bn = _built_bn((2, 4, 4, 3), momentum=0.9, epsilon=1e-2)
    assert set(bn.state_dict()) == {"weight", "bias", "running_mean", "running_var"}
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
    assert [n for n, _ in bn.named_buffers()] == ["running_mean", "running_var"]
    bn(torch.randn(2, 4, 4, 3) + 1, training=True)
    with torch.no_grad():
        bn.weight.mul_(1.5)
    ref = nn.BatchNorm2d(3, eps=1e-2, momentum=1 - 0.9)
    ref.load_state_dict(bn.state_dict())
    ref.eval()
    x = torch.randn(2, 4, 4, 3)
    torch.testing.assert_close(bn(x, training=False), ref(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1))


def test_batchnorm_moving_statistics_are_buffers_not_parameters():
    bn = _built_bn((2, 3))
    assert len(list(bn.parameters())) == 2
    opt = torch.optim.SGD(bn.parameters(), lr=1.0)
    bn(torch.randn(4, 3), training=True).sum().backward()
    opt.step()
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2


def test_batchnorm_center_scale_false_have_no_parameters():
    bn = _built_bn((2, 3), center=False, scale=False)
    assert list(bn.parameters()) == [] and len(bn.get_weights()) == 2
    assert bn.state_dict().keys() == {"running_mean", "running_var"}


def test_batchnorm_config_round_trip():
    bn = layers.BatchNormalization(axis=1, momentum=0.5, epsilon=0.1, center=False, gamma_regularizer="l2")
    config = bn.get_config()
    assert config["axis"] == 1 and config["momentum"] == 0.5 and config["epsilon"] == 0.1
    assert config["synchronized"] is False and config["renorm"] is False
    again = layers.BatchNormalization.from_config(config)
    assert again.get_config() == config


def test_batchnorm_errors():
    with pytest.raises(TypeError, match="`axis`"):
        layers.BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="invalid keys for `renorm_clipping`"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 3, "r_max": 2})
    with pytest.raises(ValueError, match="rmax should be greater than rmin"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1, "rmin": 2})
    with pytest.raises(ValueError, match="dmax should be non-negative"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"dmax": -1})
    with pytest.raises(ValueError, match="out of bounds"):
        layers.BatchNormalization(axis=3)(torch.zeros(2, 3))
    bn = _built_bn((2, 3))
    with pytest.raises(ValueError, match="incompatible"):
        bn(torch.zeros(2, 4))


# ----------------------------------------------------------------------------- LayerNormalization
def test_layernorm_hand_computed():
    ln = layers.LayerNormalization(epsilon=0.0)
    y = ln(torch.tensor([[1.0, 2.0, 3.0, 6.0], [2.0, 2.0, 4.0, 4.0]]))
    np.testing.assert_allclose(y.detach().numpy()[0], (np.array([1, 2, 3, 6]) - 3) / np.sqrt(3.5), rtol=1e-6)
    np.testing.assert_allclose(y.detach().numpy()[1], [-1, -1, 1, 1], rtol=1e-6)


def test_layernorm_over_non_trailing_axes_normalizes_each_slice():
    ln = layers.LayerNormalization(axis=[1, 3], epsilon=0.0)
    x = torch.randn(2, 3, 4, 5) * 4 + 1
    y = ln(x).detach()
    np.testing.assert_allclose(y.mean(dim=(1, 3)).numpy(), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(dim=(1, 3), unbiased=False).numpy(), 1, rtol=1e-4)
    assert ln.axis == [1, 3] and tuple(ln.gamma.shape) == (3, 5)


def test_layernorm_rms_scaling_warns_and_divides_by_the_standard_deviation_only():
    with pytest.warns(UserWarning, match="deprecated"):
        ln = layers.LayerNormalization(rms_scaling=True, epsilon=0.0)
    x = torch.tensor([[1.0, 3.0]])   # variance 1: x is returned unchanged (not centred)
    np.testing.assert_allclose(ln(x).detach().numpy(), [[1.0, 3.0]], rtol=1e-6)
    assert [n for n, _ in ln.named_parameters()] == ["weight"]


def test_layernorm_state_dict_loads_into_nn_layernorm():
    ln = layers.LayerNormalization(axis=[-2, -1], epsilon=1e-5)
    x = torch.randn(2, 3, 4, 5)
    ln(x)
    with torch.no_grad():
        ln.weight.uniform_(0.5, 1.5)
        ln.bias.uniform_(-1, 1)
    ref = nn.LayerNorm((4, 5), eps=1e-5)
    ref.load_state_dict(ln.state_dict())
    torch.testing.assert_close(ln(x), ref(x))


def test_layernorm_errors_and_config():
    with pytest.raises(TypeError, match="`axis`"):
        layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="out of bounds"):
        layers.LayerNormalization(axis=2)(torch.zeros(2, 3))
    ln = layers.LayerNormalization(axis=1, center=False)
    assert ln.get_config()["axis"] == 1
    ln(torch.zeros(2, 3, 4))
    config = ln.get_config()
    assert config["axis"] == [1] and config["rms_scaling"] is False   # Keras lists the axes once built
    assert layers.LayerNormalization.from_config(config).get_config()["center"] is False
    with pytest.raises(ValueError, match="incompatible"):
        ln(torch.zeros(2, 4, 4))


# ------------------------------------------------------------- GroupNormalization, RMSNormalization, UnitNormalization
def test_groupnorm_hand_computed_and_matches_nn_groupnorm():
    gn = layers.GroupNormalization(groups=2, epsilon=0.0)
    y = gn(torch.tensor([[1.0, 3.0, 10.0, 20.0]]))   # groups (1, 3) and (10, 20)
    np.testing.assert_allclose(y.detach().numpy(), [[-1.0, 1.0, -1.0, 1.0]], rtol=1e-6)
    gn = layers.GroupNormalization(groups=2, axis=1, epsilon=1e-5)
    x = torch.randn(2, 4, 3, 5)
    gn(x)
    with torch.no_grad():
        gn.weight.uniform_(0.5, 1.5)
        gn.bias.uniform_(-1, 1)
    ref = nn.GroupNorm(2, 4, eps=1e-5)
    ref.load_state_dict(gn.state_dict())
    torch.testing.assert_close(gn(x), ref(x))
    last = layers.GroupNormalization(groups=2, epsilon=1e-5)
    last(x.permute(0, 2, 3, 1))
    last.set_weights(gn.get_weights())
    torch.testing.assert_close(last(x.permute(0, 2, 3, 1)), ref(x).permute(0, 2, 3, 1))


def test_groupnorm_instance_normalization_and_errors():
    gn = layers.GroupNormalization(groups=-1)
    gn(torch.zeros(2, 3, 6))
    assert gn.groups == 6 and gn.get_config()["groups"] == 6
    with pytest.raises(ValueError, match="`groups`"):
        layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="multiple"):
        layers.GroupNormalization(groups=4)(torch.zeros(2, 6))
    with pytest.raises(ValueError, match="cannot be more"):
        layers.GroupNormalization(groups=8)(torch.zeros(2, 6))


def test_rmsnorm_hand_computed_state_and_nn_rmsnorm():
    rms = layers.RMSNormalization(epsilon=0.0)
    y = rms(torch.tensor([[3.0, 4.0]]))   # rms = sqrt(12.5)
    np.testing.assert_allclose(y.detach().numpy(), [[3 / np.sqrt(12.5), 4 / np.sqrt(12.5)]], rtol=1e-6)
    assert rms.scale.name == "scale" and list(rms.state_dict()) == ["weight"]
    rms = layers.RMSNormalization(axis=[-2, -1], epsilon=1e-5)
    x = torch.randn(2, 3, 4)
    rms(x)
    with torch.no_grad():
        rms.weight.uniform_(0.5, 1.5)
    ref = nn.RMSNorm((3, 4), eps=1e-5)
    ref.load_state_dict(rms.state_dict())
    torch.testing.assert_close(rms(x), ref(x))
    assert rms.get_config()["axis"] == [-2, -1]


def test_unitnorm_hand_computed_zero_input_and_errors():
    un = layers.UnitNormalization()
    np.testing.assert_allclose(un(torch.tensor([[3.0, 4.0], [0.0, 0.0]])).numpy(), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
    un = layers.UnitNormalization(axis=[1, 2])
    y = un(torch.randn(2, 3, 4))
    np.testing.assert_allclose(y.square().sum(dim=(1, 2)).numpy(), [1.0, 1.0], rtol=1e-5)
    assert un.get_weights() == [] and un.get_config()["axis"] == [1, 2]
    with pytest.raises(TypeError, match="`axis`"):
        layers.UnitNormalization(axis="x")


# ----------------------------------------------------------------------------- no activation copies
BATCH = 5
_COPY_OPS = {"aten::copy_", "aten::contiguous", "aten::clone", "aten::_to_copy"}


def _activation_copies(model, x):
    from torch.profiler import ProfilerActivity, profile

    R = torch.randn_like(model(x))
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        (model(x) * R).sum().backward()
    # Activations are the tensors with the batch as first axis (the moving statistics are (C,)).
    return [(e.name, e.input_shapes[0]) for e in prof.events()
            if e.name in _COPY_OPS and e.input_shapes and e.input_shapes[0] and e.input_shapes[0][0] == BATCH]


@pytest.mark.parametrize("kwargs,shape", [({}, (BATCH, 6, 7, 4)), ({}, (BATCH, 9, 4)), ({"axis": 1}, (BATCH, 4, 6, 7))],
                         ids=["channels-last-4d", "channels-last-3d", "channels-first"])
def test_batchnorm_does_not_copy_activations_in_training(kwargs, shape):
    import kerascompat as keras

    model = keras.Sequential([keras.Input(shape[1:]), layers.Conv2D(4, 1) if len(shape) == 4 and not kwargs
                              else layers.Identity(), layers.BatchNormalization(**kwargs)])
    model.train()
    x = torch.randn(shape)
    assert _activation_copies(model, x) == []
