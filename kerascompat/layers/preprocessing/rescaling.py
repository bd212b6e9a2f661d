"""Rescaling."""

import numbers

import numpy as np
import torch

from ... import backend
from ...engine.base_layer import Layer


def _plain(value):
    """A scale/offset as a config holds it: a number stays a number, an array a (nested) list."""
    if isinstance(value, dict) and value.get("class_name") == "__numpy__":  # Keras's serialized array
        return np.asarray(value["config"]["value"], dtype=value["config"].get("dtype"))
    return value


def _config_value(value):
    if isinstance(value, numbers.Number) or isinstance(value, (list, tuple)):
        return value
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    return np.asarray(value).tolist()


class Rescaling(Layer):
    """`inputs * scale + offset`, in the layer's dtype (an image layer: integer images become floats).

    `scale` and `offset` are numbers or arrays broadcast against the input; with
    keras.config.image_data_format() 'channels_first' a per-channel `scale` is broadcast over the
    channel axis of (channels, height, width), as Keras does.
    """

    supports_masking = True

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = _plain(scale)
        self.offset = _plain(offset)
        self._constants = {}

    def _constant(self, value, like):
        key = (id(value), like.dtype, like.device)
        found = self._constants.get(key)
        if found is None:
            if isinstance(value, numbers.Number):
                found = value
            else:
                found = torch.as_tensor(np.asarray(value.detach().cpu() if isinstance(value, torch.Tensor) else value),
                                        dtype=like.dtype, device=like.device)
            self._constants[key] = found
        return found

    def call(self, inputs):
        x = inputs.to(self._dtype)
        scale = self._constant(self.scale, x)
        offset = self._constant(self.offset, x)
        if isinstance(scale, torch.Tensor) and scale.dim() > 0 and backend.image_data_format() == "channels_first":
            scale = scale.reshape(tuple(scale.shape) + (1,) * (3 - scale.dim()))
        return x * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": _config_value(self.scale), "offset": _config_value(self.offset)}
