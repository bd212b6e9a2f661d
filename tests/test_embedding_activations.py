"""Embedding and the activation layers: hand-computed values, masks, errors, torch internals."""

import warnings

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
