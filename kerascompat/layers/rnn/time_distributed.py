"""TimeDistributed: apply a layer to every temporal slice of its input."""

import torch

from ... import _tree
from ...engine.base_layer import Layer
from ..core.wrapper import Wrapper


def child_input_shape(input_shape):
    """(batch, time, *rest) -> (batch, *rest): the shape the wrapped layer sees."""
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
        raise ValueError(
            f"`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: "
            f"{input_shape}")
    return (input_shape[0], *input_shape[2:])


def _uses_batch_statistics(layer):
    return any(getattr(sub, "_uses_batch_statistics", False) for sub in layer._flatten_layers())


class TimeDistributed(Wrapper):
    """Applies `layer` (any layer or model) to each of the `time` slices of a (batch, time, ...)
    input; the weights are the wrapped layer's, shared across time steps.

    The slices go through the wrapped layer as one batch of batch * time samples (a view of the
    input, no copy), which gives each step what Keras's per-step loop gives it. Only a layer whose
    training output depends on the rest of its batch (BatchNormalization) runs once per step while
    training, so its batch statistics are per step as in Keras. A (batch, time, ...) mask reaches
    a wrapped layer that takes one, slice by slice, and is passed on.
    """

    supports_masking = True

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. Received: {layer}")
        super().__init__(layer, **kwargs)
        self._per_step = False

    def build(self, input_shape):
        super().build(child_input_shape(input_shape))
        self._per_step = _uses_batch_statistics(self.layer)

    def compute_output_shape(self, input_shape):
        child_out = self.layer.compute_output_shape(child_input_shape(input_shape))
        return _tree.map_shapes(lambda s: (s[0], input_shape[1], *s[1:]), child_out)

    def call(self, inputs, training=None, mask=None):
        if mask is not None:
            _check_mask(mask, inputs)
        kwargs = {}
        if training is not None:
            kwargs["training"] = training
        takes_mask = mask is not None and self.layer._call_has_mask
        if training and self._per_step:
            steps = []
            for t in range(inputs.shape[1]):
                if takes_mask:
                    kwargs["mask"] = mask[:, t]
                steps.append(self.layer(inputs[:, t], **kwargs))
            stacked = [torch.stack(ys, dim=1) for ys in zip(*(_tree.flatten(s) for s in steps))]
            return _tree.pack_like(steps[0], stacked)
        batch, time = inputs.shape[0], inputs.shape[1]
        if takes_mask:
            kwargs["mask"] = mask.reshape(batch * time, *mask.shape[2:])
        outputs = self.layer(inputs.reshape(batch * time, *inputs.shape[2:]), **kwargs)
        return _tree.map_structure(lambda y: y.reshape(batch, time, *y.shape[1:]), outputs)


def _check_mask(mask, inputs):
    if mask.dim() < 2:
        raise ValueError(
            "The `mask` passed to the `TimeDistributed` layer must be at least 2D (e.g., `(batch_size, timesteps)`), "
            f"but it has {mask.dim()} dimension(s) with shape {tuple(mask.shape)}.")
    if mask.shape[0] != inputs.shape[0] or mask.shape[1] != inputs.shape[1]:
        raise ValueError(
            f"The `mask` passed to the `TimeDistributed` layer has a shape {tuple(mask.shape)} that is incompatible "
            f"with the input shape {tuple(inputs.shape)}. The first two dimensions of the mask (batch size and "
            f"timesteps) must match the input's first two dimensions. Expected mask shape prefix: "
            f"({inputs.shape[0]}, {inputs.shape[1]}).")
