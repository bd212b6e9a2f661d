"""EinsumDense and the attention layers without TensorFlow: shapes worked out by hand, Keras's
equations, errors, configs, which attention path runs, and values computed by hand."""

import math

import pytest
import torch

from kerascompat import layers
from kerascompat.layers.attention import _common
from kerascompat.layers.core.einsum_dense import analyze_einsum


def test_analyze_einsum_sequence_dense():
    kernel, bias, out, in_axes, out_axes = analyze_einsum("abc,cd->abd", "d", (None, 4, 5), (None, 6))
    assert (kernel, bias, out, in_axes, out_axes) == ([5, 6], [6], [None, 4, 6], [0], [1])


def test_analyze_einsum_left_ellipsis_keeps_leading_axes():
    kernel, bias, out, _, _ = analyze_einsum("...b,bc->...c", "c", (2, 3, 4, 5), (7,))
    assert kernel == [5, 7] and bias == [7] and out == [2, 3, 4, 7]


def test_analyze_einsum_right_ellipsis_pads_bias_with_ones():
    kernel, bias, out, _, _ = analyze_einsum("ab...,bc->ac...", "c", (2, 5, 3), (7,))
    assert kernel == [5, 7] and bias == [7, 1] and out == [2, 7, 3]


def test_analyze_einsum_partial_bias_spans_from_first_bias_axis():
    _, bias, _, _, _ = analyze_einsum("abc,cde->abde", "d", (None, 4, 5), (None, 2, 3))
    assert bias == [2, 1]


@pytest.mark.parametrize("equation", ["ab->b", "ab,bc", "a...b,bc->ac"])
def test_einsum_dense_rejects_malformed_equations(equation):
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        layers.EinsumDense(equation, 3)


def test_einsum_dense_unsupported_arguments_raise():
    with pytest.raises(NotImplementedError, match="`lora_rank`"):
        layers.EinsumDense("ab,bc->ac", 3, lora_rank=2)
    with pytest.raises(NotImplementedError, match="`quantization_config`"):
        layers.EinsumDense("ab,bc->ac", 3, quantization_config={"mode": "int8"})


def test_einsum_dense_matches_matmul_and_exposes_keras_weights():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de")
    x = torch.randn(2, 4, 5)
    y = layer(x)
    kernel, bias = layer.get_weights()
    assert kernel.shape == (5, 2, 3) and bias.shape == (2, 3) and y.shape == (2, 4, 2, 3)
    expected = (x.reshape(8, 5) @ torch.from_numpy(kernel).reshape(5, 6)).reshape(2, 4, 2, 3) + torch.from_numpy(bias)
    torch.testing.assert_close(y, expected)


def test_einsum_dense_config_round_trip():
    layer = layers.EinsumDense("ab,bc->ac", 4, bias_axes="c", activation="relu", name="ed")
    clone = layers.EinsumDense.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert layer.get_config()["output_shape"] == (4,)


def test_einsum_dense_glorot_fans_follow_the_equation():
    # fan_in = 5 (contracted axis), fan_out = 2 * 3: the limit is sqrt(6 / 11), not the conv-style fans.
    torch.manual_seed(0)
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3))
    layer.build((None, 4, 5))
    limit = math.sqrt(6.0 / (5 + 6))
    assert layer.kernel.abs().max().item() <= limit
    assert layer.kernel.abs().max().item() > 0.8 * limit


def test_attention_equations_for_one_and_two_axes():
    assert _common.build_attention_equation(4, (1,))[:2] == ("aecd,abcd->acbe", "acbe,aecd->abcd")
    dot, combine, rank = _common.build_attention_equation(5, (1, 2))
    assert (dot, combine, rank) == ("afgde,abcde->adbcfg", "adbcfg,afgde->abcde", 6)


def test_proj_equation():
    assert _common.build_proj_equation(2, 1, 2) == ("abc,cde->abde", "de", 4)


def test_mha_weight_names_shapes_and_order():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4)
    mha(torch.randn(2, 5, 6), torch.randn(2, 7, 8))
    shapes = [w.shape for w in mha.get_weights()]
    assert shapes == [(6, 2, 3), (2, 3), (8, 2, 3), (2, 3), (8, 2, 4), (2, 4), (2, 4, 6), (6,)]
    assert [w.path for w in mha.weights][:2] == ["query/kernel", "query/bias"]


def test_mha_paths():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    mha.eval()
    x = torch.randn(2, 5, 6)
    mha(x, x)
    assert mha.last_path == "fused"
    _, scores = mha(x, x, return_attention_scores=True)
    assert mha.last_path == "explicit" and scores.shape == (2, 2, 5, 5)
    image = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    image(torch.randn(2, 3, 4, 6), torch.randn(2, 3, 4, 6))
    assert image.last_path == "explicit"


def test_mha_fused_and_explicit_paths_agree_with_masks():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    mha.eval()
    q, v = torch.randn(2, 4, 6), torch.randn(2, 5, 6)
    mask = torch.rand(2, 4, 5) > 0.3
    mask[:, :, 0] = True  # no fully masked row (the two Keras paths differ there)
    fused = mha(q, v, attention_mask=mask, use_causal_mask=True)
    explicit, _ = mha(q, v, attention_mask=mask, use_causal_mask=True, return_attention_scores=True)
    torch.testing.assert_close(fused, explicit)


def test_mha_fully_masked_row_attends_uniformly_without_dropout():
    # Keras's dot-product attention: a query that may attend nowhere gets the mean of the values.
    mha = layers.MultiHeadAttention(num_heads=1, key_dim=2, use_bias=False)
    mha.eval()
    q, v = torch.randn(1, 2, 2), torch.randn(1, 3, 2)
    mha(q, v)
    eye = torch.eye(2).reshape(2, 1, 2)
    mha.set_weights([eye.numpy(), eye.numpy(), eye.numpy(), eye.reshape(1, 2, 2).numpy()])
    mask = torch.tensor([[[True, True, True], [False, False, False]]])
    out = mha(q, v, attention_mask=mask)
    torch.testing.assert_close(out[0, 1], v[0].mean(0))


def test_mha_output_carries_query_mask_and_removes_input_masks():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    x = torch.randn(2, 4, 6)
    mask = torch.tensor([[True, True, False, False], [True] * 4])
    x._keras_mask = mask
    out = mha(x, x)
    assert out._keras_mask is mask and not hasattr(x, "_keras_mask")


def test_mha_explicit_query_mask_warns():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    x = torch.randn(2, 4, 6)
    with pytest.warns(UserWarning, match="query_mask"):
        mha(x, x, query_mask=torch.ones(2, 4, dtype=torch.bool))


def test_mha_argument_errors():
    with pytest.raises(ValueError, match="num_heads"):
        layers.MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match="Dropout is not supported when flash attention"):
        layers.MultiHeadAttention(2, 2, dropout=0.1, flash_attention=True)
    with pytest.raises(ValueError, match="sliding_window"):
        layers.MultiHeadAttention(2, 2, sliding_window=0)
    mha = layers.MultiHeadAttention(2, 2)
    with pytest.raises(ValueError, match="value"):
        mha(torch.randn(2, 3, 4), torch.randn(2, 5, 4), key=torch.randn(2, 6, 4))


def test_mha_config_round_trip_and_build_config():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, output_shape=5, attention_axes=-2, seed=1)
    assert mha.get_config()["attention_axes"] == (-2,)
    mha(torch.randn(2, 4, 6), torch.randn(2, 4, 6))
    config = mha.get_config()
    assert config["attention_axes"] == (1,) and config["output_shape"] == (5,)
    clone = layers.MultiHeadAttention.from_config(config)
    clone.build_from_config(mha.get_build_config())
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in mha.get_weights()]


def test_mha_dropout_is_active_only_in_training():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=0)
    x = torch.randn(2, 4, 6)
    mha.eval()
    torch.testing.assert_close(mha(x, x), mha(x, x))
    assert not torch.allclose(mha(x, x, training=True), mha(x, x, training=False))


def test_gqa_shares_key_value_heads():
    gqa = layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2)
    gqa.eval()
    x = torch.randn(2, 5, 6)
    fused = gqa(x, x)
    assert gqa.last_path == "fused"
    explicit, scores = gqa(x, x, return_attention_scores=True)
    torch.testing.assert_close(fused, explicit)
    assert scores.shape == (2, 4, 5, 5)
    assert [w.shape for w in gqa.get_weights()][:4] == [(6, 4, 2), (4, 2), (6, 2, 2), (2, 2)]
    with pytest.raises(ValueError, match="divisible"):
        layers.GroupQueryAttention(2, 3, 2)


def test_attention_dot_by_hand():
    layer = layers.Attention()
    q = torch.tensor([[[1.0, 0.0]]])
    v = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    out = layer([q, v])
    w = torch.softmax(torch.tensor([1.0, 0.0]), 0)
    torch.testing.assert_close(out[0, 0], w[0] * v[0, 0] + w[1] * v[0, 1])


def test_attention_layer_errors_and_config():
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="add")
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Attention()(torch.randn(2, 3, 4))
    config = layers.AdditiveAttention(dropout=0.1).get_config()
    assert "score_mode" not in config and config["use_scale"] is True


def test_mha_dropout_path_and_seed():
    x = torch.randn(2, 4, 6)
    unseeded = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5)
    unseeded(x, x, training=True)
    assert unseeded.last_path == "fused"  # torch's kernel applies the dropout
    seeded = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=7)
    first = seeded(x, x, training=True)
    assert seeded.last_path == "explicit"  # the seeded masks come from the layer's own generator
    again = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=7)
    again.build((2, 4, 6), (2, 4, 6))
    again.set_weights(seeded.get_weights())
    torch.testing.assert_close(again(x, x, training=True), first)
