"""Embedding and the activation layers: hand-computed values, masks, errors, torch internals."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers

TABLE = np.arange(12, dtype="float32").reshape(4, 3) / 10  # row i = [3i, 3i+1, 3i+2] / 10


def _embedding(**kwargs):
    e = layers.Embedding(4, 3, weights=TABLE, **kwargs)
    return e


# ------------------------------------------------------------------------------ Embedding
def test_embedding_looks_up_rows_for_every_integer_dtype():
    e = _embedding()
    for dtype in (torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64):
        out = e(torch.tensor([[2, 0], [3, 3]], dtype=dtype))
        assert out.dtype == torch.float32
        np.testing.assert_allclose(out.detach().numpy(),
                                   [[[0.6, 0.7, 0.8], [0.0, 0.1, 0.2]], [[0.9, 1.0, 1.1], [0.9, 1.0, 1.1]]], rtol=1e-6)


def test_embedding_casts_float_inputs_to_int32_like_keras():
    e = _embedding()
    # Keras casts to int32: truncation toward zero (2.9 -> 2), and no float32 rounding on the way.
    out = e(np.array([[2.9, 1.0]], dtype="float64"))
    np.testing.assert_allclose(out.detach().numpy()[0, 0], [0.6, 0.7, 0.8], rtol=1e-6)
    out = e(np.array([2.9999999999], dtype="float64"))
    np.testing.assert_allclose(out.detach().numpy()[0], [0.6, 0.7, 0.8], rtol=1e-6)


def test_embedding_weight_is_an_nn_embedding_in_keras_layout():
    e = _embedding()
    assert isinstance(e.embedding, torch.nn.Embedding)
    assert e.embedding.weight.shape == (4, 3)
    assert e.embeddings is e.embedding.weight
    [w] = e.get_weights()
    np.testing.assert_array_equal(w, TABLE)
    assert [v.name for v in e.weights] == ["embeddings"]
    # The state dict loads into a plain nn.Embedding and gives the same lookups.
    plain = torch.nn.Embedding(4, 3)
    plain.load_state_dict({k.split(".", 1)[1]: v for k, v in e.state_dict().items()})
    idx = torch.tensor([[1, 3, 0]])
    torch.testing.assert_close(plain(idx), e(idx))


def test_embedding_default_initializer_is_uniform_005():
    torch.manual_seed(0)
    e = layers.Embedding(200, 50)
    e.build((None, 5))
    w = e.get_weights()[0]
    assert w.shape == (200, 50)
    assert -0.05 <= w.min() < -0.04 and 0.04 < w.max() <= 0.05
    assert e.get_config()["embeddings_initializer"]["config"] == {"minval": -0.05, "maxval": 0.05, "seed": None}


def test_embedding_mask_zero_produces_the_mask():
    e = _embedding(mask_zero=True)
    x = torch.tensor([[1, 2, 0, 0], [3, 0, 1, 0]])
    out = e(x)
    assert out._keras_mask.tolist() == [[True, True, False, False], [True, False, True, False]]
    assert e.compute_mask(x).tolist() == out._keras_mask.tolist()
    assert getattr(_embedding()(x), "_keras_mask", None) is None
    assert _embedding().compute_mask(x) is None


def test_embedding_mask_reaches_global_average_pooling():
    e = _embedding(mask_zero=True)
    pool = layers.GlobalAveragePooling1D()
    out = pool(e(torch.tensor([[1, 2, 0, 0]])))
    # Mean of rows 1 and 2 only: [(0.3+0.6)/2, (0.4+0.7)/2, (0.5+0.8)/2].
    np.testing.assert_allclose(out.detach().numpy(), [[0.45, 0.55, 0.65]], rtol=1e-6)
    unmasked = pool(_embedding()(torch.tensor([[1, 2, 0, 0]])))
    np.testing.assert_allclose(unmasked.detach().numpy(), [[0.225, 0.325, 0.425]], rtol=1e-6)


def test_embedding_mask_makes_lstm_skip_padding_in_a_model():
    inputs = keras.Input(shape=(None,), dtype="int32")
    h = layers.Embedding(4, 3, mask_zero=True)(inputs)
    model = keras.Model(inputs, layers.LSTM(2)(h))
    short = model(np.array([[1, 2, 0, 0, 0]]))
    shorter = model(np.array([[1, 2]]))
    torch.testing.assert_close(short, shorter)


def test_embedding_symbolic_shapes_and_config_round_trip():
    inputs = keras.Input(shape=(6,), dtype="int32")
    out = layers.Embedding(10, 4)(inputs)
    assert tuple(out.shape) == (None, 6, 4)
    assert out.dtype == "float32"
    e = layers.Embedding(10, 4, mask_zero=True, embeddings_regularizer="l2", name="emb")
    clone = layers.Embedding.from_config(e.get_config())
    assert clone.mask_zero and clone.input_dim == 10 and clone.output_dim == 4 and clone.name == "emb"
    assert clone.get_config() == e.get_config()


def test_embedding_regularizer_and_constraint():
    e = layers.Embedding(4, 3, weights=TABLE, embeddings_regularizer=keras.regularizers.L2(0.5),
                         embeddings_constraint=keras.constraints.NonNeg())
    e(torch.tensor([[0]]))
    torch.testing.assert_close(sum(e.losses), torch.tensor(0.5 * float((TABLE ** 2).sum())))
    with torch.no_grad():
        e.embedding.weight[0, 0] = -1.0
    e.apply_constraints()
    assert e.get_weights()[0][0, 0] == 0.0


def test_embedding_input_length_is_accepted_with_keras_warning():
    with pytest.warns(UserWarning, match="input_length"):
        e = layers.Embedding(4, 3, input_length=5)
    assert e(torch.tensor([[1, 2, 3, 0, 1]])).shape == (1, 5, 3)


@pytest.mark.parametrize("kwargs, arg", [({"sparse": True}, "sparse"), ({"lora_rank": 4}, "lora_rank"),
                                         ({"quantization_config": "int8"}, "quantization_config")])
def test_embedding_unsupported_arguments(kwargs, arg):
    with pytest.raises(NotImplementedError, match=f"`{arg}`.*Received: `?{arg}`?="):
        layers.Embedding(4, 3, **kwargs)


@pytest.mark.parametrize("kwargs, arg", [({"input_dim": 0, "output_dim": 3}, "input_dim"),
                                         ({"input_dim": 4, "output_dim": 2.0}, "output_dim"),
                                         ({"input_dim": True, "output_dim": 3}, "input_dim")])
def test_embedding_rejects_bad_sizes(kwargs, arg):
    with pytest.raises(ValueError, match=f"`{arg}`.*Received: `{arg}`="):
        layers.Embedding(**kwargs)


def test_embedding_weights_of_wrong_shape_raise():
    with pytest.raises(ValueError):
        layers.Embedding(4, 3, weights=np.zeros((3, 3), dtype="float32"))


# ------------------------------------------------------------------------ activation layers
X = torch.tensor([[-2.0, -0.5, 0.5, 3.0, 8.0]])


def test_relu_hand_computed():
    np.testing.assert_allclose(layers.ReLU()(X).numpy(), [[0, 0, 0.5, 3, 8]])
    np.testing.assert_allclose(layers.ReLU(max_value=6.0)(X).numpy(), [[0, 0, 0.5, 3, 6]])
    np.testing.assert_allclose(layers.ReLU(max_value=2.0)(X).numpy(), [[0, 0, 0.5, 2, 2]])
    np.testing.assert_allclose(layers.ReLU(negative_slope=0.1)(X).numpy(), [[-0.2, -0.05, 0.5, 3, 8]], rtol=1e-6)
    # x <= threshold -> 0 (no slope): 0.5 is not above 1.
    np.testing.assert_allclose(layers.ReLU(threshold=1.0)(X).numpy(), [[0, 0, 0, 3, 8]])
    # all three: slope * (x - threshold) below it, cap above.
    np.testing.assert_allclose(layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=1.0)(X).numpy(),
                               [[-0.3, -0.15, -0.05, 3, 6]], rtol=1e-6)


def test_leaky_relu_default_and_keras2_alpha():
    np.testing.assert_allclose(layers.LeakyReLU()(X).numpy(), [[-0.6, -0.15, 0.5, 3, 8]], rtol=1e-6)
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = layers.LeakyReLU(alpha=0.5)
    assert layer.negative_slope == 0.5
    assert layer.get_config()["negative_slope"] == 0.5 and "alpha" not in layer.get_config()
    np.testing.assert_allclose(layer(X).numpy(), [[-1.0, -0.25, 0.5, 3, 8]])


def test_elu_hand_computed():
    expected = [[0.5 * (np.exp(-2.0) - 1), 0.5 * (np.exp(-0.5) - 1), 0.5, 3, 8]]
    np.testing.assert_allclose(layers.ELU(alpha=0.5)(X).numpy(), expected, rtol=1e-6)
    assert layers.ELU.from_config(layers.ELU(alpha=0.5).get_config()).alpha == 0.5


def test_prelu_weight_shape_and_values():
    p = layers.PReLU(alpha_initializer="zeros", shared_axes=[1, 2])
    x = torch.tensor([[[[-1.0, 2.0, -3.0]] * 2] * 4])  # (1, 4, 2, 3)
    p(x)
    assert p.alpha.shape == (1, 1, 3) and isinstance(p.alpha, torch.nn.Parameter)
    assert [tuple(w.shape) for w in p.get_weights()] == [(1, 1, 3)]
    p.set_weights([np.array([[[0.1, 0.2, 0.3]]], dtype="float32")])
    out = p(x)
    np.testing.assert_allclose(out[0, 0, 0].detach().numpy(), [-0.1, 2.0, -0.9], rtol=1e-6)
    assert layers.PReLU(shared_axes=2).shared_axes == [2]
    full = layers.PReLU()
    full(torch.zeros(2, 4, 5))
    assert full.alpha.shape == (4, 5)
    with pytest.raises(ValueError, match="incompatible"):
        full(torch.zeros(2, 4, 6))


def test_softmax_axis_and_mask():
    x = torch.tensor([[1.0, 2.0, 3.0]])
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(layers.Softmax()(x).numpy(), [e / e.sum()], rtol=1e-6)
    out = layers.Softmax()(x, mask=torch.tensor([[True, False, True]]))
    np.testing.assert_allclose(out.numpy(), [[e[0] / (e[0] + e[2]), 0.0, e[2] / (e[0] + e[2])]], rtol=1e-6)
    # A float mask keeps the positions > 0.5; a fully masked row is all zeros.
    out = layers.Softmax()(x, mask=torch.tensor([[0.2, 0.4, 0.1]]))
    assert out.tolist() == [[0.0, 0.0, 0.0]]
    # Two axes: normalised over both together.
    y = torch.log(torch.tensor([[[1.0, 2.0], [3.0, 4.0]]]))
    np.testing.assert_allclose(layers.Softmax(axis=[1, 2])(y).numpy(), [[[0.1, 0.2], [0.3, 0.4]]], rtol=1e-6)
    with pytest.raises(ValueError, match="broadcastable"):
        layers.Softmax()(x, mask=torch.ones(1, 2, dtype=torch.bool))


@pytest.mark.parametrize("make, error, arg", [
    (lambda: layers.ReLU(max_value=-1.0), ValueError, "max_value"),
    (lambda: layers.ReLU(negative_slope=-0.1), ValueError, "negative_slope"),
    (lambda: layers.ReLU(threshold=None), ValueError, "threshold"),
    (lambda: layers.ReLU(threshold="a"), TypeError, "threshold"),
    (lambda: layers.LeakyReLU(negative_slope=-1.0), ValueError, "negative_slope"),
    (lambda: layers.LeakyReLU(negative_slope=None), ValueError, "negative_slope"),
    (lambda: layers.ELU(alpha="1"), TypeError, "alpha"),
    (lambda: layers.PReLU(shared_axes=[0]), ValueError, "shared_axes"),
    (lambda: layers.Softmax(axis="last"), TypeError, "axis"),
])
def test_activation_layer_argument_errors(make, error, arg):
    with pytest.raises(error, match=f"`{arg}`.*Received: `{arg}`="):
        make()


def test_activation_layers_pass_masks_on_and_round_trip_configs():
    x = torch.randn(2, 4, 3)
    mask = torch.tensor([[True, True, False, False], [True, False, False, False]])
    for layer in (layers.ReLU(max_value=2.0), layers.LeakyReLU(0.1), layers.ELU(0.7), layers.PReLU(shared_axes=[1])):
        out = layer(layers.Masking()(x * mask[..., None]))
        assert out._keras_mask.tolist() == mask.tolist(), type(layer).__name__
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
    # Softmax takes the incoming (batch, steps) mask as its `mask` argument, which must broadcast
    # to the (batch, steps, features) inputs: tf.keras raises here too.
    with pytest.raises(ValueError, match="broadcastable"):
        layers.Softmax()(layers.Masking()(x * mask[..., None]))
    softmax = layers.Softmax(axis=[1, 2])
    assert type(softmax).from_config(softmax.get_config()).axis == [1, 2]
