"""Core layers: hand-computed values, shapes, errors, torch-native internals."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


def test_dense_hand_computed():
    d = layers.Dense(2, activation="relu")
    d.build((None, 3))
    kernel = np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 1.0]], dtype="float32")
    bias = np.array([0.5, -4.0], dtype="float32")
    d.set_weights([kernel, bias])
    out = d(torch.tensor([[1.0, 2.0, 3.0]]))
    # [1+4+0+0.5, -1+1+3-4] = [5.5, -1] -> relu -> [5.5, 0]
    assert out.tolist() == [[5.5, 0.0]]


def test_dense_holds_nn_linear_in_torch_layout():
    d = layers.Dense(4)
    d.build((None, 3))
    assert isinstance(d.linear, torch.nn.Linear)
    assert d.linear.weight.shape == (4, 3)
    assert d.get_weights()[0].shape == (3, 4)
    np.testing.assert_array_equal(d.get_weights()[0], d.linear.weight.detach().numpy().T)
    assert d.kernel.shape == (3, 4)


def test_dense_on_nd_input_acts_on_last_axis():
    d = layers.Dense(5)
    assert d(torch.randn(2, 3, 4, 7)).shape == (2, 3, 4, 5)
    assert d.compute_output_shape((None, 3, 4, 7)) == (None, 3, 4, 5)


def test_dense_wrong_feature_size_names_layer_and_shapes():
    d = layers.Dense(2, name="head")
    d(torch.randn(1, 3))
    with pytest.raises(ValueError, match=r'layer "head".*value 3.*\(4, 5\)'):
        d(torch.randn(4, 5))
    with pytest.raises(ValueError, match="min_ndim=2"):
        layers.Dense(2).build((3,))


@pytest.mark.parametrize("units", [0, -3, 2.5, "8", None, True])
def test_dense_invalid_units(units):
    with pytest.raises(ValueError, match="units"):
        layers.Dense(units)


@pytest.mark.parametrize("arg", ["lora_rank", "quantization_config"])
def test_dense_unsupported_arguments_raise(arg):
    with pytest.raises(NotImplementedError, match=arg):
        layers.Dense(3, **{arg: 4})


def test_unknown_keyword_argument_raises():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(3, kernel_initialiser="zeros")


def test_flatten_keeps_channels_last_order():
    x = torch.arange(24.0).reshape(1, 2, 3, 4)
    assert layers.Flatten()(x).tolist() == [list(range(24))]
    # channels_first input (N, C, H, W) flattens in (H, W, C) order, as Keras.
    out = layers.Flatten(data_format="channels_first")(x)
    assert out[0, :3].tolist() == [0.0, 12.0, 1.0]
    assert layers.Flatten()(torch.arange(3.0)).shape == (3, 1)
    assert layers.Flatten().compute_output_shape((None, 2, None)) == (None, None)


def test_reshape_and_errors():
    r = layers.Reshape((-1, 2))
    assert r(torch.zeros(5, 3, 4)).shape == (5, 6, 2)
    assert r.compute_output_shape((None, 3, 4)) == (None, 6, 2)
    with pytest.raises(ValueError, match="total size"):
        layers.Reshape((5,)).compute_output_shape((None, 3, 4))
    with pytest.raises(ValueError, match="total size"):
        layers.Reshape((5,))(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="at most one"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((0, 3))


def test_permute_and_errors():
    x = torch.randn(2, 3, 4, 5)
    assert torch.equal(layers.Permute((3, 1, 2))(x), x.permute(0, 3, 1, 2))
    with pytest.raises(ValueError, match="consecutive and start from 1"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="ndim=3"):
        layers.Permute((2, 1))(x)


def test_dropout_follows_train_eval_and_training_argument():
    drop = layers.Dropout(0.5)
    x = torch.ones(1000, 100)
    drop.eval()
    assert torch.equal(drop(x), x)
    out = drop(x, training=True)
    zero_fraction = (out == 0).float().mean().item()
    assert 0.47 < zero_fraction < 0.53
    assert set(out.unique().tolist()) == {0.0, 2.0}
    drop.train()
    assert (drop(x) == 0).any()
    assert torch.equal(drop(x, training=False), x)


def test_dropout_noise_shape_shares_mask_and_seed_repeats():
    drop = layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=3)
    out = drop(torch.ones(4, 5, 6), training=True)
    assert torch.equal(out, out[:, :1, :].expand_as(out))  # one mask along axis 1
    a = layers.Dropout(0.4, seed=11)(torch.ones(50, 50), training=True)
    b = layers.Dropout(0.4, seed=11)(torch.ones(50, 50), training=True)
    assert torch.equal(a, b)


@pytest.mark.parametrize("rate", [-0.1, 1.5, "0.5"])
def test_dropout_invalid_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(rate)


def test_activation_values():
    x = torch.tensor([-3.0, -1.0, 0.0, 1.0, 3.0])
    hs = layers.Activation("hard_sigmoid")(x)
    assert hs.tolist() == [0.0, pytest.approx(2 / 6), 0.5, pytest.approx(4 / 6), 1.0]
    assert layers.Activation("relu")(x).tolist() == [0, 0, 0, 1, 3]
    assert layers.Activation(None)(x) is x
    with pytest.raises(ValueError, match="Could not interpret activation"):
        layers.Activation("reluu")


def test_gelu_is_exact_by_default():
    x = torch.tensor([0.5])
    assert keras.activations.gelu(x).item() == pytest.approx(0.5 * 0.5 * (1 + torch.erf(torch.tensor(0.5 / 2 ** 0.5))).item())
    assert keras.activations.gelu(x, approximate=True).item() != keras.activations.gelu(x).item()


def test_relu_options_hand_computed():
    x = torch.tensor([-2.0, 0.5, 1.5, 8.0])
    out = keras.activations.relu(x, negative_slope=0.1, max_value=6.0, threshold=1.0)
    # Keras: x > threshold kept (capped at 6), else 0; minus slope * relu(-x + threshold)
    assert out.tolist() == pytest.approx([-0.3, -0.05, 1.5, 6.0])


def test_lambda_layer():
    lam = layers.Lambda(lambda x, k: x * k, arguments={"k": 3.0})
    assert lam(torch.ones(2, 2)).tolist() == [[3.0, 3.0]] * 2
    inp = keras.Input((4,))
    assert lam(inp).shape == (None, 4)
    assert layers.Lambda(lambda x: x[:, :2], output_shape=(2,))(inp).shape == (None, 2)
