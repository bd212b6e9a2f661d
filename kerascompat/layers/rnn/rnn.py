"""RNN: runs a cell over the time axis, with Keras's masking, states and stateful handling.

Subclasses that can do better than one cell call per step (SimpleRNN, LSTM, GRU run torch's
fused modules) override `inner_loop` and fall back to `masked_loop`, the one implementation
of Keras's mask and carry rules.
"""

import torch

from ... import _tree
from ..._validation import check_bool, incompatible_input
from ...engine.base_layer import Layer
from ._protocol import call_cell, cell_initial_state, check_cell, output_size
from .stacked_rnn_cells import StackedRNNCells
from ...saving import serialization_lib as _lib


def _where_states(mask, new_states, old_states):
    """Per sample, `new` where the (batch,) `mask` is True, else `old` (tensors of any rank:
    ConvLSTM's states are images)."""
    if isinstance(new_states, (list, tuple)):
        return [_where_states(mask, n, o) for n, o in zip(new_states, old_states)]
    return torch.where(mask.reshape((-1,) + (1,) * (new_states.dim() - 1)), new_states, old_states)


class RNN(Layer):
    """Runs a cell over the time axis of (batch, timesteps, features).

    `cell` is one of our cells, a list of cells (stacked), or a user cell following Keras's
    protocol (`state_size`, optional `output_size`, `call(inputs, states, training=None)`
    returning `(output, new_states)`) with torch code inside. Call with `initial_state=`,
    `mask=` (batch, timesteps) booleans, and `training=`. `layer.last_path` says how the
    latest call ran ("loop": one cell step at a time; "fused": a torch recurrent kernel).
    """

    supports_masking = True

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        check_cell(cell)
        super().__init__(**kwargs)
        self._track_cell(cell)
        self.return_sequences = check_bool(return_sequences, "return_sequences")
        self.return_state = check_bool(return_state, "return_state")
        self.go_backwards = check_bool(go_backwards, "go_backwards")
        self.stateful = check_bool(stateful, "stateful")
        self.unroll = check_bool(unroll, "unroll")
        self.zero_output_for_mask = check_bool(zero_output_for_mask, "zero_output_for_mask")
        self.states = None
        self.last_path = None

    def _track_cell(self, cell):
        self.cell = cell  # a torch sub-module when it is one: its parameters are the layer's

    # -------------------------------------------------------------- structure
    @property
    def _state_sizes(self):
        size = self.cell.state_size
        return [size] if isinstance(size, int) else list(size)

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
        size = output_size(self.cell)
        out = (batch, steps, size) if self.return_sequences else (batch, size)
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
        return cell_initial_state(self.cell, batch_size, self._dtype)

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

    # ------------------------------------------------------------------ calling
    def call(self, sequences, initial_state=None, mask=None, training=None):
        self._check_sequences(sequences)
        states = self._initial_states(sequences, initial_state)
        last, outputs, states = self.inner_loop(sequences, states, mask, training)
        if self.stateful:
            self.states = _tree.map_structure(lambda t: t.detach(), states)
        output = outputs if self.return_sequences else last
        if self.return_state:
            return (output, *states)
        return output

    def _check_sequences(self, sequences):
        if sequences.dim() < 3:
            raise incompatible_input(self, "expected ndim=3", sequences.shape)

    def inner_loop(self, sequences, initial_state, mask, training=None):
        """`(last_output, outputs, new_states)` (`outputs` only when returning sequences): the
        cell called once per step."""
        cell = self.cell

        def step(inputs, states):
            return call_cell(cell, inputs, states, training)

        self.last_path = "loop"
        return self.masked_loop(step, sequences, initial_state, mask)

    def masked_loop(self, step, inputs, states, mask):
        """Keras's recurrence over `inputs[:, t]`: `step(inputs_t, states) -> (output, new_states)`;
        at a masked step the states carry over and the output repeats the previous one (zeros
        with `zero_output_for_mask`)."""
        steps = inputs.shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        if mask is not None:
            mask = mask.to(torch.bool)
        outputs = []
        prev_output = None
        # One unbind, not a slice per step: each slice's backward would write its gradient into
        # a zero tensor of the whole sequence's size.
        step_inputs = inputs.unbind(1)
        for t in order:
            out, new_states = step(step_inputs[t], states)
            if mask is not None:
                m = mask[:, t]
                if prev_output is None:
                    prev_output = torch.zeros_like(out)
                out = _where_states(m, out, torch.zeros_like(out) if self.zero_output_for_mask else prev_output)
                new_states = _where_states(m, new_states, states)
            outputs.append(out)
            prev_output = out
            states = new_states
        stacked = torch.stack(outputs, dim=1) if self.return_sequences else None
        return outputs[-1], stacked, states

    # -------------------------------------------------------------------- config
    def get_config(self):
        return {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": _lib.serialize_keras_object(self.cell),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "cell" in config:
            config["cell"] = _lib.deserialize_keras_object(config["cell"], custom_objects=custom_objects)
        return cls(**config)
