"""ConvLSTM1D/2D/3D without TensorFlow: torch-native weights, equivalence with LSTM for 1x1
kernels, Keras's dropout masks, states, masks, copies, shapes, configs and errors."""

import numpy as np
import pytest
import torch
from torch import nn

import kerascompat as keras
from kerascompat import layers

from test_convolutional import BATCH, activation_copies


def test_weights_are_torch_convolutions_in_keras_order():
    layer = layers.ConvLSTM2D(4, (2, 3))
    layer.build((None, 5, 7, 6, 3))
    cell = layer.cell
    assert isinstance(cell.input_conv, nn.Conv2d) and isinstance(cell.recurrent_conv, nn.Conv2d)
    assert cell.input_conv.weight.shape == (16, 3, 2, 3) and cell.recurrent_conv.weight.shape == (16, 4, 2, 3)
    assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert [w.shape for w in layer.get_weights()] == [(2, 3, 3, 16), (2, 3, 4, 16), (16,)]
    assert sorted(layer.state_dict()) == ["cell.input_conv.bias", "cell.input_conv.weight",
                                         "cell.recurrent_conv.weight"]
    kernel = layer.get_weights()[0]
    np.testing.assert_array_equal(kernel, cell.input_conv.weight.detach().numpy().transpose(2, 3, 1, 0))
    # unit_forget_bias: gates i, f, c, o with the forget block at one.
    np.testing.assert_array_equal(layer.get_weights()[2], np.repeat([0.0, 1.0, 0.0, 0.0], 4))


@pytest.mark.parametrize("go_backwards", [False, True])
def test_one_by_one_kernel_is_an_lstm_at_every_pixel(go_backwards):
    conv = layers.ConvLSTM2D(3, 1, return_sequences=True, go_backwards=go_backwards, activation="relu",
                             recurrent_activation="hard_sigmoid")
    x = torch.randn(2, 4, 3, 5, 2)
    conv(x)
    rng = np.random.default_rng(0)
    weights = [w + rng.standard_normal(w.shape).astype("float32") * 0.3 for w in conv.get_weights()]
    conv.set_weights(weights)
    lstm = layers.LSTM(3, return_sequences=True, go_backwards=go_backwards, activation="relu",
                       recurrent_activation="hard_sigmoid")
    lstm.build((None, 4, 2))
    lstm.set_weights([weights[0][0, 0], weights[1][0, 0], weights[2]])
    pixels = x.permute(0, 2, 3, 1, 4).reshape(2 * 3 * 5, 4, 2)
    expected = lstm(pixels).reshape(2, 3, 5, 4, 3).permute(0, 3, 1, 2, 4)
    torch.testing.assert_close(conv(x), expected, rtol=1e-5, atol=1e-6)


def test_channels_first_equals_channels_last():
    last = layers.ConvLSTM1D(3, 3, padding="same", return_sequences=True, return_state=True)
    first = layers.ConvLSTM1D(3, 3, padding="same", return_sequences=True, return_state=True,
                              data_format="channels_first")
    x = torch.randn(2, 4, 7, 2)
    last(x)
    first(x.transpose(2, 3))
    first.set_weights(last.get_weights())
    for a, b in zip(last(x), first(x.transpose(2, 3))):
        torch.testing.assert_close(a, b.transpose(-1, -2), rtol=1e-5, atol=1e-6)


def _identity_cell(dropout=0.0, recurrent_dropout=0.0):
    """A 1x1 ConvLSTM2D with one input channel and one filter whose gate pre-activations are
    x * mask_g (kernel of ones, zero recurrent kernel, no bias)."""
    layer = layers.ConvLSTM2D(1, 1, use_bias=False, dropout=dropout, recurrent_dropout=recurrent_dropout, seed=7)
    layer.build((None, 3, 40, 40, 1))
    layer.set_weights([np.ones((1, 1, 1, 4), "float32"), np.zeros((1, 1, 1, 4), "float32")])
    return layer


def test_input_dropout_is_four_masks_per_gate_shared_by_every_step():
    layer = _identity_cell(dropout=0.4)
    projected, _ = layer.cell.step_function(torch.ones(8, 3, 40, 40, 1), training=True)
    assert projected.shape == (8, 3, 40, 40, 4)
    torch.testing.assert_close(projected[:, 0], projected[:, 2])  # the same masks at every step
    values = projected[:, 0].reshape(-1, 4)
    assert torch.all((values == 0) | torch.isclose(values, torch.tensor(1 / 0.6)))
    dropped = (values == 0).float()
    assert torch.allclose(dropped.mean(0), torch.full((4,), 0.4), atol=0.02)
    # independent gates: P(both dropped) ~ 0.4 ** 2
    assert abs(float((dropped[:, 0] * dropped[:, 1]).mean()) - 0.16) < 0.02
    projected, _ = layer.cell.step_function(torch.ones(8, 3, 40, 40, 1), training=False)
    assert torch.equal(projected, torch.ones_like(projected))


def test_recurrent_dropout_masks_are_drawn_once_per_call():
    layer = _identity_cell(recurrent_dropout=0.5)
    layer.set_weights([np.zeros((1, 1, 1, 4), "float32"), np.ones((1, 1, 1, 4), "float32")])
    _, step = layer.cell.step_function(torch.zeros(2, 3, 40, 40, 1), training=True)
    h = torch.ones(2, 40, 40, 1)
    out1, _ = step(torch.zeros(2, 40, 40, 4), [h, torch.zeros_like(h)])
    out2, _ = step(torch.zeros(2, 40, 40, 4), [h, torch.zeros_like(h)])
    torch.testing.assert_close(out1, out2)  # same masks at both steps
    # with a 0.5 recurrent dropout, the gate inputs are 0 or 2: the output takes few distinct values
    assert len(torch.unique(out1)) <= 16
    _, step_eval = layer.cell.step_function(torch.zeros(2, 3, 40, 40, 1), training=False)
    out_eval, _ = step_eval(torch.zeros(2, 40, 40, 4), [h, torch.zeros_like(h)])
    assert len(torch.unique(out_eval)) == 1 and not torch.equal(out1, out_eval)


def test_seeded_dropout_is_reproducible():
    x = torch.randn(2, 3, 5, 5, 2)
    outs = []
    for _ in range(2):
        torch.manual_seed(0)
        layer = layers.ConvLSTM2D(2, 3, padding="same", dropout=0.5, recurrent_dropout=0.5, seed=11)
        outs.append(layer(x, training=True))
    torch.testing.assert_close(outs[0], outs[1])


def test_masked_steps_carry_the_state():
    layer = layers.ConvLSTM2D(2, 3, padding="same", return_state=True)
    x = torch.randn(2, 5, 4, 4, 2)
    mask = torch.tensor([[True] * 5, [True, True, True, False, False]])
    out, h, c = layer(x, mask=mask)
    _, h_short, c_short = layer(x[1:, :3])
    torch.testing.assert_close(h[1], h_short[0])
    torch.testing.assert_close(c[1], c_short[0])
    torch.testing.assert_close(out[1], h_short[0])


def test_stateful_keeps_and_resets_states():
    layer = layers.ConvLSTM1D(2, 3, padding="same", stateful=True)
    x = torch.randn(2, 6, 5, 1)
    whole = layers.ConvLSTM1D(2, 3, padding="same")
    whole(x)
    layer(x[:, :3])
    layer.set_weights(whole.get_weights())
    layer.reset_states()
    layer(x[:, :3])
    torch.testing.assert_close(layer(x[:, 3:]), whole(x))
    layer.reset_states()
    torch.testing.assert_close(layer(x[:, :3]), whole(x[:, :3]))


def test_initial_state_shapes_are_checked():
    layer = layers.ConvLSTM2D(2, 3, strides=2)
    x = torch.randn(2, 3, 7, 7, 1)
    layer(x, initial_state=[torch.zeros(2, 3, 3, 2), torch.zeros(2, 3, 3, 2)])
    with pytest.raises(ValueError, match="initial state"):
        layer(x, initial_state=[torch.zeros(2, 7, 7, 2), torch.zeros(2, 7, 7, 2)])


def test_symbolic_shapes_with_unknown_time():
    inputs = keras.Input((None, 8, 8, 3))
    seq, h, c = layers.ConvLSTM2D(4, 3, strides=2, padding="same", return_sequences=True, return_state=True)(inputs)
    assert tuple(seq.shape) == (None, None, 4, 4, 4) and tuple(h.shape) == tuple(c.shape) == (None, 4, 4, 4)
    out = layers.ConvLSTM3D(2, 2)(keras.Input((3, 4, 5, 6, 1)))
    assert tuple(out.shape) == (None, 3, 4, 5, 2)
    assert layers.ConvLSTM1D(3, 2, data_format="channels_first").compute_output_shape((None, 4, 2, 9)) == (None, 3, 8)


@pytest.mark.parametrize("name,model,shape", [
    ("convlstm2d", lambda: keras.Sequential([
        keras.Input((4, 8, 8, 3)), layers.ConvLSTM2D(6, 3, padding="same", return_sequences=True),
        layers.ConvLSTM2D(4, 3), layers.Flatten()]), (BATCH, 4, 8, 8, 3)),
    ("convlstm1d", lambda: keras.Sequential([
        keras.Input((4, 9, 3)), layers.ConvLSTM1D(6, 3, padding="same", return_sequences=True), layers.Flatten()]),
     (BATCH, 4, 9, 3)),
])
def test_channels_last_makes_no_activation_copies(name, model, shape):
    assert activation_copies(model(), torch.randn(shape)) == []


@pytest.mark.parametrize("layer", [
    layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True, dropout=0.2, seed=3, kernel_regularizer="l2"),
    layers.ConvLSTM1D(2, 2, strides=2, go_backwards=True, unit_forget_bias=False, recurrent_constraint="non_neg"),
    layers.ConvLSTM3D(2, 2, data_format="channels_first", return_state=True, activity_regularizer="l1"),
])
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    assert "cell" not in config and config["filters"] == layer.filters


def test_config_keys_are_keras():
    keys = set(layers.ConvLSTM2D(2, 3).get_config())
    expected = {
        "name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
        "zero_output_for_mask", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
        "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
        "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
        "recurrent_dropout", "seed"}
    assert keys == expected


@pytest.mark.parametrize("make,match", [
    (lambda: layers.ConvLSTM2D(0, 3), "filters"),
    (lambda: layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2), "dilation_rate"),
    (lambda: layers.ConvLSTM1D(2, 3, padding="causal"), "padding"),
    (lambda: layers.ConvLSTM2D(2, (3, 3, 3)), "kernel_size"),
    (lambda: layers.ConvLSTM2D(2, 3, dropout=1.5), "dropout"),
    (lambda: layers.ConvLSTM2D(2, 3, seed="a"), "seed"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs():
    with pytest.raises(ValueError, match="ndim=5"):
        layers.ConvLSTM2D(2, 3)(torch.randn(2, 3, 5, 5))
    with pytest.raises(ValueError, match="static input shapes"):
        layers.ConvLSTM2D(2, 3)(keras.Input((3, None, 5, 1)))
    layer = layers.ConvLSTM2D(2, 3)
    layer(torch.randn(1, 2, 5, 5, 1))
    with pytest.raises(ValueError, match="incompatible"):
        layer(torch.randn(1, 2, 6, 5, 1))
    with pytest.raises(ValueError, match="zero or negative"):
        layers.ConvLSTM2D(2, 5)(torch.randn(1, 2, 3, 3, 1))


def test_compiles_without_graph_breaks_and_exports():
    model = keras.Sequential([keras.Input((3, 6, 6, 2)), layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True),
                              layers.ConvLSTM2D(2, 3)])
    x = torch.randn(2, 3, 6, 6, 2)
    explanation = torch._dynamo.explain(model)(x)
    assert explanation.graph_break_count == 0 and explanation.graph_count == 1, explanation.break_reasons
    torch._dynamo.reset()
    exported = torch.export.export(model.eval(), (x,))
    torch.testing.assert_close(exported.module()(x), model(x))
