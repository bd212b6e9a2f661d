"""Recurrent layers without TensorFlow: which path runs, torch-native weights, states, masks, errors."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


def run(layer, shape=(2, 5, 3), **kwargs):
    return layer(torch.randn(shape), **kwargs)


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(4), lambda: layers.GRU(4), lambda: layers.SimpleRNN(4),
    lambda: layers.SimpleRNN(4, activation="relu"), lambda: layers.LSTM(4, dropout=0.5),
])
def test_default_configurations_run_the_fused_module(make):
    layer = make()
    run(layer, training=True)
    assert layer.last_path == "fused"


def test_bidirectional_runs_one_fused_bidirectional_kernel():
    bi = layers.Bidirectional(layers.LSTM(4, return_sequences=True))
    run(bi)
    assert bi.last_path == "fused-bidirectional"
    gru = layers.Bidirectional(layers.GRU(4), merge_mode="sum")
    run(gru)
    assert gru.last_path == "fused-bidirectional"
    masked = layers.Bidirectional(layers.LSTM(4))
    run(masked, mask=torch.tensor([[True] * 5, [True, True, False, False, False]]))
    assert masked.last_path == ("fused", "fused")  # right padding: each direction packed
    run(masked, mask=torch.tensor([[True] * 5, [True, False, True, False, False]]))
    assert masked.last_path == ("loop", "loop")
    custom = layers.Bidirectional(layers.LSTM(4), backward_layer=layers.GRU(4, go_backwards=True))
    run(custom)
    assert custom.last_path == ("fused", "fused")


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_fused_bidirectional_equals_per_direction(merge_mode, return_sequences, kind):
    bi = layers.Bidirectional(getattr(layers, kind)(3, return_sequences=return_sequences, return_state=True),
                              merge_mode=merge_mode)
    x = torch.randn(2, 6, 4)
    states = [torch.randn(2, 3) for _ in range(4 if kind == "LSTM" else 2)]
    fused = bi(x, initial_state=states)
    assert bi.last_path == "fused-bidirectional"
    per_direction = bi(x, initial_state=states, mask=torch.ones(2, 6, dtype=torch.bool))  # a mask: per direction
    assert bi.last_path == ("fused", "fused")
    for a, b in zip(fused, per_direction):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(4, recurrent_dropout=0.2),
    lambda: layers.LSTM(4, activation="relu"),
    lambda: layers.GRU(4, recurrent_activation="hard_sigmoid"),
    lambda: layers.GRU(4, reset_after=False),
    lambda: layers.SimpleRNN(4, activation="sigmoid"),
    lambda: layers.LSTM(4, use_cudnn=False),
])
def test_other_configurations_run_the_cell_loop(make):
    layer = make()
    run(layer)
    assert layer.last_path == "loop"


def test_right_padded_mask_runs_fused_other_masks_run_the_loop():
    layer = layers.LSTM(4)
    run(layer, mask=torch.tensor([[True] * 5, [True, True, False, False, False]]))
    assert layer.last_path == "fused"
    run(layer, mask=torch.tensor([[True] * 5, [True, False, True, False, False]]))
    assert layer.last_path == "loop"
    with pytest.raises(ValueError, match="use_cudnn=True.*recurrent_dropout"):
        layers.LSTM(4, recurrent_dropout=0.1, use_cudnn=True)
    with pytest.raises(ValueError, match="right padding"):
        run(layers.GRU(3, use_cudnn=True), mask=torch.tensor([[True, False, True, True, True]] * 2))


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_packed_fused_path_equals_cell_loop(kind, go_backwards, zero_output):
    mask = torch.tensor([[True] * 6, [True, True, True, False, False, False], [True, False, False, False, False, False]])
    x = torch.randn(3, 6, 4)
    kwargs = dict(return_sequences=True, return_state=True, go_backwards=go_backwards)
    fused = getattr(layers, kind)(5, **kwargs)
    fused.zero_output_for_mask = zero_output
    loop = getattr(layers, kind)(5, use_cudnn=False, **kwargs)
    loop.zero_output_for_mask = zero_output
    out_f = fused(x, mask=mask)
    loop(x)
    loop.set_weights(fused.get_weights())
    out_l = loop(x, mask=mask)
    assert fused.last_path == "fused" and loop.last_path == "loop"
    for a, b in zip(out_f, out_l):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_fused_and_loop_agree():
    fused = layers.GRU(5, return_sequences=True, return_state=True)
    x = torch.randn(3, 7, 4)
    out_f = fused(x)
    loop = layers.GRU(5, return_sequences=True, return_state=True, use_cudnn=False)
    loop(x)
    loop.set_weights(fused.get_weights())
    out_l = loop(x)
    for a, b in zip(out_f, out_l):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_lstm_holds_nn_lstm_and_state_dict_swaps_with_hand_written_torch():
    model = keras.Sequential([keras.Input((6, 3)), layers.LSTM(4, return_sequences=True)])
    lstm = model.layers[0]
    assert isinstance(lstm.rnn, torch.nn.LSTM)
    sd = {k.split("rnn.", 1)[1]: v for k, v in model.state_dict().items()}
    ref = torch.nn.LSTM(3, 4, batch_first=True)
    ref.load_state_dict(sd)
    x = torch.randn(2, 6, 3)
    torch.testing.assert_close(model(x), ref(x)[0])
    assert not ref.bias_hh_l0.any()  # Keras's single bias: torch's second bias is held at zero
    assert not lstm.rnn.bias_hh_l0.requires_grad


def test_lstm_keras_weights_and_unit_forget_bias():
    lstm = layers.LSTM(3)
    run(lstm)
    kernel, recurrent, bias = lstm.get_weights()
    assert kernel.shape == (3, 12) and recurrent.shape == (3, 12) and bias.shape == (12,)
    np.testing.assert_array_equal(bias, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(kernel, lstm.rnn.weight_ih_l0.detach().numpy().T)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-5)  # orthogonal initializer


def test_gru_gate_order_is_reordered():
    gru = layers.GRU(2)
    run(gru)
    kernel = np.arange(18, dtype="float32").reshape(3, 6)  # Keras columns: z z r r h h
    recurrent = np.zeros((2, 6), "float32")
    bias = np.arange(12, dtype="float32").reshape(2, 6)
    gru.set_weights([kernel, recurrent, bias])
    w = gru.rnn.weight_ih_l0.detach().numpy()  # torch rows: r r z z n n
    np.testing.assert_array_equal(w[0:2], kernel[:, 2:4].T)
    np.testing.assert_array_equal(w[2:4], kernel[:, 0:2].T)
    np.testing.assert_array_equal(w[4:6], kernel[:, 4:6].T)
    np.testing.assert_array_equal(gru.rnn.bias_hh_l0.detach().numpy(), [8, 9, 6, 7, 10, 11])
    for got, want in zip(gru.get_weights(), [kernel, recurrent, bias]):
        np.testing.assert_array_equal(got, want)
    assert gru.count_params() == 18 + 12 + 12


def test_return_state_structure_and_symbolic_shapes():
    x = keras.Input((5, 3))
    out, h, c = layers.LSTM(4, return_state=True)(x)
    assert out.shape == (None, 4) and h.shape == (None, 4) and c.shape == (None, 4)
    seq, *states = layers.Bidirectional(layers.GRU(2, return_sequences=True, return_state=True))(x)
    assert seq.shape == (None, 5, 4) and [s.shape for s in states] == [(None, 2), (None, 2)]
    stacked = layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)], return_state=True)(x)
    assert stacked[0].shape == (None, 2)


def test_stateful_keeps_and_resets_states():
    layer = layers.GRU(3, stateful=True)
    x = torch.randn(2, 4, 3)
    first = layer(x)
    second = layer(x)
    assert not torch.allclose(first, second)
    layer.reset_states()
    torch.testing.assert_close(layer(x), first)
    with pytest.raises(ValueError, match="batch size"):
        layer(torch.randn(5, 4, 3))
    with pytest.raises(ValueError, match="stateful=True"):
        layers.LSTM(3, stateful=True)(keras.Input((4, 3)))


def test_initial_state_validation():
    layer = layers.LSTM(4)
    with pytest.raises(ValueError, match="expects 2 initial state"):
        run(layer, initial_state=[torch.zeros(2, 4)])
    with pytest.raises(ValueError, match=r"shape \(2, 5\).*\(2, 4\)"):
        run(layer, initial_state=[torch.zeros(2, 5), torch.zeros(2, 4)])


def test_masked_steps_carry_the_state():
    layer = layers.SimpleRNN(3, return_sequences=True, return_state=True)
    x = torch.randn(1, 4, 2)
    mask = torch.tensor([[True, True, False, False]])
    seq, h = layer(x, mask=mask)
    short_seq, short_h = layer(x[:, :2])
    torch.testing.assert_close(h, short_h)
    torch.testing.assert_close(seq[:, 2], seq[:, 1])  # masked outputs repeat the last one


def test_masking_layer_propagates_to_rnn():
    model = keras.Sequential([keras.Input((None, 2)), layers.Masking(), layers.LSTM(3)])
    x = torch.randn(1, 4, 2)
    x[:, 2:] = 0
    torch.testing.assert_close(model(x), model(x[:, :2]))


def test_user_cell_with_torch_code():
    class Cell(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units
            self.fc = torch.nn.Linear(units * 2, units)

        def call(self, inputs, states):
            out = torch.tanh(self.fc(torch.cat([inputs, states[0]], -1)))
            return out, [out]

    rnn = layers.RNN(Cell(3), return_sequences=True)
    assert rnn(torch.randn(2, 5, 3)).shape == (2, 5, 3)
    assert len(rnn.get_weights()) == 2


@pytest.mark.parametrize("make,message", [
    (lambda: layers.LSTM(0), "units"),
    (lambda: layers.GRU(3, dropout=1.5), "dropout"),
    (lambda: layers.LSTM(3, use_cudnn="maybe"), "use_cudnn"),
    (lambda: layers.RNN(object()), "call"),
    (lambda: layers.Bidirectional(layers.Dense(3)), "recurrent layer"),
    (lambda: layers.Bidirectional(layers.LSTM(3), merge_mode="max"), "merge mode"),
    (lambda: layers.Bidirectional(layers.LSTM(3, return_sequences=True),
                                  backward_layer=layers.LSTM(3, go_backwards=True)), "return_sequences"),
])
def test_invalid_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_wrong_input_shape():
    layer = layers.GRU(3, name="g")
    run(layer)
    with pytest.raises(ValueError, match='"g"'):
        layer(torch.randn(2, 5, 4))
    with pytest.raises(ValueError, match="ndim=3"):
        layers.LSTM(3)(keras.Input((5,)))


@pytest.mark.parametrize("layer", [
    layers.LSTM(3, return_sequences=True, dropout=0.1, recurrent_dropout=0.2, kernel_regularizer="l2",
                unit_forget_bias=False, go_backwards=True),
    layers.GRU(2, reset_after=False, activation="relu", use_cudnn=False),
    layers.SimpleRNN(4, return_state=True),
    layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode="sum"),
    layers.RNN(layers.LSTMCell(3), return_sequences=True),
    layers.RNN([layers.GRUCell(2), layers.SimpleRNNCell(3)]),
    layers.Masking(mask_value=-1.0),
], ids=lambda l: type(l).__name__)
def test_config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


@pytest.mark.parametrize("make", [lambda: layers.LSTM(4), lambda: layers.GRU(4), lambda: layers.GRU(4, reset_after=False),
                                  lambda: layers.SimpleRNN(4, activation="relu")])
def test_layer_cell_shares_the_layers_parameters(make):
    layer = make()
    x = torch.randn(2, 3, 5)
    layer(x)
    cell = layer.cell
    assert type(cell).__name__.endswith("Cell") and cell.units == 4
    for a, b in zip(cell.get_weights(), layer.get_weights()):
        np.testing.assert_array_equal(a, b)
    # One step of the cell from zero states equals the layer on a one-step sequence.
    states = cell.get_initial_state(2)
    step_out, _ = cell(x[:, 0], states)
    torch.testing.assert_close(step_out, layer(x[:, :1]), rtol=1e-5, atol=1e-6)
    assert not any(k.startswith("cell") or "_cell" in k for k in layer.state_dict())
    with torch.no_grad():
        layer.rnn.weight_ih_l0.add_(1.0)
    np.testing.assert_array_equal(cell.get_weights()[0], layer.get_weights()[0])


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(3, return_sequences=True, name="enc"),
    lambda: layers.GRU(3, return_sequences=True, name="enc"),
    lambda: layers.RNN(layers.SimpleRNNCell(3), return_sequences=True, name="enc"),
])
def test_bidirectional_leaves_the_given_layer_unchanged(make):
    layer = make()
    before = layer.get_config()
    bi = layers.Bidirectional(layer)
    assert layer.name == "enc" and layer.zero_output_for_mask is False
    assert layer.get_config() == before
    assert bi.forward_layer is not layer and bi.forward_layer.name == "forward_enc"
    assert bi.backward_layer.name == "backward_enc" and bi.backward_layer.go_backwards
    assert bi.forward_layer.zero_output_for_mask and bi.backward_layer.zero_output_for_mask
    run(bi)
    assert not layer.built


def _my_cell_class():
    class MyCell(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

        def call(self, inputs, states):
            out = torch.tanh(inputs @ self.kernel + states[0] @ self.recurrent_kernel)
            return out, [out]

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return MyCell


def test_nested_user_cells_restore_with_custom_objects():
    MyCell = _my_cell_class()
    x = keras.Input((5, 3))
    h = layers.RNN(MyCell(4), return_sequences=True)(x)
    h = layers.Bidirectional(layers.RNN(MyCell(2), return_sequences=True))(h)
    y = layers.RNN(layers.StackedRNNCells([MyCell(3), MyCell(2)]))(h)
    model = keras.Model(x, y)
    config = model.get_config()
    with pytest.raises(TypeError, match="Could not locate class 'MyCell'"):
        type(model).from_config(config)
    clone = type(model).from_config(config, custom_objects={"MyCell": MyCell})
    assert clone.get_config() == config
    clone.set_weights(model.get_weights())
    data = torch.randn(2, 5, 3)
    torch.testing.assert_close(clone(data), model(data))


def test_layer_cell_is_the_cell_before_and_after_building():
    layer = layers.GRU(3, reset_after=False)
    cell = layer.cell
    assert isinstance(cell, layers.GRUCell) and cell.name == "gru_cell" and not cell.reset_after
    run(layer)
    assert layer.cell is cell and cell.built
    assert [k for k, _ in layer.named_modules()] == ["", "rnn"]
    assert layer.get_config()["zero_output_for_mask"] is False
    assert layers.LSTM(3, zero_output_for_mask=True).zero_output_for_mask


@pytest.mark.parametrize("mode,use_bias", [("LSTM", True), ("LSTM", False), ("GRU", True), ("GRU", False)])
def test_aten_bidirectional_kernel_equals_the_public_module(mode, use_bias):
    from kerascompat.backend import _torch_compat

    reference = getattr(torch.nn, mode)(3, 4, bias=use_bias, batch_first=True, bidirectional=True)
    params = [p for _, p in reference.named_parameters()]
    x, h = torch.randn(2, 5, 3), torch.randn(2, 2, 4)
    hx = (h, torch.randn(2, 2, 4)) if mode == "LSTM" else h
    out, final = _torch_compat.bidirectional_rnn(mode, x, hx, params, use_bias, False)
    ref_out, ref_final = reference(x, hx)
    fallback_out, fallback_final = _torch_compat._bidirectional_rnn_module(mode, x, hx, params, use_bias)
    torch.testing.assert_close(out, ref_out)
    torch.testing.assert_close(fallback_out, ref_out)
    ref_final = ref_final if isinstance(ref_final, tuple) else (ref_final,)
    for a, b, c in zip(final, fallback_final, ref_final, strict=True):
        torch.testing.assert_close(a, c)
        torch.testing.assert_close(b, c)


def test_fused_bidirectional_without_the_aten_kernel(monkeypatch):
    from kerascompat.backend import _torch_compat

    bi = layers.Bidirectional(layers.LSTM(3, return_sequences=True))
    x = torch.randn(2, 5, 4)
    expected = bi(x)
    monkeypatch.setattr(_torch_compat, "_ATEN_RNN", {})
    torch.testing.assert_close(bi(x), expected)
    assert bi.last_path == "fused-bidirectional"
    monkeypatch.delattr(torch, "_cudnn_rnn_flatten_weight")
    assert _torch_compat.flatten_rnn_weights([], "LSTM", True, 4, 3, True) is False  # cuDNN then compacts per call
