"""Keras's cell protocol, for our cells and a user's: `state_size` (an int or a list),
optional `output_size` and `get_initial_state(batch_size)`, and
`call(inputs, states[, training])` returning `(output, new_states)`."""

import torch

from ...engine.base_layer import Layer


def flat_sizes(state_size):
    return [state_size] if isinstance(state_size, int) else [s for item in state_size for s in flat_sizes(item)]


def output_size(cell):
    size = getattr(cell, "output_size", None)
    return size if size is not None else flat_sizes(cell.state_size)[0]


def check_cell(cell):
    if not callable(getattr(cell, "call", None)):
        raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell!r}")
    if getattr(cell, "state_size", None) is None:
        raise ValueError(
            "The RNN cell should have a `state_size` attribute (single integer or list of integers, "
            f"one integer per RNN state). Received: cell={cell!r}"
        )


def cell_initial_state(cell, batch_size, dtype):
    if hasattr(cell, "get_initial_state"):
        state = cell.get_initial_state(batch_size)
        return list(state) if isinstance(state, (list, tuple)) else [state]
    return [torch.zeros(batch_size, s, dtype=dtype) for s in flat_sizes(cell.state_size)]


def call_cell(cell, inputs, states, training):
    """One step of any cell: a Layer through its __call__ (hooks, `training=`), else its `call`."""
    if isinstance(cell, Layer):
        if cell._call_has_training:
            out, new = cell(inputs, states, training=training)
        else:
            out, new = cell(inputs, states)
    else:
        out, new = cell.call(inputs, states)
    new = list(new) if isinstance(new, (list, tuple)) else [new]
    return out, new
