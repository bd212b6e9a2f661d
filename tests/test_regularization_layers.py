"""Regularization layers: identity at inference, training-mode statistics, seeds, configs, errors."""

import math

import pytest
import torch

from kerascompat import layers

N = 200_000


def test_spatial_dropout_drops_whole_channels():
    x = torch.ones(64, 7, 10)
    out = layers.SpatialDropout1D(0.5, seed=1)(x, training=True)
    # One mask value per (sample, channel): constant along the steps axis.
    assert torch.equal(out, out[:, :1, :].expand_as(out))
    assert set(out.unique().tolist()) == {0.0, 2.0}
    assert 0.4 < (out[:, 0, :] == 0).float().mean().item() < 0.6


@pytest.mark.parametrize("cls,shape,data_format,channel_axis", [
    (layers.SpatialDropout2D, (32, 3, 4, 8), "channels_last", 3),
    (layers.SpatialDropout2D, (32, 8, 3, 4), "channels_first", 1),
    (layers.SpatialDropout3D, (32, 2, 3, 2, 8), "channels_last", 4),
    (layers.SpatialDropout3D, (32, 8, 2, 3, 2), "channels_first", 1),
])
def test_spatial_dropout_nd_mask_is_per_channel(cls, shape, data_format, channel_axis):
    out = cls(0.5, data_format=data_format, seed=3)(torch.ones(shape), training=True)
    spatial = [d for d in range(1, len(shape)) if d != channel_axis]
    flat = out.movedim(channel_axis, 1).reshape(shape[0], shape[channel_axis], -1)
    assert torch.equal(flat, flat[..., :1].expand_as(flat)), spatial
    assert 0.3 < (flat[..., 0] == 0).float().mean().item() < 0.7


@pytest.mark.parametrize("layer", [
    layers.SpatialDropout1D(0.5), layers.SpatialDropout2D(0.5), layers.SpatialDropout3D(0.5),
    layers.GaussianNoise(0.5), layers.GaussianDropout(0.5), layers.AlphaDropout(0.5),
    layers.ActivityRegularization(0.1, 0.1),
])
def test_identity_at_inference(layer):
    x = torch.randn((3, 4, 5, 6, 2)[:(layer.input_spec.ndim if layer.input_spec else 3)])
    assert torch.equal(layer(x, training=False), x)
    layer.eval()
    assert torch.equal(layer(x), x)


def test_gaussian_noise_statistics():
    x = torch.full((N,), 3.0)
    noise = layers.GaussianNoise(0.4)(x, training=True) - 3.0
    assert abs(noise.mean().item()) < 0.01
    assert abs(noise.std().item() - 0.4) < 0.01


def test_gaussian_dropout_statistics():
    rate = 0.3
    factor = layers.GaussianDropout(rate)(torch.full((N,), 2.0), training=True) / 2.0
    assert abs(factor.mean().item() - 1.0) < 0.01
    assert abs(factor.std().item() - math.sqrt(rate / (1 - rate))) < 0.01


def test_alpha_dropout_keeps_mean_and_variance_of_standard_inputs():
    x = torch.randn(N, generator=torch.Generator().manual_seed(0))
    out = layers.AlphaDropout(0.2, seed=5)(x, training=True)
    assert abs(out.mean().item()) < 0.02
    assert abs(out.var().item() - 1.0) < 0.03
    # Dropped units all take the same value a * alpha_p + b; kept ones are a * x + b.
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * 0.2
    dropped = torch.isclose(out, torch.tensor(a * alpha_p + b))
    assert 0.18 < dropped.float().mean().item() < 0.22
    assert torch.allclose(out[~dropped], a * x[~dropped] + b, atol=1e-6)


def test_alpha_dropout_noise_shape_shares_the_mask():
    out = layers.AlphaDropout(0.5, noise_shape=(None, 1, 4), seed=2)(torch.zeros(6, 5, 4), training=True)
    assert torch.equal(out, out[:, :1, :].expand_as(out))


@pytest.mark.parametrize("make", [
    lambda: layers.SpatialDropout2D(0.5, seed=7), lambda: layers.GaussianNoise(0.3, seed=7),
    lambda: layers.GaussianDropout(0.3, seed=7), lambda: layers.AlphaDropout(0.3, seed=7),
])
def test_seed_makes_the_sequence_reproducible(make):
    x = torch.ones(4, 3, 3, 5)
    a, b = make(), make()
    first = [a(x, training=True) for _ in range(2)]
    second = [b(x, training=True) for _ in range(2)]
    assert torch.equal(first[0], second[0]) and torch.equal(first[1], second[1])
    assert not torch.equal(first[0], first[1])  # a new draw on each call


def test_activity_regularization_adds_keras_loss():
    layer = layers.ActivityRegularization(l1=0.1, l2=0.5)
    x = torch.tensor([[1.0, -2.0], [3.0, 0.5]])
    assert torch.equal(layer(x), x)
    (loss,) = layer.losses
    # (0.1 * sum|x| + 0.5 * sum x^2) / batch size
    assert loss.item() == pytest.approx((0.1 * 6.5 + 0.5 * 14.25) / 2)
    assert "activity_regularizer" not in layer.get_config()


@pytest.mark.parametrize("layer", [
    layers.SpatialDropout1D(0.2, seed=1), layers.SpatialDropout2D(0.2, data_format="channels_first"),
    layers.SpatialDropout3D(0.1), layers.GaussianNoise(0.2, seed=3), layers.GaussianDropout(0.4),
    layers.AlphaDropout(0.1, noise_shape=(None, 1, 3), seed=4), layers.ActivityRegularization(0.01, 0.02),
])
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_spatial_dropout_config_has_kerass_keys_only():
    assert sorted(layers.SpatialDropout2D(0.5).get_config()) == ["data_format", "dtype", "name", "rate", "seed"]
    with pytest.raises(TypeError):
        layers.SpatialDropout1D(0.5, trainable=False)  # Keras's signature has no **kwargs


def test_spatial_dropout_rank_is_checked_with_kerass_wording():
    with pytest.raises(ValueError, match=r"expected ndim=3, found ndim=2\. Full shape received: \(2, 3\)"):
        layers.SpatialDropout1D(0.5)(torch.ones(2, 3))


@pytest.mark.parametrize("make,arg", [
    (lambda: layers.GaussianNoise(1.5), "stddev"), (lambda: layers.GaussianNoise(-0.1), "stddev"),
    (lambda: layers.GaussianDropout(1.2), "rate"), (lambda: layers.AlphaDropout(-1), "rate"),
    (lambda: layers.SpatialDropout2D(2.0), "rate"), (lambda: layers.GaussianNoise(0.1, seed=1.5), "seed"),
    (lambda: layers.AlphaDropout(0.1, noise_shape=(0, 2)), "noise_shape"),
    (lambda: layers.SpatialDropout2D(0.1, data_format="nhwc"), "data_format"),
])
def test_invalid_arguments(make, arg):
    with pytest.raises(ValueError, match=f"`{arg}`"):
        make()
