"""StackedRNNCells: a list of cells that behaves as one (what RNN([cell1, cell2]) runs)."""

from torch import nn

from ...engine.base_layer import Layer
from ._protocol import call_cell, cell_initial_state, check_cell, output_size
from ...saving import serialization_lib as _lib


class StackedRNNCells(Layer):
    """Wraps a list of cells so that they behave as one (used by RNN([cell1, cell2]))."""

    _track_plain_torch_params = False

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            check_cell(cell)
        self.cells = nn.ModuleList(cells) if all(isinstance(c, nn.Module) for c in cells) else list(cells)

    def _sublayers(self):
        return [c for c in self.cells if isinstance(c, Layer)]

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        return output_size(self.cells[-1])

    def get_initial_state(self, batch_size):
        return [cell_initial_state(c, batch_size, self._dtype) for c in self.cells]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer):
                cell.build_from_shape(shape)
            shape = shape[:-1] + (output_size(cell),)

    def call(self, inputs, states, training=None):
        new_states = []
        for cell, state in zip(self.cells, states):
            state = list(state) if isinstance(state, (list, tuple)) else [state]
            inputs, new = call_cell(cell, inputs, state, training)
            new_states.append(new)
        return inputs, new_states

    def get_config(self):
        return {**super().get_config(), "cells": [_lib.serialize_keras_object(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [_lib.deserialize_keras_object(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
