"""LSTMCell and LSTM (gates i, f, c, o; states [h, c])."""

import torch
import torch.nn.functional as F
from torch import nn

from ..._validation import check_bool
from ._base_cell import RecurrentCell, received_arguments
from ._fused import FusedRNN


def unit_forget_bias_initializer(base, units):
    """Keras's `unit_forget_bias=True` bias of gates i, f, c, o: [base(u), ones(u), base(2u)]."""

    def unit_forget(shape, dtype=None):
        return torch.cat([torch.as_tensor(base((units,), dtype=dtype)), torch.ones(units, dtype=dtype),
                          torch.as_tensor(base((2 * units,), dtype=dtype))])

    return unit_forget


class LSTMCell(RecurrentCell):
    """One LSTM step (gates i, f, c, o = torch's i, f, g, o). Holds an nn.LSTMCell; states are [h, c]."""

    n_states = 2

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        arguments = received_arguments(locals())
        del arguments["unit_forget_bias"]
        super().__init__(**arguments)
        self.unit_forget_bias = check_bool(unit_forget_bias, "unit_forget_bias")

    def arguments_config(self):
        return {**super().arguments_config(), "unit_forget_bias": self.unit_forget_bias}

    def step_module(self, in_features):
        return nn.LSTMCell(in_features, self.units, bias=self.use_bias, dtype=self._dtype)

    def layer_module(self, in_features):
        return nn.LSTM(in_features, self.units, bias=self.use_bias, batch_first=True, dtype=self._dtype)

    def fused_blockers(self):
        return self._gated_blockers()

    def _initial_bias(self):
        return unit_forget_bias_initializer(self.bias_initializer, self.units) if self.unit_forget_bias else \
            self.bias_initializer

    def recurrence(self, x_proj, states, h_in, w_hh, b_hh):
        z = x_proj + F.linear(h_in, w_hh, b_hh)
        i, f, g, o = z.chunk(4, dim=-1)
        rec = self.recurrent_activation
        i, f, o = rec(i), rec(f), rec(o)
        c = f * states[1] + i * self.activation(g)
        return [o * self.activation(c), c]


class LSTM(FusedRNN):
    """Long Short-Term Memory; holds an nn.LSTM and runs it fused when the configuration allows."""

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        super().__init__(LSTMCell, received_arguments(locals()))
