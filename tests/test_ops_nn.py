"""keras.ops nn functions: hand-computed values, input kinds, devices and errors (no TensorFlow)."""

import numpy as np
import pytest
import torch

from kerascompat import keras
from kerascompat import ops


def test_ops_namespace_is_reachable_from_keras():
    assert keras.ops is ops
    assert keras.ops.relu is ops.nn.relu
    from kerascompat.keras.ops import softmax

    assert softmax is ops.softmax


def test_python_numbers_and_lists_become_keras_dtypes():
    assert ops.relu(-2.5).dtype == torch.float32
    assert ops.relu(3).dtype == torch.int32
    assert ops.relu([1, -2]).tolist() == [1, 0]
    assert ops.relu(np.array([1.0, -1.0])).dtype == torch.float64
    assert ops.sigmoid(np.array([0, 1])).dtype == torch.float32


def test_activation_values_by_hand():
    x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
    assert ops.sparse_sigmoid(x).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert ops.sparse_plus(x).tolist() == [0.0, 0.0625, 0.25, 0.5625, 2.0]
    assert ops.hard_sigmoid(torch.tensor([-3.0, 0.0, 3.0])).tolist() == [0.0, 0.5, 1.0]
    assert ops.threshold(x, 0.0, -9.0).tolist() == [-9.0, -9.0, -9.0, 0.5, 2.0]
    assert ops.leaky_relu(torch.tensor([-1.0])).item() == pytest.approx(-0.2)  # Keras's default slope
    assert ops.squareplus(torch.tensor([0.0])).item() == pytest.approx(1.0)  # (0 + sqrt(0 + 4)) / 2
    # Keras's gelu defaults to the tanh approximation.
    approx = 0.5 * (1 + np.tanh(np.sqrt(2 / np.pi) * (1 + 0.044715)))
    assert ops.gelu(torch.tensor([1.0])).item() == pytest.approx(approx, rel=1e-6)


def test_softmax_over_several_axes_sums_to_one_over_them():
    y = ops.softmax(torch.randn(2, 3, 4), axis=(1, 2))
    torch.testing.assert_close(y.sum((1, 2)), torch.ones(2))


def test_glu_rejects_odd_axis():
    with pytest.raises(ValueError, match="divisible by 2"):
        ops.glu(torch.ones(2, 3))


def test_conv_same_padding_puts_the_odd_cell_at_the_end():
    # 1-D input [1, 2, 3, 4], kernel [1, 1], 'same': TF pads (0, 1) -> [3, 5, 7, 4].
    x = torch.tensor([1.0, 2.0, 3.0, 4.0]).reshape(1, 4, 1)
    k = torch.ones(2, 1, 1)
    assert ops.conv(x, k, padding="same").flatten().tolist() == [3.0, 5.0, 7.0, 4.0]


def test_average_pool_same_divides_by_real_cells():
    x = torch.tensor([1.0, 2.0, 3.0]).reshape(1, 3, 1)
    assert ops.average_pool(x, 2, 2, "same").flatten().tolist() == [1.5, 3.0]
    assert ops.max_pool(-x, 2, 2, "same").flatten().tolist() == [-1.0, -3.0]


def test_conv_argument_errors():
    x = torch.ones(1, 4, 4, 2)
    with pytest.raises(ValueError, match="`padding`"):
        ops.conv(x, torch.ones(2, 2, 2, 3), padding="full")
    with pytest.raises(ValueError, match="`data_format`"):
        ops.conv(x, torch.ones(2, 2, 2, 3), data_format="NHWC")
    with pytest.raises(ValueError, match="`strides`"):
        ops.conv(x, torch.ones(2, 2, 2, 3), strides=(1, 2, 3))
    with pytest.raises(ValueError, match="inputs"):
        ops.max_pool(torch.ones(4, 4), 2)


def test_depth_to_space_is_tensorflows_channel_order():
    # TF: output[0, i, j, 0] = input[0, 0, 0, i * 2 + j] for block 2 and one output channel.
    x = torch.arange(4.0).reshape(1, 1, 1, 4)
    assert ops.depth_to_space(x, 2).flatten().tolist() == [0.0, 1.0, 2.0, 3.0]
    torch.testing.assert_close(ops.space_to_depth(ops.depth_to_space(torch.randn(2, 3, 3, 8), 2), 2).shape,
                               torch.Size([2, 3, 3, 8]))


def test_one_hot_out_of_range_is_zero_and_sparse_is_refused():
    assert ops.one_hot([1, -1, 3], 3).tolist() == [[0, 1, 0], [0, 0, 0], [0, 0, 0]]
    assert ops.one_hot([1], 3).dtype == torch.float32
    with pytest.raises(NotImplementedError, match="`sparse`"):
        ops.one_hot([1], 3, sparse=True)
    assert ops.multi_hot([[0, 2], [1, 1]], num_tokens=3).tolist() == [[1, 0, 1], [0, 1, 0]]
    with pytest.raises(ValueError, match="`num_classes`"):
        ops.multi_hot([1, 2])


def test_crossentropies_by_hand():
    assert ops.binary_crossentropy([1.0], [0.5]).item() == pytest.approx(np.log(2))
    assert ops.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).item() == pytest.approx(np.log(2))
    assert ops.sparse_categorical_crossentropy([1], [[0.0, 0.0]], from_logits=True).item() == pytest.approx(np.log(2))
    with pytest.raises(ValueError, match="axis=-1"):
        ops.sparse_categorical_crossentropy([[1]], [[0.0, 0.0]], axis=0)


def test_ctc_decode_greedy_merges_repeats_and_drops_blanks():
    # argmax per step: 1 1 0 1 2 2 -> merged 1 _ 1 2 -> [1, 1, 2]
    path = [1, 1, 0, 1, 2, 2]
    logits = torch.nn.functional.one_hot(torch.tensor([path]), 3).float()
    decoded, scores = ops.ctc_decode(logits, [6])
    assert decoded.tolist() == [[[1, 1, 2, -1, -1, -1]]]
    assert scores.tolist() == [[-6.0]]
    with pytest.raises(NotImplementedError, match="beam_search"):
        ops.ctc_decode(logits, [6], strategy="beam_search")


def test_moments_and_normalize_by_hand():
    mean, var = ops.moments(torch.tensor([1.0, 2.0, 3.0, 4.0]), axes=[0])
    assert (mean.item(), var.item()) == (2.5, 1.25)
    with pytest.raises(NotImplementedError, match="`synchronized`"):
        ops.moments(torch.ones(2), [0], synchronized=True)
    assert ops.normalize(torch.tensor([3.0, 4.0])).tolist() == pytest.approx([0.6, 0.8])
    with pytest.raises(ValueError, match="`order`"):
        ops.normalize(torch.ones(2), order=0)


def test_dot_product_attention_layout_and_soft_cap():
    q = torch.randn(2, 5, 3, 4)
    out = ops.dot_product_attention(q, q, q)
    assert out.shape == (2, 5, 3, 4)
    # one key position: the output is its value
    v = torch.randn(1, 1, 1, 4)
    torch.testing.assert_close(ops.dot_product_attention(torch.randn(1, 3, 1, 4), torch.randn(1, 1, 1, 4), v),
                               v.expand(1, 3, 1, 4))
    with pytest.raises(NotImplementedError, match="`attn_logits_soft_cap`"):
        ops.dot_product_attention(q, q, q, attn_logits_soft_cap=50.0)


def test_results_follow_the_torch_input_device():
    x = torch.randn(1, 4, 4, 2, device="meta")
    assert ops.conv(x, np.ones((2, 2, 2, 3), "float32")).device.type == "meta"
