"""GRUCell and GRU (gates z, r, h). reset_after=True (Keras 3's default) is torch's GRU;
reset_after=False (Keras 2 / TF1) has no torch module and its own step math."""

import torch
import torch.nn.functional as F
from torch import nn

from ..._validation import check_bool
from ..._weights import DENSE_KERNEL, GateBlocks, StackedSlot, WeightSlot
from ._base_cell import RecurrentCell, received_arguments
from ._fused import FusedRNN

# Keras's gates z, r, h are torch's blocks 1, 0, 2 (torch orders them r, z, n).
_GRU_KERNEL = GateBlocks((1, 0, 2), transpose=True)
_GRU_BIAS = GateBlocks((1, 0, 2), transpose=False)


class _ResetBeforeParams(nn.Module):
    """Parameters of a reset_after=False GRU (no torch module computes it). Rows are in
    Keras's gate order z, r, h; the single bias is added to the input projection."""

    def __init__(self, in_features, units, bias, dtype, suffix=""):
        super().__init__()
        self.register_parameter("weight_ih" + suffix, nn.Parameter(torch.empty(3 * units, in_features, dtype=dtype)))
        self.register_parameter("weight_hh" + suffix, nn.Parameter(torch.empty(3 * units, units, dtype=dtype)))
        self.register_parameter("bias" + suffix,
                                nn.Parameter(torch.zeros(3 * units, dtype=dtype)) if bias else None)


def reset_after_step(x_proj, h, h_in, w_hh, b_hh, activation, recurrent_activation):
    """torch's (and cuDNN's) GRU: the reset gate multiplies the recurrent projection."""
    gh = F.linear(h_in, w_hh, b_hh)  # gates see the (dropped-out) h_in; the update mixes in the carried h
    xr, xz, xn = x_proj.chunk(3, dim=-1)
    hr, hz, hn = gh.chunk(3, dim=-1)
    r = recurrent_activation(xr + hr)
    z = recurrent_activation(xz + hz)
    n = activation(xn + r * hn)
    return z * h + (1 - z) * n


def reset_before_step(x_proj, h, h_in, w_hh, activation, recurrent_activation):
    """TF1's GRU: the reset gate multiplies h before the recurrent projection."""
    units = h.shape[-1]
    xz, xr, xh = x_proj.chunk(3, dim=-1)
    rz = F.linear(h_in, w_hh[: 2 * units])
    z = recurrent_activation(xz + rz[:, :units])
    r = recurrent_activation(xr + rz[:, units:])
    hh = activation(xh + F.linear(r * h_in, w_hh[2 * units:]))
    return z * h + (1 - z) * hh


class GRUCell(RecurrentCell):
    """One GRU step (gates z, r, h). reset_after=True holds an nn.GRUCell; reset_after=False
    (Keras 2's default) has no torch module and computes the TF1 variant itself."""

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        arguments = received_arguments(locals())
        del arguments["reset_after"]
        super().__init__(**arguments)
        self.reset_after = check_bool(reset_after, "reset_after")

    def arguments_config(self):
        return {**super().arguments_config(), "reset_after": self.reset_after}

    def step_module(self, in_features):
        if self.reset_after:
            return nn.GRUCell(in_features, self.units, bias=self.use_bias, dtype=self._dtype)
        return _ResetBeforeParams(in_features, self.units, self.use_bias, self._dtype)

    def layer_module(self, in_features):
        if self.reset_after:
            return nn.GRU(in_features, self.units, bias=self.use_bias, batch_first=True, dtype=self._dtype)
        return _ResetBeforeParams(in_features, self.units, self.use_bias, self._dtype, suffix="_l0")

    def fused_blockers(self):
        return self._gated_blockers() + ([] if self.reset_after else ["reset_after=False"])

    @property
    def kernel_layout(self):
        return _GRU_KERNEL if self.reset_after else DENSE_KERNEL

    def parameter_names(self, suffix):
        if self.reset_after:
            return super().parameter_names(suffix)
        return ("weight_ih" + suffix, "weight_hh" + suffix, "bias" + suffix if self.use_bias else None, None)

    def _declare_bias(self, module, b_ih, b_hh):
        if not self.reset_after:
            return super()._declare_bias(module, b_ih, b_hh)
        # Keras's bias (2, 3u) is [input bias, recurrent bias] = torch's bias_ih and bias_hh.
        slot = StackedSlot("bias", [WeightSlot("input_bias", module, b_ih, _GRU_BIAS),
                                    WeightSlot("recurrent_bias", module, b_hh, _GRU_BIAS)],
                           regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        slot.initialize(self.bias_initializer)
        self._weight_slots.append(slot)

    def recurrence(self, x_proj, states, h_in, w_hh, b_hh):
        if self.reset_after:
            return [reset_after_step(x_proj, states[0], h_in, w_hh, b_hh, self.activation, self.recurrent_activation)]
        return [reset_before_step(x_proj, states[0], h_in, w_hh, self.activation, self.recurrent_activation)]


class GRU(FusedRNN):
    """Gated Recurrent Unit. reset_after=True (Keras 3 default) holds an nn.GRU and runs it fused;
    reset_after=False (Keras 2 / TF1) runs its own loop."""

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        super().__init__(GRUCell, received_arguments(locals()))
