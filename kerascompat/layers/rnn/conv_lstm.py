"""ConvLSTMCell and ConvLSTM, the base of ConvLSTM1D/2D/3D: an LSTM whose input and recurrent
transformations are convolutions (gates i, f, c, o).

The cell holds two torch convolutions: `input_conv` (in -> 4 * filters, the layer's strides,
padding and dilation, with the bias) and `recurrent_conv` (filters -> 4 * filters, stride 1,
'same', no bias). Keras's weights, in Keras's order: `kernel` (*kernel_size, in, 4 * filters),
`recurrent_kernel` (*kernel_size, filters, 4 * filters), `bias` (4 * filters,); the gate blocks
are in the same order on both sides. TF's 'same' padding comes from ops.padding, channels_last
inputs reach torch as channels-first views (1-D: over a unit height), as in the convolution
layers. The layer convolves every step's input at once, then runs the recurrence with
`RNN.masked_loop` (Keras's masks, states, go_backwards and stateful handling); torch has no
fused ConvLSTM kernel, so `last_path` is always "loop".

Dropout is Keras's: four input masks and four recurrent masks (one per gate), each of a step's
shape, drawn once per call and applied at every step; a gate's masked copy reaches its own
block of the kernel through a grouped convolution (groups=4).
"""

import numbers

import torch
import torch.nn.functional as F
from torch import nn

from ... import activations, regularizers
from ..._random import DropoutMasks
from ..._validation import (
    check_bool, data_format as _data_format, incompatible_input, normalize_tuple, padding as _padding, rate as _rate,
)
from ..._weights import IDENTITY, conv_kernel
from ...engine.base_layer import Layer
from ...ops.layout import channels_last_parameter, to_channels_first, to_channels_last
from ...ops.padding import conv_output_length, conv_padding_plan
from .._common import set_weight_args, weight_args_config
from .lstm import unit_forget_bias_initializer
from .rnn import RNN

_MODULES = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
_WEIGHTS = ("kernel", "recurrent", "bias")
GATES = 4


class ConvLSTMCell(Layer):
    """One ConvLSTM step: states [h, c], each (batch, *output_spatial, filters) (or channels_first)."""

    _track_plain_torch_params = False

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}")
        self.rank = rank
        if isinstance(filters, bool) or not isinstance(filters, numbers.Integral) or filters <= 0:
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters!r}."
            )
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides")
        self.padding = _padding(padding)
        self.data_format = _data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please provide `strides=1` or "
                f"`dilation_rate=1`. Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = check_bool(use_bias, "use_bias")
        self.unit_forget_bias = check_bool(unit_forget_bias, "unit_forget_bias")
        set_weight_args(self, _WEIGHTS, kernel_initializer=kernel_initializer,
                        recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                        kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint)
        self.dropout = _rate(dropout, "dropout")
        self.recurrent_dropout = _rate(recurrent_dropout, "recurrent_dropout")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"The `seed` argument must be an integer or None. Received: seed={seed!r}")
        self.seed = seed
        self._dropout_masks = DropoutMasks(seed)
        self._channels_last = self.data_format == "channels_last"
        # The 2-D op runs 1-D convolutions: unit height, stride/dilation 1 along it.
        self._op_strides = (1,) + self.strides if rank == 1 else self.strides
        self._op_dilation = (1,) + self.dilation_rate if rank == 1 else self.dilation_rate
        self.spatial_dims = None

    # -------------------------------------------------------------------- states
    @property
    def state_size(self):
        return [self.filters, self.filters]

    @property
    def output_size(self):
        return self.filters

    def _state_shape(self, batch_size):
        out = tuple(self._out_spatial)
        return (batch_size, *out, self.filters) if self._channels_last else (batch_size, self.filters, *out)

    def get_initial_state(self, batch_size=None):
        shape = self._state_shape(batch_size)
        return [torch.zeros(shape, dtype=self._dtype), torch.zeros(shape, dtype=self._dtype)]

    # ------------------------------------------------------------------ building
    def _output_spatial(self, spatial):
        return [conv_output_length(n, k, s, self.padding, d)
                for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]

    def build(self, input_shape):
        rank = self.rank
        if len(input_shape) != rank + 2:
            raise incompatible_input(self, f"expected ndim={rank + 2}", input_shape)
        spatial = tuple(input_shape[1:-1] if self._channels_last else input_shape[2:])
        channels = input_shape[-1 if self._channels_last else 1]
        if None in spatial:
            raise ValueError("ConvLSTM layers only support static input shapes for the spatial dimension. "
                             f"Received invalid input shape: input_shape={tuple(input_shape)}")
        if channels is None:
            raise ValueError("The channel dimension of the inputs (last axis) should be defined. Found None. "
                             f"Full input shape received: input_shape={tuple(input_shape)}")
        out = self._output_spatial(spatial)
        if any(o <= 0 for o in out):
            raise ValueError(
                f'Layer "{self.name}": computed output size would be zero or negative. Received inputs '
                f"shape={tuple(input_shape)}, kernel_size={self.kernel_size}, dilation_rate={self.dilation_rate}, "
                f"strides={self.strides}, padding={self.padding!r}."
            )
        self.spatial_dims, self._out_spatial, self.input_dim = spatial, tuple(out), channels
        self._input_plan = self._plan(spatial, self.strides, self.dilation_rate, self.padding)
        ones = (1,) * rank
        self._recurrent_plan = self._plan(out, ones, ones, "same")

        filters, module = self.filters, _MODULES[rank]
        self.input_conv = module(channels, GATES * filters, self.kernel_size, stride=self.strides,
                                 dilation=self.dilation_rate, bias=self.use_bias, dtype=self._dtype)
        self.recurrent_conv = module(filters, GATES * filters, self.kernel_size, bias=False, dtype=self._dtype)
        if self._channels_last:
            channels_last_parameter(self.input_conv.weight, rank)
            channels_last_parameter(self.recurrent_conv.weight, rank)
        layout = conv_kernel(rank)
        self._add_slot("kernel", self.input_conv, "weight", layout, self.kernel_initializer,
                       self.kernel_regularizer, self.kernel_constraint)
        self._add_slot("recurrent_kernel", self.recurrent_conv, "weight", layout, self.recurrent_initializer,
                       self.recurrent_regularizer, self.recurrent_constraint)
        if self.use_bias:
            bias_init = (unit_forget_bias_initializer(self.bias_initializer, filters) if self.unit_forget_bias
                         else self.bias_initializer)
            self._add_slot("bias", self.input_conv, "bias", IDENTITY, bias_init, self.bias_regularizer,
                           self.bias_constraint)

    def _plan(self, spatial, strides, dilation, padding):
        op_padding, explicit = conv_padding_plan(spatial, self.kernel_size, strides, dilation, padding)
        return ((0,) + op_padding if self.rank == 1 else op_padding), explicit

    # -------------------------------------------------------------- op layout
    def _to_op(self, x):
        """A Keras-layout step tensor (batch, *spatial, C) -> the op's channels-first view."""
        if self._channels_last:
            x = to_channels_first(x, self.rank)
        return x.unsqueeze(2) if self.rank == 1 else x

    def _from_op(self, y):
        if self.rank == 1:
            y = y.squeeze(2)
        return to_channels_last(y, self.rank) if self._channels_last else y

    def _conv(self, x, weight, bias, strides, dilation, plan, groups):
        if self.rank == 1:
            weight = weight.unsqueeze(2)
        op_padding, explicit = plan
        if explicit is not None:
            x = F.pad(x, explicit)
        op = F.conv3d if self.rank == 3 else F.conv2d
        return op(x, weight, bias, strides, op_padding, dilation, groups)

    def _gate_masks(self, shape, rate, reference):
        """Keras's dropout masks of a ConvLSTM: one per gate, of a step's `shape`."""
        return [self._dropout_masks(shape, rate, reference) for _ in range(GATES)]

    @staticmethod
    def _gate_copies(x, masks, axis):
        """The gates' dropped-out copies of `x` concatenated on the channel `axis`: a groups=4
        convolution then convolves copy g with the kernel's block g."""
        return torch.cat([x * m for m in masks], dim=axis)

    # ------------------------------------------------------------------- calling
    def step_function(self, sequences, training=None):
        """`(projected, step)`: the input convolution of every step of `sequences` (batch, steps,
        *step_shape) at once, in Keras's layout (4 * filters channels), and
        `step(projected_t, [h, c]) -> (h, [h, c])` with Keras-layout states."""
        batch, steps = sequences.shape[:2]
        channel_axis = -1 if self._channels_last else 2
        groups = 1
        if training and 0.0 < self.dropout < 1.0:  # the same masks at every step
            masks = self._gate_masks((batch, 1, *sequences.shape[2:]), self.dropout, sequences)
            sequences = self._gate_copies(sequences, masks, channel_axis)
            groups = GATES
        x = self._to_op(sequences.reshape(batch * steps, *sequences.shape[2:]))
        conv = self.input_conv
        # Kept in Keras's layout (a view): the per-step gradients the loop stacks back then reach
        # the convolution's backward in its own memory format, without a copy.
        projected = self._from_op(self._conv(x, conv.weight, conv.bias, self._op_strides, self._op_dilation,
                                             self._input_plan, groups))
        projected = projected.reshape(batch, steps, *projected.shape[1:])

        rec_weight, rec_plan = self.recurrent_conv.weight, self._recurrent_plan
        ones = (1,) * len(self._op_strides)
        act, rec = self.activation, self.recurrent_activation
        rec_masks, rec_groups = None, 1
        if training and 0.0 < self.recurrent_dropout < 1.0:  # drawn once, used at every step
            rec_masks = self._gate_masks(self._state_shape(batch), self.recurrent_dropout, sequences)
            rec_groups = GATES
        state_axis = -1 if self._channels_last else 1
        gate_copies = self._gate_copies

        def step(x_t, states):
            h, c = states
            if rec_masks is not None:
                h = gate_copies(h, rec_masks, state_axis)
            z = self._to_op(x_t) + self._conv(self._to_op(h), rec_weight, None, ones, ones, rec_plan, rec_groups)
            i, f, g, o = z.chunk(GATES, dim=1)
            c_new = rec(f) * self._to_op(c) + rec(i) * act(g)
            h_new = self._from_op(rec(o) * act(c_new))
            return h_new, [h_new, self._from_op(c_new)]

        return projected, step

    def call(self, inputs, states, training=None):
        projected, step = self.step_function(inputs.unsqueeze(1), training)
        return step(projected[:, 0], list(states))

    def compute_output_shape(self, inputs_shape, states_shape=None):
        spatial = inputs_shape[1:-1] if self._channels_last else inputs_shape[2:]
        out = tuple(self._output_spatial(spatial))
        shape = ((inputs_shape[0], *out, self.filters) if self._channels_last
                 else (inputs_shape[0], self.filters, *out))
        return shape, [shape, shape]

    # -------------------------------------------------------------------- config
    def arguments_config(self):
        """The cell's own arguments (no name/dtype/trainable): its config, and its layer's."""
        weight_args = weight_args_config(self, _WEIGHTS)
        return {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            **{k: weight_args[k] for k in ("kernel_initializer", "recurrent_initializer", "bias_initializer")},
            "unit_forget_bias": self.unit_forget_bias,
            **{k: v for k, v in weight_args.items() if not k.endswith("_initializer")},
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }

    def get_config(self):
        return {**super().get_config(), "rank": self.rank, **self.arguments_config()}


_CELL_ARGUMENTS = (
    "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
    "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
    "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
    "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed",
)


class ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D: an RNN over a ConvLSTMCell, inputs (batch, time, *spatial, channels)
    (channels_first: (batch, time, channels, *spatial)). The cell's arguments are the layer's."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        cell = ConvLSTMCell(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.rank = rank

    def build(self, input_shape):
        if len(input_shape) != self.rank + 3:
            raise incompatible_input(self, f"expected ndim={self.rank + 3}", input_shape)
        super().build(input_shape)

    def _check_sequences(self, sequences):
        cell = self.cell
        expected = ((*cell.spatial_dims, cell.input_dim) if cell.data_format == "channels_last"
                    else (cell.input_dim, *cell.spatial_dims))
        if sequences.dim() != self.rank + 3 or tuple(sequences.shape[2:]) != expected:
            raise incompatible_input(self, f"expected shape=(None, None, {', '.join(map(str, expected))})",
                                     sequences.shape)

    def inner_loop(self, sequences, initial_state, mask, training=None):
        projected, step = self.cell.step_function(sequences, training)
        self.last_path = "loop"
        return self.masked_loop(step, projected, initial_state, mask)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != self.rank + 3:
            raise incompatible_input(self, f"expected ndim={self.rank + 3}", input_shape)
        batch, steps = input_shape[0], input_shape[1]
        state = self.cell.compute_output_shape((batch, *input_shape[2:]))[0]
        output = (batch, steps, *state[1:]) if self.return_sequences else state
        return (output, state, state) if self.return_state else output

    def get_config(self):
        config = {**super().get_config(), **self.cell.arguments_config(),
                  "activity_regularizer": regularizers.serialize(self.activity_regularizer)}
        del config["cell"]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


def _cell_property(name):
    def get(self):
        return getattr(self.cell, name)

    return property(get, doc=f"The cell's `{name}`.")


for _name in _CELL_ARGUMENTS:
    setattr(ConvLSTM, _name, _cell_property(_name))
del _name
