"""Running torch's fused recurrent modules (nn.RNN / nn.LSTM / nn.GRU: cuDNN on GPU,
oneDNN/ATen on CPU) for SimpleRNN, LSTM and GRU, including right-padded masks through packed
sequences, and `FusedRNN`, their base: an RNN whose `inner_loop` tries the fused module first.

A layer holds its cell's parameters in the fused module `layer.rnn` (batch_first, torch's
parameter names, so its state_dict loads into a hand-written nn.LSTM); `layer.cell` computes
with those same parameters and is not a sub-module. Weight mapping (Keras <-> torch):
kernel (in, G*u) = weight_ih_l0.T, recurrent_kernel (u, G*u) = weight_hh_l0.T; LSTM gates
i, f, c, o = torch's i, f, g, o; GRU gates z, r, h = torch's blocks 1, 0, 2; Keras's single
bias is bias_ih_l0 with bias_hh_l0 held at zero (frozen); GRU with reset_after=True has
bias (2, 3u) = [bias_ih_l0, bias_hh_l0].
"""

import inspect

import torch
from torch import nn

from ... import backend
from ..._validation import incompatible_input
from ._base_cell import CELL_ARGUMENTS
from .rnn import RNN


def right_padded_lengths(mask):
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


def _run_module(module, x, states):
    """torch's module on (batch, steps, features) or packed inputs; states are [h] or [h, c]."""
    if len(states) == 1:
        out, h = module(x, states[0].unsqueeze(0))
        return out, [h[0]]
    out, (h, c) = module(x, (states[0].unsqueeze(0), states[1].unsqueeze(0)))
    return out, [h[0], c[0]]


def run_fused(module, x, states, go_backwards):
    """`(last_output, outputs, new_states)` of the whole sequence in one call of the module."""
    if go_backwards:
        x = x.flip(1)
    out, new_states = _run_module(module, x, states)
    return new_states[0], out, new_states


def run_packed(module, x, states, lengths, go_backwards, return_sequences, zero_output_for_mask):
    """A right-padded mask on the fused module, through torch's packed sequences, with Keras's
    outputs at masked steps (the last valid output carried on, or zeros)."""
    batch, steps, features = x.shape
    positions = torch.arange(steps, device=x.device).unsqueeze(0)
    lengths_col = lengths.unsqueeze(1)
    if go_backwards:  # Keras meets the masked tail first (skipped), then the valid steps reversed
        index = (lengths_col - 1 - positions).clamp(min=0)
        x = x.gather(1, index.unsqueeze(-1).expand(batch, steps, features))
    packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    out, new_states = _run_module(module, packed, states)
    outputs = None
    if return_sequences:
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=steps)
        units = out.shape[-1]
        if go_backwards:
            # Processing position p holds step T-1-p: masked for p < T - len (zero output so far).
            shift = steps - lengths_col
            index = (positions - shift).clamp(min=0)
            valid = positions >= shift
            outputs = out.gather(1, index.unsqueeze(-1).expand(batch, steps, units))
            outputs = outputs * valid.unsqueeze(-1).to(outputs.dtype)
        elif zero_output_for_mask:
            outputs = out  # pad_packed_sequence already zero-fills the masked tail
        else:
            index = torch.minimum(positions, lengths_col - 1)
            outputs = out.gather(1, index.unsqueeze(-1).expand(batch, steps, units))
    return new_states[0], outputs, new_states


def _cell_property(name):
    def get(self):
        return getattr(self.cell, name)

    return property(get, doc=f"The cell's `{name}`.")


class FusedRNN(RNN):
    """An RNN over one of our cells that runs the cell's fused torch module when it can
    (`layer.last_path` is then "fused"): tanh/sigmoid activations (SimpleRNN: tanh or relu), no
    recurrent dropout, for GRU reset_after=True, and no mask or a right-padded one. Otherwise it
    runs the cell loop over the same parameters. `use_cudnn=True` makes a configuration that
    cannot run fused an error; `use_cudnn=False` forces the loop. Input dropout draws one mask
    per sequence, as Keras, and is applied before either path.

    A subclass gives Keras's signature and passes its arguments with the cell class; the cell
    takes those it knows, RNN the rest."""

    _track_plain_torch_params = False

    def __init__(self, cell_class, arguments):
        arguments = dict(arguments)
        use_cudnn = arguments.pop("use_cudnn")
        own = [n for n, p in inspect.signature(cell_class).parameters.items() if p.kind is not p.VAR_KEYWORD]
        cell_arguments = {n: arguments.pop(n) for n in own}
        cell = cell_class(**cell_arguments, name=backend.to_snake_case(cell_class.__name__), dtype=arguments.get("dtype"),
                          trainable=arguments.get("trainable", True))
        super().__init__(cell, **arguments)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"Invalid value for argument `use_cudnn`. Expected 'auto', True or False. "
                             f"Received: use_cudnn={use_cudnn!r}")
        self.use_cudnn = use_cudnn
        if use_cudnn is True and not self._fusable():
            raise ValueError(
                f"use_cudnn=True was specified, but the fused (cuDNN) kernel cannot run {type(self).__name__} "
                f"with this configuration: {', '.join(cell.fused_blockers())}"
            )

    def _track_cell(self, cell):
        # Not a sub-module: the cell's parameters live in `self.rnn`, so the state_dict keeps
        # torch's nn.LSTM / nn.GRU / nn.RNN keys.
        self.__dict__["cell"] = cell

    def _sublayers(self):
        return [self.cell]  # Keras: the layer's weights are its cell's

    def _fusable(self):
        return not self.cell.fused_blockers()

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise incompatible_input(self, "expected ndim=3", input_shape)
        in_features = input_shape[-1]
        if in_features is None:
            raise ValueError(f'Layer "{self.name}": the last dimension of the inputs must be defined. '
                             f"Received: input_shape={tuple(input_shape)}")
        self._in_features = in_features
        self.rnn = self.cell.layer_module(in_features)
        self.cell.build_on(self.rnn, "_l0", (input_shape[0], in_features))
        self._check_stateful_batch(input_shape[0])

    def _check_sequences(self, sequences):
        if sequences.dim() != 3 or sequences.shape[-1] != self._in_features:
            raise incompatible_input(self, f"expected shape=(None, None, {self._in_features})", sequences.shape)

    def inner_loop(self, sequences, initial_state, mask, training=None):
        cell = self.cell
        x = cell.drop_inputs(sequences, training, per_sequence=True)
        if self.use_cudnn is not False and self._fusable():
            if mask is None:
                self.last_path = "fused"
                return run_fused(self.rnn, x, initial_state, self.go_backwards)
            lengths = right_padded_lengths(mask)
            if lengths is not None:
                self.last_path = "fused"
                return run_packed(self.rnn, x, initial_state, lengths, self.go_backwards, self.return_sequences,
                                  self.zero_output_for_mask)
            if self.use_cudnn is True:
                raise ValueError(f'Layer "{self.name}": use_cudnn=True cannot run with a mask that is not '
                                 "right padding (valid steps first, then masked ones).")
        projected, step = cell.step_function(x, training)
        self.last_path = "loop"
        return self.masked_loop(step, projected, initial_state, mask)

    def get_config(self):
        config = {**super().get_config(), **self.cell.arguments_config(), "use_cudnn": self.use_cudnn}
        del config["cell"]
        return config


for _name in CELL_ARGUMENTS + ("unit_forget_bias", "reset_after"):
    setattr(FusedRNN, _name, _cell_property(_name))
del _name
