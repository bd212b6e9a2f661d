"""SimpleRNNCell and SimpleRNN: h = activation(x W + h U + b)."""

import torch.nn.functional as F
from torch import nn

from ... import activations
from ._base_cell import RecurrentCell, received_arguments
from ._fused import FusedRNN


class SimpleRNNCell(RecurrentCell):
    """One step of a fully connected RNN: h = activation(x W + h U + b). Holds an nn.RNNCell."""

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**received_arguments(locals()))

    def step_module(self, in_features):
        return nn.RNNCell(in_features, self.units, bias=self.use_bias, dtype=self._dtype)

    def layer_module(self, in_features):
        nonlinearity = "relu" if self.activation is activations.relu else "tanh"
        return nn.RNN(in_features, self.units, nonlinearity=nonlinearity, bias=self.use_bias, batch_first=True,
                      dtype=self._dtype)

    def fused_blockers(self):
        reasons = [] if self.activation in (activations.tanh, activations.relu) else [
            "activation is not 'tanh' or 'relu'"]
        return reasons + super().fused_blockers()

    def recurrence(self, x_proj, states, h_in, w_hh, b_hh):
        return [self.activation(x_proj + F.linear(h_in, w_hh, b_hh))]


class SimpleRNN(FusedRNN):
    """Fully connected RNN; holds an nn.RNN (fused with activation 'tanh' or 'relu')."""

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 seed=None, use_cudnn="auto", **kwargs):
        super().__init__(SimpleRNNCell, received_arguments(locals()))

    def get_config(self):
        # Keras's SimpleRNN has no `use_cudnn` (ours chooses the fused nn.RNN with it): written
        # only when set, so a default config loads in tf.keras.
        config = super().get_config()
        if config["use_cudnn"] == "auto":
            del config["use_cudnn"]
        return config
