"""Recurrent layers: SimpleRNN, GRU, LSTM, their cells, RNN(cell), StackedRNNCells, Bidirectional.

SimpleRNN / GRU / LSTM hold torch's nn.RNN / nn.GRU / nn.LSTM (`self.rnn`, batch_first) with
torch-native parameters, and run them (cuDNN on GPU, oneDNN/ATen on CPU) whenever the
configuration allows: tanh/sigmoid activations (SimpleRNN: tanh or relu), no recurrent
dropout, no mask, and for GRU `reset_after=True`. Otherwise they run a cell loop over the same
parameters. `layer.last_path` says which ran ("fused" or "loop"); `use_cudnn=True` makes a
configuration that cannot run fused an error, `use_cudnn=False` forces the loop.

Weight mapping (Keras layout <-> torch):
- kernel (in, G*u) = weight_ih_l0.T, recurrent_kernel (u, G*u) = weight_hh_l0.T;
- LSTM gates i, f, c, o = torch's i, f, g, o; GRU gates z, r, h = torch's blocks 1, 0, 2;
- Keras's single bias is bias_ih_l0 with bias_hh_l0 held at zero (frozen); GRU with
  reset_after=True has bias (2, 3u) = [bias_ih_l0, bias_hh_l0].
Input dropout draws one mask per sequence, as Keras, and is applied before the fused call.
"""

import copy
import numbers

import torch
import torch.nn.functional as F
from torch import nn

from .. import _tree, activations, constraints, initializers, regularizers
from .._random import DropoutMasks
from .._validation import check_bool, incompatible_input, positive_int, rate as _rate
from .._weights import DENSE_KERNEL, IDENTITY, GateBlocks, StackedSlot, WeightSlot
from ..engine.base_layer import Layer

_GRU_KERNEL = GateBlocks((1, 0, 2), transpose=True)
_GRU_BIAS = GateBlocks((1, 0, 2), transpose=False)



# ------------------------------------------------------------------------- step math
def simple_rnn_step(x_proj, h, w_hh, b_hh, activation):
    return activation(x_proj + F.linear(h, w_hh, b_hh))


def lstm_step(x_proj, h, c, w_hh, b_hh, activation, recurrent_activation):
    z = x_proj + F.linear(h, w_hh, b_hh)
    i, f, g, o = z.chunk(4, dim=-1)
    i, f, o = recurrent_activation(i), recurrent_activation(f), recurrent_activation(o)
    c = f * c + i * activation(g)
    return o * activation(c), c


# ------------------------------------------------------------------- shared options
class _RecurrentOptions:
    """Argument handling shared by the cells and the layers that own their weights."""

    def _set_options(self, units, activation, recurrent_activation, use_bias, kernel_initializer,
                     recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
                     bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
                     recurrent_dropout, seed, unit_forget_bias=None, reset_after=None):
        self.units = positive_int(units, "units")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation) if recurrent_activation else None
        self.use_bias = check_bool(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = _rate(dropout, "dropout")
        self.recurrent_dropout = _rate(recurrent_dropout, "recurrent_dropout")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"The `seed` argument must be an integer or None. Received: seed={seed!r}")
        self.seed = seed
        self.unit_forget_bias = unit_forget_bias
        self.reset_after = reset_after
        self._dropout_masks = DropoutMasks(seed)  # Keras: one mask per sequence, reused at every step

    def _options_config(self):
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        if self.recurrent_activation is not None:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        if self.unit_forget_bias is not None:
            config["unit_forget_bias"] = self.unit_forget_bias
        if self.reset_after is not None:
            config["reset_after"] = self.reset_after
        return config

    def _bias_initializer_for_slot(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def lstm_bias(shape, dtype=None):  # Keras: [init(u), ones(u), init(2u)]
            return torch.cat([torch.as_tensor(base((units,), dtype=dtype)), torch.ones(units, dtype=dtype),
                              torch.as_tensor(base((2 * units,), dtype=dtype))])

        return lstm_bias

    def _declare_weights(self, holder, w_ih, w_hh, b_ih, b_hh, kind):
        """Declare the Keras weights over torch parameters and initialise them."""
        kernel_layout = _GRU_KERNEL if kind == "gru" else DENSE_KERNEL
        self._add_slot("kernel", holder, w_ih, kernel_layout, self.kernel_initializer,
                       self.kernel_regularizer, self.kernel_constraint)
        self._add_slot("recurrent_kernel", holder, w_hh, kernel_layout, self.recurrent_initializer,
                       self.recurrent_regularizer, self.recurrent_constraint)
        if self.use_bias:
            if kind == "gru":
                slot = StackedSlot("bias", [WeightSlot("input_bias", holder, b_ih, _GRU_BIAS),
                                            WeightSlot("recurrent_bias", holder, b_hh, _GRU_BIAS)],
                                   regularizer=self.bias_regularizer, constraint=self.bias_constraint)
                slot.initialize(self.bias_initializer)
                self._weight_slots.append(slot)
            else:
                self._add_slot("bias", holder, b_ih, IDENTITY, self._bias_initializer_for_slot(),
                               self.bias_regularizer, self.bias_constraint)
                if b_hh is not None:  # Keras has one bias: torch's second is held at zero
                    frozen = getattr(holder, b_hh)
                    with torch.no_grad():
                        frozen.zero_()
                    frozen.requires_grad_(False)


# ----------------------------------------------------------------------------- cells
class _Cell(_RecurrentOptions, Layer):
    """Base of SimpleRNNCell / LSTMCell / GRUCell: one step of the recurrence."""

    _track_plain_torch_params = False
    kind = None

    @property
    def state_size(self):
        return [self.units, self.units] if self.kind == "lstm" else self.units

    @property
    def output_size(self):
        return self.units

    def get_initial_state(self, batch_size):
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [torch.zeros(batch_size, s, dtype=self._dtype) for s in sizes]

    def build(self, input_shape):
        in_features = input_shape[-1]
        if in_features is None:
            raise ValueError(f'Layer "{self.name}": the last dimension of the inputs must be defined.')
        bias = self.use_bias
        if self.kind == "lstm":
            self.cell = nn.LSTMCell(in_features, self.units, bias=bias, dtype=self._dtype)
        elif self.kind == "gru" and self.reset_after:
            self.cell = nn.GRUCell(in_features, self.units, bias=bias, dtype=self._dtype)
        elif self.kind == "gru":
            self.cell = _ResetBeforeParams(in_features, self.units, bias, self._dtype)
        else:
            self.cell = nn.RNNCell(in_features, self.units, bias=bias, dtype=self._dtype)
        kind = "gru" if (self.kind == "gru" and self.reset_after) else "plain"
        if self.kind == "gru" and not self.reset_after:
            self._declare_weights(self.cell, "weight_ih", "weight_hh", "bias" if bias else None, None, kind)
        else:
            self._declare_weights(self.cell, "weight_ih", "weight_hh", "bias_ih" if bias else None,
                                  "bias_hh" if bias else None, kind)

    def call(self, inputs, states, training=None):
        cell = self.cell
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        h = states[0]
        if training and self.dropout > 0:
            inputs = inputs * self._dropout_masks(inputs.shape, self.dropout, inputs)
        if training and self.recurrent_dropout > 0:
            h_in = h * self._dropout_masks(h.shape, self.recurrent_dropout, h)
        else:
            h_in = h
        reset_before = self.kind == "gru" and not self.reset_after
        b_ih = getattr(cell, "bias" if reset_before else "bias_ih", None)
        b_hh = getattr(cell, "bias_hh", None)
        x_proj = F.linear(inputs, cell.weight_ih, b_ih)
        if self.kind == "lstm":
            h_new, c_new = lstm_step(x_proj, h_in, states[1], cell.weight_hh, b_hh, self.activation,
                                     self.recurrent_activation)
            return h_new, [h_new, c_new]
        if self.kind == "gru" and self.reset_after:
            h_new = _gru_with_carry(x_proj, h, h_in, cell.weight_hh, b_hh, self.activation, self.recurrent_activation)
        elif self.kind == "gru":
            h_new = _gru_before_with_carry(x_proj, h, h_in, cell.weight_hh, self.activation,
                                           self.recurrent_activation)
        else:
            h_new = simple_rnn_step(x_proj, h_in, cell.weight_hh, b_hh, self.activation)
        return h_new, [h_new]

    def get_config(self):
        return {**super().get_config(), **self._options_config()}


def _gru_with_carry(x_proj, h, h_in, w_hh, b_hh, activation, recurrent_activation):
    # Gates see the (possibly dropped-out) h_in; the update mixes in the carried h.
    gh = F.linear(h_in, w_hh, b_hh)
    xr, xz, xn = x_proj.chunk(3, dim=-1)
    hr, hz, hn = gh.chunk(3, dim=-1)
    r = recurrent_activation(xr + hr)
    z = recurrent_activation(xz + hz)
    n = activation(xn + r * hn)
    return z * h + (1 - z) * n


def _gru_before_with_carry(x_proj, h, h_in, w_hh, activation, recurrent_activation):
    units = h.shape[-1]
    xz, xr, xh = x_proj.chunk(3, dim=-1)
    rz = F.linear(h_in, w_hh[: 2 * units])
    z = recurrent_activation(xz + rz[:, :units])
    r = recurrent_activation(xr + rz[:, units:])
    hh = activation(xh + F.linear(r * h_in, w_hh[2 * units:]))
    return z * h + (1 - z) * hh


class _ResetBeforeParams(nn.Module):
    """Parameters of a reset_after=False GRU (no torch module computes it). Rows are in
    Keras's gate order z, r, h; the single bias is added to the input projection."""

    def __init__(self, in_features, units, bias, dtype, suffix=""):
        super().__init__()
        self._suffix = suffix
        self.register_parameter("weight_ih" + suffix, nn.Parameter(torch.empty(3 * units, in_features, dtype=dtype)))
        self.register_parameter("weight_hh" + suffix, nn.Parameter(torch.empty(3 * units, units, dtype=dtype)))
        self.register_parameter("bias" + suffix,
                                nn.Parameter(torch.zeros(3 * units, dtype=dtype)) if bias else None)


class SimpleRNNCell(_Cell):
    """One step of a fully connected RNN: h = activation(x W + h U + b). Holds an nn.RNNCell."""

    kind = "simple"

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._set_options(units, activation, None, use_bias, kernel_initializer, recurrent_initializer,
                          bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
                          kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed)


class LSTMCell(_Cell):
    """One LSTM step (gates i, f, c, o). Holds an nn.LSTMCell; states are [h, c]."""

    kind = "lstm"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_options(units, activation, recurrent_activation, use_bias, kernel_initializer,
                          recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
                          bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
                          recurrent_dropout, seed, unit_forget_bias=check_bool(unit_forget_bias, "unit_forget_bias"))


class GRUCell(_Cell):
    """One GRU step (gates z, r, h). reset_after=True holds an nn.GRUCell; reset_after=False
    (Keras 2's default) has no torch module and computes the TF1 variant itself."""

    kind = "gru"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_options(units, activation, recurrent_activation, use_bias, kernel_initializer,
                          recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
                          bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
                          recurrent_dropout, seed, reset_after=check_bool(reset_after, "reset_after"))



class StackedRNNCells(Layer):
    """Wraps a list of cells so that they behave as one (used by RNN([cell1, cell2]))."""

    _track_plain_torch_params = False

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            _check_cell(cell)
        self.cells = nn.ModuleList([c for c in cells if isinstance(c, nn.Module)]) if all(
            isinstance(c, nn.Module) for c in cells) else list(cells)

    def _sublayers(self):
        return [c for c in self.cells if isinstance(c, Layer)]

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        return size if size is not None else _flat_sizes(last.state_size)[0]

    def get_initial_state(self, batch_size):
        return [_initial_state(c, batch_size, self._dtype) for c in self.cells]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer):
                cell.build_from_shape(shape)
            size = getattr(cell, "output_size", None) or _flat_sizes(cell.state_size)[0]
            shape = shape[:-1] + (size,)

    def call(self, inputs, states, training=None):
        new_states = []
        for cell, state in zip(self.cells, states):
            state = list(state) if isinstance(state, (list, tuple)) else [state]
            inputs, new = _call_cell(cell, inputs, state, training)
            new_states.append(new)
        return inputs, new_states

    def get_config(self):
        from . import serialize

        return {**super().get_config(), "cells": [serialize(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config):
        from . import deserialize

        config = dict(config)
        cells = [deserialize(c) for c in config.pop("cells")]
        return cls(cells, **config)


def _flat_sizes(state_size):
    return [state_size] if isinstance(state_size, int) else [s for item in state_size for s in _flat_sizes(item)]


def _check_cell(cell):
    if not callable(getattr(cell, "call", None)):
        raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell!r}")
    if getattr(cell, "state_size", None) is None:
        raise ValueError(
            "The RNN cell should have a `state_size` attribute (single integer or list of integers, "
            f"one integer per RNN state). Received: cell={cell!r}"
        )


def _initial_state(cell, batch_size, dtype):
    if hasattr(cell, "get_initial_state"):
        state = cell.get_initial_state(batch_size)
        return list(state) if isinstance(state, (list, tuple)) else [state]
    return [torch.zeros(batch_size, s, dtype=dtype) for s in _flat_sizes(cell.state_size)]


def _call_cell(cell, inputs, states, training):
    if isinstance(cell, Layer):
        if cell._call_has_training:
            out, new = cell(inputs, states, training=training)
        else:
            out, new = cell(inputs, states)
    else:
        out, new = cell.call(inputs, states)
    new = list(new) if isinstance(new, (list, tuple)) else [new]
    return out, new


# ---------------------------------------------------------------------- RNN layer
class RNN(Layer):
    """Runs a cell over the time axis of (batch, timesteps, features).

    `cell` is one of our cells, a list of cells (stacked), or a user cell following Keras's
    protocol (`state_size`, optional `output_size`, `call(inputs, states, training=None)`
    returning `(output, new_states)`) with torch code inside. Call with `initial_state=`,
    `mask=` (batch, timesteps) booleans, and `training=`.
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        _check_cell(cell)
        super().__init__(**kwargs)
        self.cell = cell
        self._init_flags(return_sequences, return_state, go_backwards, stateful, unroll, zero_output_for_mask)

    def _init_flags(self, return_sequences, return_state, go_backwards, stateful, unroll, zero_output_for_mask):
        self.return_sequences = check_bool(return_sequences, "return_sequences")
        self.return_state = check_bool(return_state, "return_state")
        self.go_backwards = check_bool(go_backwards, "go_backwards")
        self.stateful = check_bool(stateful, "stateful")
        self.unroll = check_bool(unroll, "unroll")
        self.zero_output_for_mask = check_bool(zero_output_for_mask, "zero_output_for_mask")
        self.states = None
        self.last_path = None

    supports_masking = True

    # -------------------------------------------------------------- structure
    @property
    def _state_sizes(self):
        size = self.cell.state_size
        return [size] if isinstance(size, int) else list(size)

    @property
    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return size if size is not None else _flat_sizes(self.cell.state_size)[0]

    def build(self, input_shape):
        if len(input_shape) < 3:
            raise incompatible_input(self, "expected ndim=3", input_shape)
        if isinstance(self.cell, Layer):
            self.cell.build_from_shape((input_shape[0],) + tuple(input_shape[2:]))
        self._check_stateful_batch(input_shape[0])

    def _check_stateful_batch(self, batch):
        if self.stateful and batch is None:
            raise ValueError(
                "When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: "
                "pass `batch_size=` to `Input` (or `batch_input_shape=` to the first layer)."
            )

    def compute_output_shape(self, input_shape):
        if len(input_shape) < 3:
            raise incompatible_input(self, "expected ndim=3", input_shape)
        batch, steps = input_shape[0], input_shape[1]
        output_size = self._output_size
        out = (batch, steps, output_size) if self.return_sequences else (batch, output_size)
        if not self.return_state:
            return out
        states = []
        for size in self._state_sizes:
            if isinstance(size, int):
                states.append((batch, size))
            else:
                states.append([(batch, s) for s in size])
        return (out, *states)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self._state_sizes)
        return output_mask

    # ------------------------------------------------------------------ states
    def get_initial_state(self, batch_size):
        return _initial_state(self.cell, batch_size, self._dtype)

    def reset_states(self, states=None):
        """Clear (or set) the kept states of a stateful layer."""
        if not self.stateful:
            raise AttributeError(f"Layer {self.name!r} is not stateful.")
        if states is None:
            self.states = None
        else:
            self.states = [torch.as_tensor(s) for s in (states if isinstance(states, (list, tuple)) else [states])]

    reset_state = reset_states

    def _initial_states(self, sequences, initial_state):
        batch = sequences.shape[0]
        if initial_state is None:
            if self.stateful and self.states is not None:
                states = self.states
                if states and _tree.flatten(states)[0].shape[0] != batch:
                    raise ValueError(
                        "If an RNN is stateful, the batch size of the input sequences must be the same as the "
                        f"batch size of the initial state. Expected batch size: "
                        f"{_tree.flatten(states)[0].shape[0]}. Received batch size: {batch}"
                    )
                return states
            states = self.get_initial_state(batch)
            return _tree.map_structure(lambda t: t.to(device=sequences.device, dtype=sequences.dtype), states)
        template = self.get_initial_state(batch)
        flat_template = _tree.flatten(template)
        flat = _tree.flatten(list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state])
        if len(flat) != len(flat_template):
            raise ValueError(
                f'Layer "{self.name}" expects {len(flat_template)} initial state tensor(s), but received '
                f"{len(flat)}."
            )
        for t, ref in zip(flat, flat_template):
            if tuple(t.shape) != tuple(ref.shape):
                raise ValueError(
                    f'Layer "{self.name}": an initial state has shape {tuple(t.shape)}; expected {tuple(ref.shape)}.'
                )
        return _tree.pack_like(template, flat)

    def _keep_states(self, states):
        if self.stateful:
            self.states = _tree.map_structure(lambda t: t.detach(), states)

    # ------------------------------------------------------------------ calling
    def call(self, sequences, initial_state=None, mask=None, training=None):
        self._check_sequences(sequences)
        states = self._initial_states(sequences, initial_state)
        outputs, last, states = self._loop(sequences, states, mask, training)
        self.last_path = "loop"
        return self._finish(outputs, last, states)

    def _check_sequences(self, sequences):
        if sequences.dim() < 3:
            raise incompatible_input(self, "expected ndim=3", sequences.shape)

    def _finish(self, outputs, last, states):
        self._keep_states(states)
        output = outputs if self.return_sequences else last
        if self.return_state:
            return (output, *states)
        return output

    def _loop(self, sequences, states, mask, training):
        """Keras's generic recurrence: masked steps carry the previous state (and output)."""
        steps = sequences.shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs = []
        prev_output = None
        for t in order:
            out, new_states = _call_cell(self.cell, sequences[:, t], states, training)
            if mask is not None:
                m = mask[:, t].to(torch.bool).unsqueeze(-1)
                if prev_output is None:
                    prev_output = torch.zeros_like(out)
                out = torch.where(m, out, torch.zeros_like(out) if self.zero_output_for_mask else prev_output)
                new_states = _where_states(m, new_states, states)
            outputs.append(out)
            prev_output = out
            states = new_states
        stacked = torch.stack(outputs, dim=1) if self.return_sequences else None
        return stacked, outputs[-1], states

    def get_config(self):
        from . import serialize

        config = {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }
        if type(self) is RNN:
            config["cell"] = serialize(self.cell)
        return config

    @classmethod
    def from_config(cls, config):
        from . import deserialize

        config = dict(config)
        if cls is RNN:
            config["cell"] = deserialize(config["cell"])
        return cls(**config)


def _right_padded_lengths(mask):
    """Per-sample lengths if `mask` is right padding (each row: True..., then False...) with
    at least one valid step; otherwise None."""
    if mask is None or mask.dim() != 2:
        return None
    mask = mask.to(torch.bool)
    lengths = mask.sum(dim=1)
    expected = torch.arange(mask.shape[1], device=mask.device).unsqueeze(0) < lengths.unsqueeze(1)
    if not bool(torch.equal(mask, expected)) or bool((lengths == 0).any()):
        return None
    return lengths


def _where_states(mask, new_states, old_states):
    if isinstance(new_states, (list, tuple)):
        return [_where_states(mask, n, o) for n, o in zip(new_states, old_states)]
    return torch.where(mask, new_states, old_states)


# ----------------------------------------------------------- SimpleRNN / LSTM / GRU
class _FusedRNN(_RecurrentOptions, RNN):
    """A recurrent layer that owns torch's fused module and runs it when it can."""

    kind = None
    _track_plain_torch_params = False

    def __init__(self, return_sequences, return_state, go_backwards, stateful, unroll, use_cudnn, options,
                 activity_regularizer=None, **kwargs):
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        self._set_options(**options)
        self._init_flags(return_sequences, return_state, go_backwards, stateful, unroll, False)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"Invalid value for argument `use_cudnn`. Expected 'auto', True or False. "
                             f"Received: use_cudnn={use_cudnn!r}")
        self.use_cudnn = use_cudnn
        if use_cudnn is True and not self._fusable():
            raise ValueError(
                f"use_cudnn=True was specified, but the fused (cuDNN) kernel cannot run {type(self).__name__} "
                f"with this configuration: {self._why_not_fused()}"
            )

    @property
    def state_size(self):
        return [self.units, self.units] if self.kind == "lstm" else self.units

    @property
    def _state_sizes(self):
        return [self.units, self.units] if self.kind == "lstm" else [self.units]

    @property
    def _output_size(self):
        return self.units

    def get_initial_state(self, batch_size):
        return [torch.zeros(batch_size, self.units, dtype=self._dtype) for _ in self._state_sizes]

    def _why_not_fused(self):
        reasons = []
        if self.kind == "simple":
            if self.activation not in (activations.tanh, activations.relu):
                reasons.append("activation is not 'tanh' or 'relu'")
        else:
            if self.activation is not activations.tanh:
                reasons.append("activation is not 'tanh'")
            if self.recurrent_activation is not activations.sigmoid:
                reasons.append("recurrent_activation is not 'sigmoid'")
        if self.recurrent_dropout > 0:
            reasons.append("recurrent_dropout > 0")
        if self.kind == "gru" and not self.reset_after:
            reasons.append("reset_after=False")
        return ", ".join(reasons)

    def _fusable(self):
        return not self._why_not_fused()

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise incompatible_input(self, "expected ndim=3", input_shape)
        in_features = input_shape[-1]
        if in_features is None:
            raise ValueError(f'Layer "{self.name}": the last dimension of the inputs must be defined. '
                             f"Received: input_shape={tuple(input_shape)}")
        self._in_features = in_features
        bias = self.use_bias
        if self.kind == "lstm":
            self.rnn = nn.LSTM(in_features, self.units, bias=bias, batch_first=True, dtype=self._dtype)
        elif self.kind == "gru" and self.reset_after:
            self.rnn = nn.GRU(in_features, self.units, bias=bias, batch_first=True, dtype=self._dtype)
        elif self.kind == "gru":
            self.rnn = _ResetBeforeParams(in_features, self.units, bias, self._dtype, suffix="_l0")
        else:
            nonlinearity = "relu" if self.activation is activations.relu else "tanh"
            self.rnn = nn.RNN(in_features, self.units, nonlinearity=nonlinearity, bias=bias, batch_first=True,
                              dtype=self._dtype)
        kind = "gru" if (self.kind == "gru" and self.reset_after) else "plain"
        if self.kind == "gru" and not self.reset_after:
            self._declare_weights(self.rnn, "weight_ih_l0", "weight_hh_l0", "bias_l0" if bias else None, None,
                                  kind)
        else:
            self._declare_weights(self.rnn, "weight_ih_l0", "weight_hh_l0", "bias_ih_l0" if bias else None,
                                  "bias_hh_l0" if bias else None, kind)
        self._check_stateful_batch(input_shape[0])

    @property
    def cell(self):
        """Keras's `layer.cell`: a SimpleRNNCell / LSTMCell / GRUCell with this layer's configuration
        whose parameters *are* this layer's (shared objects, so training either trains both). It is
        not a sub-module: the layer's state_dict keeps torch's nn.LSTM/nn.GRU/nn.RNN keys only."""
        cell = self.__dict__.get("_shared_cell")
        if cell is None:
            if not self.built:
                raise AttributeError(f"Layer {self.name!r} has no cell until it is built.")
            cell_class = {"lstm": LSTMCell, "gru": GRUCell, "simple": SimpleRNNCell}[self.kind]
            config = self._options_config()
            cell = cell_class(**config, name=f"{self.name}_cell", dtype=self.dtype)
            cell.build_from_shape((None, self._in_features))
            rnn = self.rnn
            reset_before = self.kind == "gru" and not self.reset_after
            names = [("weight_ih", "weight_ih_l0"), ("weight_hh", "weight_hh_l0")]
            if self.use_bias:
                names += [("bias", "bias_l0")] if reset_before else [("bias_ih", "bias_ih_l0"), ("bias_hh", "bias_hh_l0")]
            for cell_name, layer_name in names:
                setattr(cell.cell, cell_name, getattr(rnn, layer_name))
            object.__setattr__(self, "_shared_cell", cell)
        return cell

    def _sublayers(self):
        return []

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if sequences.dim() != 3 or sequences.shape[-1] != self._in_features:
            raise incompatible_input(self, f"expected shape=(None, None, {self._in_features})", sequences.shape)
        states = self._initial_states(sequences, initial_state)
        x = sequences
        if training and self.dropout > 0:  # one mask per sequence, as Keras
            x = x * self._dropout_masks((x.shape[0], 1, x.shape[2]), self.dropout, x)
        fusable = self.use_cudnn is not False and self._fusable()
        lengths = _right_padded_lengths(mask) if (fusable and mask is not None) else None
        if fusable and mask is None:
            outputs, last, states = self._fused(x, states)
            self.last_path = "fused"
        elif lengths is not None:
            outputs, last, states = self._fused_packed(x, states, lengths)
            self.last_path = "fused"
        else:
            if self.use_cudnn is True and mask is not None:
                raise ValueError(f'Layer "{self.name}": use_cudnn=True cannot run with a mask that is not '
                                 "right padding (valid steps first, then masked ones).")
            outputs, last, states = self._cell_loop(x, states, mask, training)
            self.last_path = "loop"
        return self._finish(outputs, last, states)

    def _fused_packed(self, x, states, lengths):
        """A right-padded mask on the fused kernel, through torch's packed sequences, with
        Keras's outputs at masked steps (the last valid output carried on, or zeros)."""
        batch, steps, features = x.shape
        positions = torch.arange(steps, device=x.device).unsqueeze(0)
        lengths_col = lengths.unsqueeze(1)
        if self.go_backwards:  # Keras meets the masked tail first (skipped), then the valid steps reversed
            index = (lengths_col - 1 - positions).clamp(min=0)
            x = x.gather(1, index.unsqueeze(-1).expand(batch, steps, features))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        if self.kind == "lstm":
            out, (h, c) = self.rnn(packed, (states[0].unsqueeze(0), states[1].unsqueeze(0)))
            new_states = [h[0], c[0]]
        else:
            out, h = self.rnn(packed, states[0].unsqueeze(0))
            new_states = [h[0]]
        outputs = None
        if self.return_sequences:
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=steps)
            units = out.shape[-1]
            if self.go_backwards:
                # Processing position p holds step T-1-p: masked for p < T - len (zero output so far).
                shift = steps - lengths_col
                index = (positions - shift).clamp(min=0)
                valid = positions >= shift
                outputs = out.gather(1, index.unsqueeze(-1).expand(batch, steps, units))
                outputs = outputs * valid.unsqueeze(-1).to(outputs.dtype)
            elif self.zero_output_for_mask:
                outputs = out  # pad_packed_sequence already zero-fills the masked tail
            else:
                index = torch.minimum(positions, lengths_col - 1)
                outputs = out.gather(1, index.unsqueeze(-1).expand(batch, steps, units))
        return outputs, new_states[0], new_states

    def _fused(self, x, states):
        if self.go_backwards:
            x = x.flip(1)
        if self.kind == "lstm":
            out, (h, c) = self.rnn(x, (states[0].unsqueeze(0), states[1].unsqueeze(0)))
            new_states = [h[0], c[0]]
        else:
            out, h = self.rnn(x, states[0].unsqueeze(0))
            new_states = [h[0]]
        return out, new_states[0], new_states

    def _cell_loop(self, x, states, mask, training):
        rnn = self.rnn
        units = self.units
        if self.kind == "gru" and not self.reset_after:
            w_ih, w_hh, b_ih, b_hh = rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_l0, None
        else:
            w_ih, w_hh = rnn.weight_ih_l0, rnn.weight_hh_l0
            b_ih, b_hh = (rnn.bias_ih_l0, rnn.bias_hh_l0) if self.use_bias else (None, None)
        x_proj = F.linear(x, w_ih, b_ih)  # all steps at once
        rec_mask = None
        if training and self.recurrent_dropout > 0:
            rec_mask = self._dropout_masks((x.shape[0], units), self.recurrent_dropout, x)
        h = states[0]
        c = states[1] if self.kind == "lstm" else None
        steps = x.shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs, prev_output = [], None
        act, rec_act = self.activation, self.recurrent_activation
        for t in order:
            h_in = h if rec_mask is None else h * rec_mask
            if self.kind == "lstm":
                h_new, c_new = lstm_step(x_proj[:, t], h_in, c, w_hh, b_hh, act, rec_act)
            elif self.kind == "gru" and self.reset_after:
                h_new = _gru_with_carry(x_proj[:, t], h, h_in, w_hh, b_hh, act, rec_act)
            elif self.kind == "gru":
                h_new = _gru_before_with_carry(x_proj[:, t], h, h_in, w_hh, act, rec_act)
            else:
                h_new = simple_rnn_step(x_proj[:, t], h_in, w_hh, b_hh, act)
            out = h_new
            if mask is not None:
                m = mask[:, t].to(torch.bool).unsqueeze(-1)
                if prev_output is None:
                    prev_output = torch.zeros_like(out)
                out = torch.where(m, out, torch.zeros_like(out) if self.zero_output_for_mask else prev_output)
                h_new = torch.where(m, h_new, h)
                if c is not None:
                    c_new = torch.where(m, c_new, c)
            h = h_new
            if c is not None:
                c = c_new
            outputs.append(out)
            prev_output = out
        new_states = [h, c] if self.kind == "lstm" else [h]
        stacked = torch.stack(outputs, dim=1) if self.return_sequences else None
        return stacked, outputs[-1], new_states

    def get_config(self):
        config = {**Layer.get_config(self), **self._options_config(),
                  "return_sequences": self.return_sequences, "return_state": self.return_state,
                  "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                  "use_cudnn": self.use_cudnn}
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class SimpleRNN(_FusedRNN):
    """Fully connected RNN; holds an nn.RNN (fused with activation 'tanh' or 'relu')."""

    kind = "simple"

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 seed=None, use_cudnn="auto", **kwargs):
        options = dict(units=units, activation=activation, recurrent_activation=None, use_bias=use_bias,
                       kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                       kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                       bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                       seed=seed)
        super().__init__(return_sequences, return_state, go_backwards, stateful, unroll, use_cudnn, options,
                         activity_regularizer=activity_regularizer, **kwargs)


class LSTM(_FusedRNN):
    """Long Short-Term Memory; holds an nn.LSTM and runs it fused when the configuration allows."""

    kind = "lstm"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        options = dict(units=units, activation=activation, recurrent_activation=recurrent_activation,
                       use_bias=use_bias, kernel_initializer=kernel_initializer,
                       recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                       kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                       bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                       recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
                       recurrent_dropout=recurrent_dropout, seed=seed,
                       unit_forget_bias=check_bool(unit_forget_bias, "unit_forget_bias"))
        super().__init__(return_sequences, return_state, go_backwards, stateful, unroll, use_cudnn, options,
                         activity_regularizer=activity_regularizer, **kwargs)


class GRU(_FusedRNN):
    """Gated Recurrent Unit. reset_after=True (Keras 3 default) holds an nn.GRU and runs it fused;
    reset_after=False (Keras 2 / TF1) runs its own loop."""

    kind = "gru"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        options = dict(units=units, activation=activation, recurrent_activation=recurrent_activation,
                       use_bias=use_bias, kernel_initializer=kernel_initializer,
                       recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                       kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                       bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                       recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
                       recurrent_dropout=recurrent_dropout, seed=seed,
                       reset_after=check_bool(reset_after, "reset_after"))
        super().__init__(return_sequences, return_state, go_backwards, stateful, unroll, use_cudnn, options,
                         activity_regularizer=activity_regularizer, **kwargs)


# ------------------------------------------------------------------- Bidirectional
class Bidirectional(Layer):
    """Runs a recurrent layer forwards and a copy (or `backward_layer`) backwards and merges
    the two with `merge_mode` ('concat', 'sum', 'mul', 'ave' or None for a list).
    Weights are the forward layer's, then the backward layer's."""

    supports_masking = True
    _MERGE_MODES = ("sum", "mul", "ave", "concat", None)

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, RNN):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a recurrent layer (RNN, LSTM, GRU, SimpleRNN). "
                f"Received: layer={layer!r}"
            )
        if merge_mode not in self._MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: merge_mode={merge_mode!r}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        if weights is not None:
            raise NotImplementedError("Bidirectional: the Keras argument `weights` is not supported; "
                                      "call set_weights() after building.")
        super().__init__(**kwargs)
        if backward_layer is None:
            config = layer.get_config()
            config["go_backwards"] = not layer.go_backwards
            config["name"] = "backward_" + layer.name
            backward_layer = type(layer).from_config(config) if type(layer) is not RNN else RNN(
                copy.deepcopy(layer.cell), **{k: v for k, v in config.items() if k != "cell"})
        else:
            if not isinstance(backward_layer, RNN):
                raise ValueError(f"`backward_layer` must be a recurrent layer. Received: {backward_layer!r}")
            for attr in ("return_sequences", "return_state"):
                if getattr(layer, attr) != getattr(backward_layer, attr):
                    raise ValueError(
                        f"Forward layer and backward layer should have the same `{attr}`. Received: forward "
                        f"{getattr(layer, attr)}, backward {getattr(backward_layer, attr)}"
                    )
            if backward_layer.go_backwards == layer.go_backwards:
                raise ValueError("Forward layer and backward layer should have different `go_backwards` values.")
        layer.name = "forward_" + layer.name if not layer.name.startswith("forward_") else layer.name
        for sub in (layer, backward_layer):  # Keras: zero outputs at masked steps when returning sequences
            sub.zero_output_for_mask = sub.return_sequences
        self.forward_layer = layer
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state

    def build(self, input_shape):
        self.forward_layer.build_from_shape(input_shape)
        self.backward_layer.build_from_shape(input_shape)

    def _merge(self, y, y_rev):
        if self.merge_mode == "concat":
            return torch.cat([y, y_rev], dim=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) / 2
        if self.merge_mode == "mul":
            return y * y_rev
        return [y, y_rev]

    def _can_fuse(self, mask, training):
        fw, bw = self.forward_layer, self.backward_layer
        return (mask is None and isinstance(fw, _FusedRNN) and type(fw) is type(bw)
                and fw.kind in ("lstm", "gru") and fw._fusable() and bw._fusable()
                and fw.units == bw.units and fw.use_bias == bw.use_bias
                and not fw.go_backwards and bw.go_backwards and not fw.stateful and not bw.stateful
                and fw.use_cudnn is not False and bw.use_cudnn is not False
                and not (training and (fw.dropout > 0 or bw.dropout > 0))
                and fw.activity_regularizer is None and bw.activity_regularizer is None
                and not fw._forward_hooks and not bw._forward_hooks)

    def _fused_call(self, x, initial_state):
        """Both directions in one call of torch's bidirectional kernel (as nn.LSTM(bidirectional=True)),
        on the two layers' own parameters."""
        fw, bw = self.forward_layer, self.backward_layer
        batch, units = x.shape[0], fw.units
        if initial_state is not None:
            states = list(initial_state)
            half = len(states) // 2
            fw_states = fw._initial_states(x, states[:half])
            bw_states = bw._initial_states(x, states[half:])
        else:
            zeros = x.new_zeros(2, batch, units)
        params = []
        for layer in (fw, bw):
            rnn = layer.rnn
            params += [rnn.weight_ih_l0, rnn.weight_hh_l0]
            if layer.use_bias:
                params += [rnn.bias_ih_l0, rnn.bias_hh_l0]
        if x.is_cuda:
            self._flatten_for_cudnn(params)
        if fw.kind == "lstm":
            if initial_state is not None:
                hx = (torch.stack([fw_states[0], bw_states[0]]), torch.stack([fw_states[1], bw_states[1]]))
            else:
                hx = (zeros, zeros)
            out, h, c = torch.lstm(x, hx, params, fw.use_bias, 1, 0.0, self.training, True, True)
            fw_final, bw_final = [h[0], c[0]], [h[1], c[1]]
        else:
            hx = torch.stack([fw_states[0], bw_states[0]]) if initial_state is not None else zeros
            out, h = torch.gru(x, hx, params, fw.use_bias, 1, 0.0, self.training, True, True)
            fw_final, bw_final = [h[0]], [h[1]]
        fw.last_path = bw.last_path = "fused"
        self._last_call = "fused-bidirectional"
        if self.return_sequences:
            y, y_rev = out[..., :units], out[..., units:]
            output = out if self.merge_mode == "concat" else self._merge(y, y_rev)
        else:
            output = self._merge(fw_final[0], bw_final[0])
        if self.return_state:
            states = tuple(fw_final) + tuple(bw_final)
            if self.merge_mode is None:
                return (*output, *states)
            return (output, *states)
        return output

    def _flatten_for_cudnn(self, params):
        """Lay both directions' parameters out in one buffer, as nn.LSTM(bidirectional=True)'s
        flatten_parameters() does, so cuDNN does not compact them on every call. The parameters
        keep their identity (their data becomes views of the buffer)."""
        key = tuple(p.data_ptr() for p in params)
        if getattr(self, "_cudnn_flat_key", None) == key:
            return
        fw = self.forward_layer
        from torch.backends.cudnn import rnn as cudnn_rnn

        if torch._use_cudnn_rnn_flatten_weight():
            with torch.no_grad():
                torch._cudnn_rnn_flatten_weight(params, 4 if fw.use_bias else 2, fw._in_features,
                                                cudnn_rnn.get_cudnn_mode(fw.kind.upper()), fw.units, 0, 1, True, True)
        self._cudnn_flat_key = tuple(p.data_ptr() for p in params)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if self._can_fuse(mask, training):
            return self._fused_call(sequences, initial_state)
        self._last_call = "per-direction"
        forward_state = backward_state = None
        if initial_state is not None:
            states = list(initial_state)
            half = len(states) // 2
            forward_state, backward_state = states[:half], states[half:]
        kwargs = {}
        if mask is not None:
            kwargs["mask"] = mask
        if training is not None:
            kwargs["training"] = training
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)  # align the backward outputs with the forward time axis
        output = self._merge(y, y_rev)
        if self.return_state:
            if self.merge_mode is None:
                return (*output, *states)
            return (output, *states)
        return output

    @property
    def last_path(self):
        """"fused-bidirectional" (one call of torch's bidirectional kernel), or the two layers' paths."""
        if getattr(self, "_last_call", None) == "fused-bidirectional":
            return "fused-bidirectional"
        return (self.forward_layer.last_path, self.backward_layer.last_path)

    def compute_output_shape(self, input_shape):
        out = self.forward_layer.compute_output_shape(input_shape)
        if self.return_state:
            out, states = out[0], list(out[1:])
        if self.merge_mode == "concat":
            merged = tuple(out[:-1]) + (out[-1] * 2,)
        elif self.merge_mode is None:
            merged = [tuple(out), tuple(out)]
        else:
            merged = tuple(out)
        if self.return_state:
            extra = tuple(states) + tuple(states)
            if self.merge_mode is None:
                return (*merged, *extra)
            return (merged, *extra)
        return merged

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            n_states = len(self.forward_layer._state_sizes) * 2
            return [output_mask] * (2 if self.merge_mode is None else 1) + [None] * n_states
        if self.merge_mode is None:
            return [output_mask, output_mask]
        return output_mask

    def get_config(self):
        from . import serialize

        return {**super().get_config(), "layer": serialize(self.forward_layer), "merge_mode": self.merge_mode,
                "backward_layer": serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config):
        from . import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"])
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"])
        return cls(**config)
