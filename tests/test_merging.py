"""Merging layers: hand-computed values, Keras's broadcast rule, and errors naming the layer."""

import pytest
import torch

import kerascompat as keras
from kerascompat import layers


def test_elementwise_values():
    a, b, c = torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]]), torch.tensor([[2.0, 2.0]])
    assert layers.Add()([a, b, c]).tolist() == [[6.0, 9.0]]
    assert layers.Subtract()([a, b]).tolist() == [[-2.0, 3.0]]
    assert layers.Multiply()([a, b, c]).tolist() == [[6.0, 20.0]]
    assert layers.Average()([a, b, c]).tolist() == [[2.0, 3.0]]
    assert layers.Maximum()([a, b, c]).tolist() == [[3.0, 5.0]]
    assert layers.Minimum()([a, b, c]).tolist() == [[1.0, 2.0]]


def test_lower_rank_input_gets_axes_after_the_batch_axis():
    # (B, 4) with (B, 3, 4): Keras inserts the axis at position 1, not torch's left padding.
    x = torch.arange(24.0).reshape(2, 3, 4)
    y = torch.tensor([[100.0] * 4, [200.0] * 4])
    out = layers.Add()([x, y])
    assert out.shape == (2, 3, 4)
    assert torch.equal(out[1], x[1] + 200)


def test_broadcast_batch_of_two_with_batch_of_two_differs_from_torch_rule():
    # With torch's rule (B, 4) + (B, 2, 4) would broadcast B against the middle axis.
    out = layers.Add()([torch.zeros(2, 4), torch.ones(2, 2, 4)])
    assert out.shape == (2, 2, 4)


def test_concatenate_and_dot_values():
    a, b = torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 4.0]])
    assert layers.Concatenate()([a, b]).tolist() == [[1.0, 2.0, 3.0, 4.0]]
    assert layers.concatenate([a, b], axis=0).shape == (2, 2)
    assert layers.Dot(axes=1)([a, b]).tolist() == [[11.0]]
    cos = layers.Dot(axes=1, normalize=True)([a, b]).item()
    assert cos == pytest.approx(11.0 / (5 ** 0.5 * 25 ** 0.5))
    x, y = torch.randn(2, 3, 5), torch.randn(2, 4, 5)
    torch.testing.assert_close(layers.Dot(axes=(2, 2))([x, y]), torch.einsum("bik,bjk->bij", x, y))


def test_symbolic_output_shapes():
    a, b = keras.Input((3, 4)), keras.Input((4,))
    assert layers.Add()([a, b]).shape == (None, 3, 4)
    assert layers.Concatenate(axis=1)([a, keras.Input((2, 4))]).shape == (None, 5, 4)
    assert layers.Dot(axes=(2, 1))([a, keras.Input((4, 6))]).shape == (None, 3, 6)
    assert layers.Dot(axes=1)([b, keras.Input((4,))]).shape == (None, 1)
    assert layers.Concatenate()([keras.Input((None,)), keras.Input((3,))]).shape == (None, None)


@pytest.mark.parametrize("make,inputs,message", [
    (layers.Add, [torch.zeros(2, 3), torch.zeros(2, 4)], "incompatible shapes"),
    (layers.Add, torch.zeros(2, 3), "list of inputs"),
    (layers.Add, [torch.zeros(2, 3), torch.zeros(3, 3)], "different batch sizes"),
    (layers.Subtract, [torch.zeros(2, 3)] * 3, "exactly 2 inputs"),
    (layers.Concatenate, [torch.zeros(2, 3), torch.zeros(2, 3, 1)], "matching shapes except for the concatenation axis"),
    (lambda: layers.Dot(axes=1), [torch.zeros(2, 3), torch.zeros(2, 4)], r"axis values 3 \(at axis 1\) != 4"),
    (lambda: layers.Dot(axes=0), [torch.zeros(2, 3), torch.zeros(2, 3)], "axis 0"),
])
def test_merge_errors_name_the_problem(make, inputs, message):
    with pytest.raises(ValueError, match=message):
        make()(inputs)


def test_shape_error_on_a_later_eager_call():
    add = layers.Add(name="merge_here")
    add([torch.zeros(2, 3), torch.zeros(2, 3)])
    with pytest.raises(ValueError, match='"merge_here".*incompatible shapes'):
        add([torch.zeros(2, 3), torch.zeros(2, 5)])


def test_dot_argument_validation():
    with pytest.raises(TypeError, match="axes"):
        layers.Dot(axes="1")
    with pytest.raises(ValueError, match="two elements"):
        layers.Dot(axes=(1, 2, 3))


def test_merge_config_round_trip():
    for layer in (layers.Concatenate(axis=2), layers.Dot(axes=(1, 2), normalize=True), layers.Add()):
        assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()
